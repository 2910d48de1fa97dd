/**
 * The Route53 provider against real moto_server (local stack): batching per zone, merging apex + wildcard values,
 * cleanup that keeps other values, zone discovery, explicit zone ids, a per-zone role through moto's STS, and the
 * API calls an order costs (counted with `countAwsRequests`, the helper the benchmark uses). moto cannot produce
 * PENDING, throttling or InvalidChangeBatch: those paths are unit-tested with a fake in packages/dns. Nothing here
 * depends on moto's deviations (facts.md): every write is preceded by a read, and names are sent lower case.
 */
import { randomBytes } from 'node:crypto';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import {
  type AwsClients,
  type AwsRequestCounter,
  countAwsRequests,
  createAwsClients,
  route53ClientForZone,
} from '@portcullis/aws';
import type { Presentation, TxtRecord } from '@portcullis/core';
import { challengeRecordName, Route53Provider, TokenBucket } from '@portcullis/dns';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * moto has no API budget: a bucket of this file keeps the throttle in every call path without pacing the tests at
 * AWS's 10 requests/s (the process-wide default would, once the file has used its burst).
 */
const bucket = new TokenBucket({ ratePerSecond: 500, burst: 50 });
const throttleFor = () => bucket;

const ROLE = { roleArn: 'arn:aws:iam::210987654321:role/portcullis-dns', externalId: 'tenant-42' };

let stack: LocalStack;
let clients: AwsClients;
let counter: AwsRequestCounter;
const zoneIds: Record<string, string> = {};
const cleanups: (() => Promise<unknown>)[] = [];

async function createZone(route53: Route53Client, name: string, privateZone = false): Promise<string> {
  const created = await route53.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: randomBytes(8).toString('hex'),
      ...(privateZone
        ? { HostedZoneConfig: { PrivateZone: true }, VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-0123456789abcdef0' } }
        : {}),
    }),
  );
  return (created.HostedZone?.Id ?? '').replace('/hostedzone/', '');
}

/** The TXT values at a name, as Route53 stores them (quoted). */
async function storedValues(zoneId: string, name: string, route53 = clients.route53): Promise<string[]> {
  const answer = await route53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      StartRecordName: name,
      StartRecordType: 'TXT',
      MaxItems: 1,
    }),
  );
  const set = answer.ResourceRecordSets?.[0];
  if (set?.Name !== `${name}.` || set.Type !== 'TXT') return [];
  return (set.ResourceRecords ?? []).map((record) => record.Value ?? '').sort();
}

const value = () => randomBytes(32).toString('base64url');
const challenge = (identifier: string): TxtRecord => ({ fqdn: challengeRecordName(identifier), value: value() });

function track(provider: Route53Provider, presentation: Presentation): Presentation {
  cleanups.push(() => provider.cleanup(presentation));
  return presentation;
}

beforeAll(async () => {
  stack = await startLocalStack();
  const moto = stack.moto;
  if (moto === undefined) throw new Error('the local stack started without moto');
  clients = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
  zoneIds['example.test'] = await createZone(clients.route53, 'example.test');
  zoneIds['sub.example.test'] = await createZone(clients.route53, 'sub.example.test');
  zoneIds['deep.sub.example.test (private)'] = await createZone(clients.route53, 'deep.sub.example.test', true);
  counter = countAwsRequests(clients.route53);
});

beforeEach(() => counter.reset());

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  counter?.detach();
  clients?.destroy();
  await stack?.stop();
});

