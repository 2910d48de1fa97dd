/**
 * `portcullis issue`: obtains one certificate from the configured issuer, showing each step as it happens, and
 * writes `fullchain.pem` and `privkey.pem` (mode 0600). Names are validated before anything touches the network.
 * With a running local stack (`portcullis local up`) its variables fill in whatever the environment leaves unset.
 */

import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseKeyType } from '@portcullis/acme';
import {
  ChallengeType,
  type IssuanceEvent,
  KeyType,
  normalizeIdentifiers,
  obtainCertificate,
  PortcullisError,
  ValidationError,
} from '@portcullis/core';
import { type LocalBind, loadLocalStackFromEnv } from '@portcullis/local';
import { type Command, Option } from 'commander';
import pc from 'picocolors';
import { type DnsProviderName, setupIssuance } from '../wiring/issuance.js';

export interface IssueFlags {
  readonly name: string[];
  readonly challenge: ChallengeType;
  readonly dns: DnsProviderName;
  readonly key: string;
  readonly profile?: string;
  readonly preferredChain?: string;
  readonly out: string;
}

export interface IssueIo {
  out(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** An in-process local stack's bind9 (demo, tests); otherwise a detached stack is looked up from `env`. */
  readonly localBind?: LocalBind;
}

const processIo: IssueIo = { out: (text) => process.stdout.write(`${text}\n`), env: process.env };

export function registerIssueCommand(program: Command, io: IssueIo = processIo): void {
  program
    .command('issue')
    .description('obtain a certificate and write fullchain.pem + privkey.pem')
    .requiredOption('--name <name>', 'a DNS name or wildcard (repeat for more)', (v, p: string[] = []) => [...p, v])
    .addOption(
      new Option('--challenge <type>', 'how to prove control').choices(Object.values(ChallengeType)).default('dns-01'),
    )
    .addOption(
      new Option('--dns <provider>', 'DNS provider for dns-01').choices(['rfc2136', 'route53']).default('rfc2136'),
    )
    .addOption(new Option('--key <type>', 'certificate key type').choices(Object.values(KeyType)).default('ec-p256'))
    .option('--profile <name>', 'ACME profile (classic, tlsserver, shortlived, ...)')
    .option('--preferred-chain <issuer>', 'issuer CN of the wanted chain root, e.g. "ISRG Root X1"')
    .requiredOption('--out <dir>', 'directory for fullchain.pem and privkey.pem')
    .action(async (flags: IssueFlags) => {
      await runIssue(flags, io);
    });
}

export async function runIssue(flags: IssueFlags, io: IssueIo): Promise<{ serial: string; notAfter: string }> {
  // Everything that can be refused is refused here, before a single packet leaves.
  const identifiers = normalizeIdentifiers(flags.name, { challenge: flags.challenge });
  const keyType = parseKeyType(flags.key, '--key');
  if (flags.out.trim() === '') throw new ValidationError('--out', 'required', 'an output directory is required');

  const stack = io.localBind === undefined ? loadLocalStackFromEnv(io.env) : undefined;
  const env = stack === undefined ? io.env : { ...stack.env(), ...io.env };
  if (stack !== undefined) io.out(pc.dim(`using the local stack in ${stack.dir}`));
  const localBind = io.localBind ?? stack?.bind;

  const setup = await setupIssuance({
    env,
    challenge: flags.challenge,
    dns: flags.dns,
    ...(localBind === undefined ? {} : { localBind }),
  });
  const started = Date.now();
  const onEvent = (event: IssuanceEvent) => {
    const elapsed = `${String(Date.now() - started).padStart(5)} ms`;
    io.out(`${pc.dim(elapsed)}  ${pc.green('✓')} ${pc.bold(event.step.padEnd(20))} ${event.message}`);
  };
  io.out(`issuing ${identifiers.map((i) => i.value).join(', ')} by ${flags.challenge} (${keyType})`);
  try {
    const result = await obtainCertificate(
      {
        identifiers,
        challenge: flags.challenge,
        keyType,
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        ...(flags.preferredChain === undefined ? {} : { preferredChain: flags.preferredChain }),
      },
      { acme: setup.acme, keys: setup.keys, clock: setup.clock, onEvent, ...setupPorts(setup) },
    );
    await mkdir(flags.out, { recursive: true });
    await writeFile(join(flags.out, 'fullchain.pem'), result.chainPem);
    const keyPath = join(flags.out, 'privkey.pem');
    await writeFile(keyPath, result.key.reveal(), { mode: 0o600 });
    await chmod(keyPath, 0o600); // an existing file keeps its old mode on writeFile
    const leaf = new X509Certificate(result.chainPem);
    const notAfter = new Date(leaf.validTo).toISOString();
    io.out(`${pc.green('issued')} serial ${leaf.serialNumber.toLowerCase()}, valid until ${notAfter}`);
    io.out(`wrote ${join(flags.out, 'fullchain.pem')} and ${keyPath} (0600)`);
    return { serial: leaf.serialNumber.toLowerCase(), notAfter };
  } finally {
    await setup.close();
  }
}

function setupPorts(setup: Awaited<ReturnType<typeof setupIssuance>>) {
  return {
    ...(setup.dns === undefined ? {} : { dns: setup.dns }),
    ...(setup.http01 === undefined ? {} : { http01: setup.http01 }),
  };
}

/** One line for people: the error's message; for our own errors that already names the system and the field. */
export function describeError(error: unknown): string {
  if (error instanceof PortcullisError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
