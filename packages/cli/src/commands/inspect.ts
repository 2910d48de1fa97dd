/**
 * `portcullis inspect <target> [--sni <name>] [--ca <file>]... [--timeout <ms>]`: a certificate wherever it is —
 * an ACM ARN, `secret:<name|arn>`, a PEM file, or a live `host[:port]` — with its facts, its chain, and checks
 * (chain signed and trusted, validity, name for an endpoint, key matches for a secret or file). Keys are never
 * printed. Exit code 0 when no check failed (an untrusted root is a warning), 1 otherwise. See ops/inspect-targets.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { awsConfigFromEnv, createAwsClients } from '@portcullis/aws';
import { TlsEndpointProber } from '@portcullis/probe';
import type { Command } from 'commander';
import { checkChain, renderChain } from '../ops/certificate-report.js';
import { anyFailed, renderChecks } from '../ops/checks.js';
import {
  classifyTarget,
  type InspectedCertificate,
  type InspectTarget,
  inspectAcm,
  inspectEndpoint,
  inspectFile,
  inspectSecret,
} from '../ops/inspect-targets.js';
import { ExitCode, type OpsIo, paintFor, processOpsIo } from '../ops/io.js';
import { createProgress } from '../ops/progress.js';
import { renderTable } from '../runtime/format.js';
import { parseTimeout } from './doctor.js';

export interface InspectFlags {
  readonly sni?: string;
  readonly ca?: string[];
  readonly timeout?: number;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

async function read(target: InspectTarget, flags: InspectFlags, io: OpsIo, now: Date): Promise<InspectedCertificate> {
  switch (target.kind) {
    case 'file':
      return inspectFile(target.path);
    case 'endpoint':
      return inspectEndpoint(new TlsEndpointProber(), {
        host: target.host,
        port: target.port,
        ...(flags.sni === undefined ? {} : { serverName: flags.sni }),
        ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
      });
    default: {
      // The region of an ARN wins over the environment's: the certificate lives there.
      const region = target.region === undefined ? {} : { PORTCULLIS_AWS_REGION: target.region };
      const clients = createAwsClients(awsConfigFromEnv({ ...io.env, ...region }));
      try {
        return target.kind === 'acm'
          ? await inspectAcm(clients, target.arn, now)
          : await inspectSecret(clients, target.id);
      } finally {
        clients.destroy();
      }
    }
  }
}

export async function runInspect(input: string, flags: InspectFlags, io: OpsIo): Promise<boolean> {
  const now = io.now?.() ?? new Date();
  const target = classifyTarget(input, isFile);
  const extraRootsPem = (flags.ca ?? []).map((file) => readFileSync(file, 'utf8'));
  const inspected = await createProgress(io, 'inspect').step(`reading ${input}`, () => read(target, flags, io, now));
  const checks = [
    ...inspected.checks,
    ...checkChain(inspected.certificates, {
      now,
      extraRootsPem,
      ...(inspected.expectedName === undefined ? {} : { expectedName: inspected.expectedName }),
      ...(inspected.key === undefined ? {} : { key: inspected.key }),
    }),
  ];
  io.out(inspected.title);
  io.out(
    renderTable(
      ['FIELD', 'VALUE'],
      inspected.facts.map(([k, v]) => [k, v]),
    ),
  );
  io.out('');
  io.out(renderChain(inspected.certificates, now));
  io.out('');
  io.out(renderChecks(checks, paintFor(io)));
  const ok = !anyFailed(checks);
  io.setExitCode(ok ? ExitCode.Ok : ExitCode.Problem);
  return ok;
}

export function registerInspectCommand(program: Command, io: OpsIo = processOpsIo): void {
  program
    .command('inspect')
    .description('show a certificate and check its chain: ACM ARN, secret:<name|arn>, a PEM file, or host[:port]')
    .argument('<target>', 'arn:aws:acm:..., secret:<name|arn>, a file path, or host[:port] (port 443 by default)')
    .option('--sni <name>', 'server name to send to host[:port] (default: the host, unless it is an IP address)')
    .option(
      '--ca <file>',
      'also trust this PEM root (repeat for more), e.g. a private CA or pebble',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--timeout <ms>', 'time-out of the TLS handshake (default 5000)', parseTimeout)
    .addHelpText(
      'after',
      '\nACM and Secrets Manager are reached as the functions reach them ($PORTCULLIS_AWS_ENDPOINT, ' +
        '$PORTCULLIS_AWS_REGION).\nPrivate keys are never printed: only whether one is present and matches the leaf.\n' +
        'Exit codes: 0 no check failed (an untrusted root is only a warning), 1 a check failed or the target could ' +
        'not be read.',
    )
    .action(async (target: string, flags: InspectFlags) => {
      await runInspect(target, flags, io);
    });
}
