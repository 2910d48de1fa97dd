/**
 * `portcullis request <names...>`: asks the API for a managed certificate (the lifecycle then orders, delivers and
 * renews it). Targets and endpoints are given in a compact form so runbooks and scripts stay one line:
 *   --target acm[:<region>]                  ACM import (re-import on the same ARN at renewal)
 *   --target secrets-manager:<secret name>   a PEM bundle in Secrets Manager
 *   --endpoint <host>[:<port>][/<sni>]       a live TLS endpoint the monitor checks for the served serial
 * Everything is validated here first (field named), then by the API.
 */
import { ValidationError } from '@portcullis/core';
import type { Command } from 'commander';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { isReady } from '../runtime/inspect.js';
import { processViewIo, type ViewIo } from '../views/terminal.js';
import { DEFAULT_WAIT_SECONDS, parseWaitTimeout, waitForCertificate } from '../views/wait.js';
import { describeRenewalStep } from './renew.js';

export interface RequestFlags extends ApiFlags {
  readonly keyType?: string;
  readonly challenge?: string;
  readonly issuer?: string;
  readonly profile?: string;
  readonly target?: readonly string[];
  readonly endpoint?: readonly string[];
  readonly wait?: boolean;
  readonly timeout?: string;
}

export interface TargetArgument {
  readonly id: string;
  readonly type: string;
  readonly options: Record<string, string>;
}

export interface EndpointArgument {
  readonly host: string;
  readonly port: number;
  readonly serverName?: string;
}

/** `acm`, `acm:eu-west-1`, `secrets-manager:app/tls` → a TargetSpec with a readable, unique id. */
export function parseTarget(value: string, index: number): TargetArgument {
  const [type, ...rest] = value.split(':');
  const argument = rest.join(':');
  const field = `--target[${index}]`;
  if (type === 'acm') {
    return {
      id: argument === '' ? `acm-${index}` : `acm-${argument}`,
      type,
      options: argument === '' ? {} : { region: argument },
    };
  }
  if (type === 'secrets-manager') {
    if (argument === '') throw new ValidationError(field, 'required', 'secrets-manager needs a secret name');
    return { id: `sm-${index}`, type, options: { name: argument } };
  }
  throw new ValidationError(field, 'enum', `"${value}" must be acm[:<region>] or secrets-manager:<name>`);
}

/** `host`, `host:8443`, `10.0.0.1:443/www.example.com`, `[::1]:443` → an EndpointSpec. */
export function parseEndpoint(value: string, index: number): EndpointArgument {
  const field = `--endpoint[${index}]`;
  const [address = '', serverName] = value.split('/', 2);
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(address);
  if (match === null) throw new ValidationError(field, 'format', `"${value}" must be <host>[:<port>][/<sni>]`);
  const host = (match[1] ?? match[2]) as string;
  const port = match[3] === undefined ? 443 : Number(match[3]);
  if (port < 1 || port > 65_535) throw new ValidationError(field, 'range', `port ${port} is not in 1..65535`);
  return { host, port, ...(serverName === undefined || serverName === '' ? {} : { serverName }) };
}

export async function runRequest(names: readonly string[], flags: RequestFlags, io: ViewIo): Promise<void> {
  const targets = (flags.target ?? []).map(parseTarget);
  const endpoints = (flags.endpoint ?? []).map(parseEndpoint);
  const client = apiClient(flags, io);
  const body = {
    names,
    ...(flags.keyType === undefined ? {} : { keyType: flags.keyType }),
    ...(flags.challenge === undefined ? {} : { challenge: flags.challenge }),
    ...(flags.issuer === undefined ? {} : { issuer: flags.issuer }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    ...(targets.length === 0 ? {} : { targets }),
    ...(endpoints.length === 0 ? {} : { endpoints }),
  };
  const created = await client.create(body);
  io.out(`requested ${created.id} for ${created.spec.names.join(', ')}`);
  if (flags.wait !== true) return;
  const { view, progress } = await waitForCertificate(
    client,
    created.id,
    {
      label: `request ${created.id}`,
      until: isReady,
      describe: describeRenewalStep,
      timeoutSeconds: parseWaitTimeout(flags.timeout),
      waitingFor: 'is not Ready',
    },
    io,
  );
  progress.done(`revision ${view.status.revision} Ready`);
  io.out(`${view.id} ready: serial ${view.status.serial ?? '-'} valid until ${view.status.notAfter ?? '-'}`);
}

function collect(value: string, previous: readonly string[] = []): readonly string[] {
  return [...previous, value];
}

export function registerRequestCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('request').description('request a managed certificate through the API'))
    .argument('<names...>', 'DNS names (the first becomes the common name); *.name for a wildcard')
    .option('--key-type <type>', 'ec-p256 (default), ec-p384, rsa-2048, rsa-3072, rsa-4096')
    .option('--challenge <type>', 'dns-01 (default) or http-01')
    .option('--issuer <id>', 'issuer id (default: the deployment default)')
    .option('--profile <name>', 'ACME profile (classic, tlsserver, shortlived)')
    .option('--target <target>', 'acm[:<region>] | secrets-manager:<name> (repeatable)', collect)
    .option('--endpoint <endpoint>', '<host>[:<port>][/<sni>] the monitor checks (repeatable)', collect)
    .option('--wait', 'wait until the certificate is Ready, showing progress on stderr')
    .option('--timeout <seconds>', `how long --wait waits at most (default ${DEFAULT_WAIT_SECONDS})`)
    .action((names: string[], flags: RequestFlags) => runRequest(names, flags, io));
}
