/**
 * The local runtime on the real stack (pebble + bind9 + moto): a certificate requested over HTTP goes through the
 * API handler, the moto SQS queue and the reconcile worker to Ready with an ACM import; then the CLI's API commands
 * (`status`, `list`, `events`, `renew`, `revoke`) run against the runtime's URL and print what the API holds.
 */
import { acmSerialMatches } from '@portcullis/aws';
import {
  ApiClient,
  ApiClientError,
  type ApiCommandIo,
  acmArnsFor,
  type CertificateView,
  describeAcmCertificate,
  isReady,
  type LocalRuntime,
  registerEventsCommand,
  registerListCommand,
  registerRenewCommand,
  registerRevokeCommand,
  registerStatusCommand,
  startLocalRuntime,
  watchCertificate,
} from '@portcullis/cli';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let runtime: LocalRuntime;
let api: ApiClient;
/** The certificate the first test takes to Ready; the CLI tests read and renew it. */
let ready: CertificateView;

beforeAll(async () => {
  stack = await startLocalStack({});
  runtime = await startLocalRuntime(stack, { planIntervalMs: 1000 });
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
  for (const register of [
    registerStatusCommand,
    registerListCommand,
    registerRenewCommand,
    registerRevokeCommand,
    registerEventsCommand,
  ]) {
    register(program, io);
  }
  await program.parseAsync(args, { from: 'user' });
  return out.join('\n');
}

describe('the local runtime', () => {
  it('takes a certificate from POST to Ready through HTTP, SQS and the worker, with one ACM import', async () => {
    const response = await fetch(`${runtime.url}/certificates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        names: ['example.test', '*.example.test'],
        keyType: 'ec-p256',
        challenge: 'dns-01',
        targets: [{ id: 'acm', type: 'acm', options: { region: 'us-east-1' } }],
      }),
    });
    expect(response.status).toBeLessThan(300);
    const created = (await response.json()) as CertificateView;
    expect(created.tenant).toBe(runtime.tenant);

    const phases: string[] = [];
    ready = await watchCertificate(api, created.id, {
      until: isReady,
      timeoutMs: 45_000,
      onChange: (view) => phases.push(view.status.phase ?? '-'),
    });
    expect(ready.status.revision).toBe(1);
    expect(phases.length).toBeGreaterThan(1);
    const delivery = ready.status.deliveries.acm;
    expect(delivery).toMatchObject({ state: 'delivered', serial: ready.status.serial });
    const arns = await acmArnsFor(runtime.wiring.clients, created.id);
    expect(arns).toEqual([delivery?.location]);
    const acm = await describeAcmCertificate(runtime.wiring.clients, arns[0] as string);
    expect(acmSerialMatches(acm.serial, ready.status.serial as string)).toBe(true);
    expect((await stack.pebble.certStatus(ready.status.serial as string)).status).toBe('Valid');
  });

  it('attributes requests to the local principal: names outside its zones are refused with a problem', async () => {
    const refused = api.create({ names: ['www.example.com'], targets: [] });
    await expect(refused).rejects.toBeInstanceOf(ApiClientError);
    await expect(refused).rejects.toMatchObject({ status: 403 });
    const page = await api.list({ name: 'www.example.com' });
    expect(page.items).toEqual([]);
  });
});

describe('the CLI against the runtime', () => {
  it('status prints the spec, the Ready condition, the revision and the ACM delivery with its serial', async () => {
    const out = await cli(['status', ready.id]);
    expect(out).toContain(ready.id);
    expect(out).toMatch(/Ready\s+True\s+UpToDate/);
    expect(out).toContain('example.test, *.example.test');
    expect(out).toMatch(new RegExp(`acm\\s+delivered\\s+1\\s+${ready.status.serial}\\s+\\d+\\s+arn:aws:acm:`));
  });

  it('list prints the certificate with its serial', async () => {
    const out = await cli(['list', '--api', runtime.url]);
    expect(out).toMatch(new RegExp(`${ready.id}\\s+True\\s+1\\s+${ready.status.serial}`));
  });

  it('events prints the requested, issued and delivered events', async () => {
    const out = await cli(['events', ready.id]);
    for (const type of ['requested', 'issued', 'delivered']) expect(out).toContain(type);
    expect(out).toContain(ready.status.serial as string);
  });

  it('renew leads to revision 2 with a new serial re-imported on the same ACM ARN', async () => {
    expect(await cli(['renew', ready.id])).toContain(`renewal requested for ${ready.id}`);
    const renewed = await watchCertificate(api, ready.id, {
      until: (v) => isReady(v) && v.status.deliveries.acm?.revision === 2,
      timeoutMs: 45_000,
    });
    expect(renewed.status.serial).not.toBe(ready.status.serial);
    expect(await acmArnsFor(runtime.wiring.clients, ready.id)).toEqual([ready.status.deliveries.acm?.location]);
    const out = await cli(['status', ready.id]);
    expect(out).toMatch(new RegExp(`acm\\s+delivered\\s+2\\s+${renewed.status.serial}`));
    expect(await cli(['events', ready.id])).toContain('renewed');
  });

  it('revoke records the request with its reason', async () => {
    const out = await cli(['revoke', ready.id, '--reason', 'superseded']);
    expect(out).toContain(`revocation (superseded) requested for ${ready.id}`);
    const view = (await api.get(ready.id)) as CertificateView & { requests: { revoke?: { reason: string } } };
    expect(view.requests.revoke?.reason).toBe('superseded');
  });

  it('a command for an unknown id fails with the API problem (404)', async () => {
    await expect(cli(['status', 'no-such-certificate'])).rejects.toMatchObject({ status: 404 });
  });
});
