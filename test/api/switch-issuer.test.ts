/**
 * "CA outage / switch issuer" end to end on the real stack (pebble + bind9 + moto, the local runtime's API, SQS and
 * worker): a second issuer is configured with `PORTCULLIS_ACME_ISSUERS` (the same pebble under another id — the
 * local stack has one CA), a certificate issued by the primary one is switched with `portcullis update <id>
 * --issuer backup`, and the lifecycle reissues it through the backup issuer (a new revision, a new serial, Ready).
 */
import {
  ApiClient,
  type ApiCommandIo,
  type CertificateView,
  isReady,
  type LocalRuntime,
  registerUpdateCommand,
  startLocalRuntime,
  watchCertificate,
} from '@portcullis/cli';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let runtime: LocalRuntime;
let api: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack({});
  runtime = await startLocalRuntime(stack, {
    planIntervalMs: 1000,
    env: { PORTCULLIS_ACME_ISSUERS: `backup=${stack.pebble.directoryUrl}` },
  });
  api = new ApiClient(runtime.url);
});

afterAll(async () => {
  await runtime?.stop();
  await stack?.stop();
});

async function cli(args: string[]): Promise<string> {
  const out: string[] = [];
  const io: ApiCommandIo = { out: (text) => out.push(text), env: { PORTCULLIS_API_URL: runtime.url } };
  const program = new Command('portcullis').exitOverride();
  registerUpdateCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return out.join('\n');
}

describe('switching a certificate to another issuer', () => {
  it('reissues through the backup issuer after portcullis update --issuer', async () => {
    const created = await api.create({ names: ['switch.example.test'], targets: [] });
    const first = await watchCertificate(api, created.id, { until: isReady, timeoutMs: 45_000 });
    expect({ issuer: first.spec.issuer, revision: first.status.revision }).toEqual({ issuer: 'pebble', revision: 1 });

    const out = await cli(['update', created.id, '--issuer', 'backup']);
    expect(out).toContain(`updated ${created.id}: issuer backup`);
    expect(out).toContain('will be reissued');

    const switched = await watchCertificate(api, created.id, {
      until: (view: CertificateView) => view.status.revision === 2 && isReady(view),
      timeoutMs: 45_000,
    });
    expect(switched.spec.issuer).toBe('backup');
    expect(switched.status.serial).not.toBe(first.status.serial);
    expect((await stack.pebble.certStatus(switched.status.serial as string)).status).toBe('Valid');
  });

  it('refuses an issuer the deployment does not have, naming the configured ones', async () => {
    const created = await api.create({ names: ['stay.example.test'], targets: [] });
    await expect(cli(['update', created.id, '--issuer', 'buypass'])).rejects.toThrow(/pebble, backup/);
  });
});
