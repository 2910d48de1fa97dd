/**
 * `portcullis update <id>`: changes a certificate's spec through `PATCH /certificates/{id}` — e.g. switching to
 * another configured issuer during a CA outage (runbook "CA outage / switch issuer"). Only the flags given change;
 * names never do (request a new certificate instead). `--endpoint` replaces the whole endpoint list (repeat it for
 * several), `--clear-endpoints` empties it, `--no-profile` goes back to the CA's default profile.
 */
import { ValidationError } from '@portcullis/core';
import type { Command } from 'commander';
import type { CertificateView, UpdateCertificateRequest } from '../runtime/api-client.js';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';
import { parseEndpoint } from './request.js';

export interface UpdateFlags extends ApiFlags {
  readonly issuer?: string;
  /** A name with `--profile <name>`, `false` with `--no-profile`, absent when neither is given. */
  readonly profile?: string | false;
  readonly keyType?: string;
  readonly endpoint?: readonly string[];
  readonly clearEndpoints?: boolean;
}

/** The merge patch the flags ask for; refuses contradictory or empty requests before any call. */
export function updateBodyOf(flags: UpdateFlags): UpdateCertificateRequest {
  if (flags.endpoint !== undefined && flags.clearEndpoints === true) {
    throw new ValidationError('--clear-endpoints', 'exclusive', 'cannot be combined with --endpoint');
  }
  const endpoints =
    flags.clearEndpoints === true ? null : flags.endpoint === undefined ? undefined : flags.endpoint.map(parseEndpoint);
  const body: UpdateCertificateRequest = {
    ...(flags.issuer === undefined ? {} : { issuer: flags.issuer }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile === false ? null : flags.profile }),
    ...(flags.keyType === undefined ? {} : { keyType: flags.keyType }),
    ...(endpoints === undefined ? {} : { endpoints }),
  };
  if (Object.keys(body).length === 0) {
    throw new ValidationError(
      'flags',
      'required',
      'nothing to change: give --issuer, --profile/--no-profile, --key-type, --endpoint or --clear-endpoints',
    );
  }
  return body;
}

function describeSpec(view: CertificateView): string {
  const endpoints = view.spec.endpoints.map((e) => `${e.host}:${e.port}${e.serverName ? `/${e.serverName}` : ''}`);
  return [
    `issuer ${view.spec.issuer}`,
    `profile ${view.spec.profile ?? '(CA default)'}`,
    `key ${view.spec.keyType}`,
    `endpoints ${endpoints.length === 0 ? '-' : endpoints.join(', ')}`,
  ].join(', ');
}

export async function runUpdate(id: string, flags: UpdateFlags, io: ApiCommandIo): Promise<void> {
  const body = updateBodyOf(flags);
  const view = await apiClient(flags, io).update(id, body);
  io.out(`updated ${view.id}: ${describeSpec(view)}`);
  // Issuer, key type and profile shape the certificate itself: the lifecycle orders a new one.
  if (body.issuer !== undefined || body.keyType !== undefined || body.profile !== undefined) {
    io.out(`${view.id} will be reissued with the new spec (follow with: portcullis status ${view.id})`);
  }
}

function collect(value: string, previous: readonly string[] = []): readonly string[] {
  return [...previous, value];
}

export function registerUpdateCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('update').description('change a certificate’s issuer, profile, key type or endpoints'))
    .argument('<id>', 'certificate id')
    .option('--issuer <id>', 'switch to another configured issuer (CA outage)')
    .option('--profile <name>', 'ACME profile (classic, tlsserver, shortlived)')
    .option('--no-profile', 'use the CA’s default profile')
    .option('--key-type <type>', 'ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096')
    .option(
      '--endpoint <endpoint>',
      '<host>[:<port>][/<sni>] the monitor checks; replaces the list (repeatable)',
      collect,
    )
    .option('--clear-endpoints', 'remove every endpoint')
    .action((id: string, flags: UpdateFlags) => runUpdate(id, flags, io));
}
