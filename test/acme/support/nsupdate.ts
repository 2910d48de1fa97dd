/**
 * Writes and removes TXT records in the local stack's bind9 with `nsupdate` (bind9-dnsutils) and TSIG, so ACME
 * tests get real DNS-01 validation without depending on our own RFC 2136 client (tested in test/dns).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LocalStack } from '@portcullis/local';

const run = promisify(execFile);

export interface TxtValue {
  readonly name: string;
  readonly value: string;
}

async function nsupdate(stack: LocalStack, lines: readonly string[]): Promise<void> {
  const { host, port, tsig } = stack.bind;
  const script = [`server ${host} ${port}`, ...lines, 'send', ''].join('\n');
  const child = run('nsupdate', ['-y', `${tsig.algorithm}:${tsig.name}:${tsig.secret}`], { timeout: 10_000 });
  child.child.stdin?.end(script);
  await child;
}

export async function addTxt(stack: LocalStack, records: readonly TxtValue[]): Promise<void> {
  await nsupdate(
    stack,
    records.map((r) => `update add ${r.name}. 60 TXT "${r.value}"`),
  );
}

export async function deleteTxt(stack: LocalStack, records: readonly TxtValue[]): Promise<void> {
  await nsupdate(
    stack,
    records.map((r) => `update delete ${r.name}. TXT "${r.value}"`),
  );
}

/** TXT values at a name, asked of bind9 directly. */
export async function queryTxt(stack: LocalStack, name: string): Promise<string[]> {
  const { host, port } = stack.bind;
  const { stdout } = await run('dig', [`@${host}`, '-p', String(port), '+short', '+norecurse', name, 'TXT'], {
    timeout: 10_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^"|"$/g, ''));
}