describe('Route53Provider on moto', () => {
  it('writes an order of apex, wildcard and other names with one change batch per zone', async () => {
    const provider = new Route53Provider({ client: clients.route53, throttleFor });
    const apex = challenge('example.test');
    const wildcard = challenge('*.example.test');
    const www = challenge('www.example.test');
    const sub = challenge('a.sub.example.test');
    const presentation = track(provider, await provider.present([apex, wildcard, www, sub]));

    expect(counter.count('ChangeResourceRecordSetsCommand')).toBe(2);
    expect(presentation.zones.map((zone) => [zone.zone, zone.zoneId, zone.records.length])).toEqual([
      ['example.test', zoneIds['example.test'], 3],
      ['sub.example.test', zoneIds['sub.example.test'], 1],
    ]);
    expect(await storedValues(zoneIds['example.test'] as string, apex.fqdn)).toEqual(
      [`"${apex.value}"`, `"${wildcard.value}"`].sort(),
    );
    expect(await storedValues(zoneIds['sub.example.test'] as string, sub.fqdn)).toEqual([`"${sub.value}"`]);
    await expect(provider.isCommitted(presentation)).resolves.toBe(true);
  });

  it('cleans up in one batch per zone, removing our values and keeping everyone else’s', async () => {
    const zoneId = zoneIds['example.test'] as string;
    const name = challengeRecordName('keep.example.test');
    // Another writer's value, written with UPSERT: moto refuses a CREATE identical to any CREATE in the zone's
    // history while the set exists, even when the same batch deletes it first (AWS accepts that batch) — our
    // cleanup's restoring CREATE would trip over a foreign CREATE of exactly that set. See the report / facts.md.
    const foreign = { Name: name, Type: 'TXT' as const, TTL: 300, ResourceRecords: [{ Value: '"foreign"' }] };
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: foreign }] },
      }),
    );
    cleanups.push(() =>
      clients.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: foreign }] },
        }),
      ),
    );
    const provider = new Route53Provider({ client: clients.route53, throttleFor });
    const ours = [{ fqdn: name, value: value() }, { fqdn: name, value: value() }, challenge('other.example.test')];
    const presentation = await provider.present(ours);
    expect(await storedValues(zoneId, name)).toHaveLength(3);

    counter.reset();
    await provider.cleanup(presentation);
    expect(counter.count('ChangeResourceRecordSetsCommand')).toBe(1);
    expect(await storedValues(zoneId, name)).toEqual(['"foreign"']);
    expect(await storedValues(zoneId, challengeRecordName('other.example.test'))).toEqual([]);

    counter.reset();
    await provider.cleanup(presentation);
    expect(counter.count('ChangeResourceRecordSetsCommand')).toBe(0);
  });

  const discovery: Record<string, { identifier: string; zone: string }> = {
    'a name in the parent zone goes to example.test': { identifier: 'www.example.test', zone: 'example.test' },
    'a name below sub.example.test goes to the longer zone': {
      identifier: 'a.sub.example.test',
      zone: 'sub.example.test',
    },
    'a private zone never wins, however long': { identifier: 'x.deep.sub.example.test', zone: 'sub.example.test' },
  };
  it.each(Object.entries(discovery))('discovers the zone: %s', async (_name, { identifier, zone }) => {
    const provider = new Route53Provider({ client: clients.route53, throttleFor });
    const record = challenge(identifier);
    const presentation = track(provider, await provider.present([record]));
    expect(presentation.zones[0]).toMatchObject({ zone, zoneId: zoneIds[zone] });
    expect(await storedValues(zoneIds[zone] as string, record.fqdn)).toEqual([`"${record.value}"`]);
  });

  it('uses an explicit hosted zone id without listing zones', async () => {
    const zoneId = zoneIds['example.test'] as string;
    const provider = new Route53Provider({
      client: clients.route53,
      throttleFor,
      zones: [{ name: 'example.test', hostedZoneId: zoneId }],
    });
    const record = challenge('explicit.example.test');
    const presentation = track(provider, await provider.present([record]));
    expect(presentation.zones[0]?.zoneId).toBe(zoneId);
    expect(counter.count('ListHostedZonesCommand')).toBe(0);
    expect(await storedValues(zoneId, record.fqdn)).toEqual([`"${record.value}"`]);
  });

  it('writes a zone of another account through its role (STS AssumeRole with ExternalId)', async () => {
    const tenant = clients.forRole(ROLE);
    const tenantZoneId = await createZone(tenant.route53, 'tenant.test');
    // The default identity does not see the tenant's zone: only the role can reach it.
    const visible = await clients.route53.send(new ListHostedZonesCommand({}));
    expect(visible.HostedZones?.map((zone) => zone.Name)).not.toContain('tenant.test.');

    const provider = new Route53Provider({
      client: route53ClientForZone(clients, { sessionName: 'portcullis-test' }),
      throttleFor,
      zones: [{ name: 'tenant.test', ...ROLE }],
    });
    const record = challenge('www.tenant.test');
    const presentation = await provider.present([record]);
    expect(presentation.zones[0]).toMatchObject({ zone: 'tenant.test', zoneId: tenantZoneId });
    expect(await storedValues(tenantZoneId, record.fqdn, tenant.route53)).toEqual([`"${record.value}"`]);
    await provider.cleanup(presentation);
    expect(await storedValues(tenantZoneId, record.fqdn, tenant.route53)).toEqual([]);
  });

  it.each([1, 3, 10])('costs one read per name and one change batch for an order of %i names', async (names) => {
    const zoneId = zoneIds['example.test'] as string;
    const provider = new Route53Provider({
      client: clients.route53,
      throttleFor,
      zones: [{ name: 'example.test', hostedZoneId: zoneId }],
    });
    const records = Array.from({ length: names }, (_, i) => challenge(`n${i}.calls.example.test`));
    const presentation = track(provider, await provider.present(records));
    await provider.isCommitted(presentation);
    expect(counter.byCommand()).toEqual({
      ListResourceRecordSetsCommand: names,
      ChangeResourceRecordSetsCommand: 1,
      GetChangeCommand: 1,
    });
  });
});
