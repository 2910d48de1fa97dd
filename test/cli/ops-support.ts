/**
 * Shared by the test/cli/ops-*.test.ts files: an `OpsIo` that records what a command printed and the exit code it
 * set, and a real certificate from the local pebble (DNS-01 through bind9) for `inspect`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateKeyFactory, createAcmeClient, FileKeyStore } from '@portcullis/acme';
import type { OpsIo } from '@portcullis/cli';
import { normalizeIdentifiers, obtainCertificate, systemClock } from '@portcullis/core';
import { DnsResolver, Rfc2136Provider } from '@portcullis/dns';
import type { LocalStack } from '@portcullis/local';

export interface RecordingIo extends OpsIo {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exitCodes: number[];
  /** Everything printed to stdout, one string. */
  text(): string;
  /** The highest exit code set (0 when none was). */
  exitCode(): number;
}

export function recordingIo(env: Readonly<Record<string, string | undefined>>, now?: Date): RecordingIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exitCodes: number[] = [];
  return {
    stdout,
    stderr,
    exitCodes,
    env,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    setExitCode: (code) => exitCodes.push(code),
    ...(now === undefined ? {} : { now: () => now }),
    text: () => stdout.join('\n'),
    exitCode: () => Math.max(0, ...exitCodes),
  };
}

/** The environment the functions would have for DNS against the stack's bind9. */
export function dnsEnv(stack: LocalStack): Record<string, string> {
  return {
    PORTCULLIS_DNS_RESOLVERS: `${stack.bind.host}:${stack.bind.port}`,
    PORTCULLIS_DNS_NAMESERVER_PORT: String(stack.bind.port),
  };
}

/** A real certificate (leaf + intermediate) from pebble for `names`, and pebble's root that it chains to. */
export async function issueFromPebble(
  stack: LocalStack,
  names: readonly string[],
): Promise<{ chainPem: string; keyPem: string; rootPem: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-ops-'));
  try {
    const server = { host: stack.bind.host, port: stack.bind.port };
    const result = await obtainCertificate(
      {
        identifiers: normalizeIdentifiers([...names], { challenge: 'dns-01' }),
        challenge: 'dns-01',
        keyType: 'ec-p256',
      },
      {
        acme: createAcmeClient({
          issuer: 'pebble',
          directoryUrl: stack.pebble.directoryUrl,
          httpsAgent: stack.httpsAgent,
          keyStore: new FileKeyStore(join(dir, 'keys')),
          backoffMinMs: 50,
          backoffMaxMs: 500,
        }),
        keys: certificateKeyFactory,
        clock: systemClock,
        dns: {
          provider: new Rfc2136Provider({ server, tsig: stack.bind.tsig }),
          resolver: new DnsResolver({ servers: [server], nameserverPort: stack.bind.port }),
        },
      },
    );
    const [rootPem] = await stack.pebble.roots();
    return { chainPem: result.chainPem, keyPem: result.key.reveal(), rootPem: rootPem as string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
