/**
 * Local mode end to end for DNS: the Route53 provider writes into real moto_server, the sync publishes the hosted
 * zone into real bind9, and bind answers what Route53 holds — checked with `dig`, an independent client. This is
 * what lets pebble validate the Route53 provider's own writes in the demo and the benchmark.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { type AwsClients, countAwsRequests, createAwsClients } from '@portcullis/aws';
import type { DnsProvider, TxtRecord } from '@portcullis/core';
import { challengeRecordName, Route53Provider, sendUpdate, TokenBucket } from '@portcullis/dns';
import { type LocalStack, startLocalStack, syncingRoute53Provider, syncRoute53ToBind } from '@portcullis/local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

let stack: LocalStack;
let clients: AwsClients;
let provider: DnsProvider;
const zoneIds: Record<string, string> = {};
const cleanups: (() => Promise<unknown>)[] = [];

/** What bind answers for `name`/`type`, as dig prints it (`+short`), sorted. */
async function dig(name: string, type: 'TXT' | 'A' | 'CNAME'): Promise<string[]> {
  const { stdout } = await run('dig', [
    `@${stack.bind.host}`,
    '-p',
    String(stack.bind.port),
    '+short',
    '+norecurse',
    name,
    type,
  ]);
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

async function createZone(name: string): Promise<string> {
  const created = await clients.route53.send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: randomBytes(8).toString('hex') }),
  );
  return (created.HostedZone?.Id ?? '').replace('/hostedzone/', '');
}

const challenge = (identifier: string): TxtRecord => ({
  fqdn: challengeRecordName(identifier),
  value: randomBytes(32).toString('base64url'),
});

beforeAll(async () => {
  stack = await startLocalStack();
  const moto = stack.moto;
  if (moto === undefined) throw new Error('the local stack started without moto');
  clients = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
  zoneIds['example.test'] = await createZone('example.test');
  zoneIds['sub.example.test'] = await createZone('sub.example.test');
  const route53 = new Route53Provider({
    client: clients.route53,
    // moto has no API budget; a bucket of this file keeps the throttle in the path without AWS's pace.
    throttleFor: () => new TokenBucket({ ratePerSecond: 500, burst: 50 }),
  });
  provider = syncingRoute53Provider(route53, { route53: clients.route53, bind: stack.bind });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  clients?.destroy();
  await stack?.stop();
});

describe('Route53 provider + moto → bind9 sync', () => {
  it('serves apex and wildcard values from bind as soon as present returns, and removes them after cleanup', async () => {
    const apex = challenge('example.test');
    const wildcard = challenge('*.example.test');
    const sub = challenge('www.sub.example.test');
    const presentation = await provider.present([apex, wildcard, sub]);

    expect(await dig(apex.fqdn, 'TXT')).toEqual([`"${apex.value}"`, `"${wildcard.value}"`].sort());
    // sub.example.test is its own hosted zone in moto; in bind it lives inside example.test.
    expect(await dig(sub.fqdn, 'TXT')).toEqual([`"${sub.value}"`]);

    await provider.cleanup(presentation);
    expect(await dig(apex.fqdn, 'TXT')).toEqual([]);
    expect(await dig(sub.fqdn, 'TXT')).toEqual([]);
    // The harness's own records are never touched.
    expect(await dig('ns1.example.test', 'A')).toEqual(['127.0.0.1']);
    expect(await dig('anything.example.test', 'A')).toEqual(['127.0.0.1']);
  });

  it('publishes exactly what moto holds: values other writers put there stay after our cleanup', async () => {
    const zoneId = zoneIds['example.test'] as string;
    const name = challengeRecordName('shared.example.test');
    const foreign = { Name: name, Type: 'TXT' as const, TTL: 60, ResourceRecords: [{ Value: '"foreign"' }] };
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: foreign }] },
      }),
    );
    const ours = challenge('shared.example.test');
    const presentation = await provider.present([ours]);
    expect(await dig(name, 'TXT')).toEqual(['"foreign"', `"${ours.value}"`].sort());

    await provider.cleanup(presentation);
    expect(await dig(name, 'TXT')).toEqual(['"foreign"']);

    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: foreign }] },
      }),
    );
    await provider.cleanup(presentation); // syncs the zone again; the foreign value is gone from moto now
    expect(await dig(name, 'TXT')).toEqual([]);
  });

  it('never deletes bind records it did not publish', async () => {
    const name = 'bind-only.example.test';
    await sendUpdate(stack.bind, 'example.test', stack.bind.tsig, [
      { op: 'add', name, type: 'TXT', ttl: 60, data: 'kept' },
    ]);
    cleanups.push(() => sendUpdate(stack.bind, 'example.test', stack.bind.tsig, [{ op: 'delete', name, type: 'TXT' }]));
    const presentation = await provider.present([challenge('other.example.test')]);
    await provider.cleanup(presentation);
    expect(await dig(name, 'TXT')).toEqual(['"kept"']);
  });

  it('publishes CNAME delegations and reads moto with one paginated listing per sync', async () => {
    const zoneId = zoneIds['sub.example.test'] as string;
    const name = challengeRecordName('delegated.sub.example.test');
    const cname = {
      Name: name,
      Type: 'CNAME' as const,
      TTL: 60,
      ResourceRecords: [{ Value: 'target.delegated.test' }],
    };
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: cname }] },
      }),
    );
    const bind = { server: stack.bind, zone: 'example.test', tsig: stack.bind.tsig };
    const counter = countAwsRequests(clients.route53);
    const first = await syncRoute53ToBind({ route53: clients.route53, zoneId, bind });
    counter.detach();
    expect(counter.byCommand()).toEqual({ ListResourceRecordSetsCommand: 1 });
    expect(first).toMatchObject({ added: 1, deleted: 0 });
    expect(await dig(name, 'CNAME')).toEqual(['target.delegated.test.']);

    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: cname }] },
      }),
    );
    const second = await syncRoute53ToBind({ route53: clients.route53, zoneId, bind, published: first.published });
    expect(second).toMatchObject({ added: 0, deleted: 1, published: [] });
    expect(await dig(name, 'CNAME')).toEqual([]);
  });
});
