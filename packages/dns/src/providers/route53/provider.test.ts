import { InvalidChangeBatch, type Route53Client } from '@aws-sdk/client-route-53';
import { type Presentation, ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import type { Route53ProviderConfig, Route53ZoneConfig } from './config.js';
import { Route53Error, Route53ErrorCode } from './errors.js';
import { awsError, FakeRoute53, manualClock } from './fake-route53.js';
import { Route53Provider } from './provider.js';
import { TokenBucket } from './throttle.js';

// Unit tests against the in-memory fake with AWS's semantics (fake-route53.ts). moto cannot produce what most of
// these cases need — PENDING changes, throttling, InvalidChangeBatch on a lost compare-and-swap — and differs from
// AWS on CREATE of an existing set; the integration tests in test/dns/route53*.test.ts run against moto.

const APEX = '_acme-challenge.example.test';
const WWW = '_acme-challenge.www.example.test';

class CountingBucket extends TokenBucket {
  taken = 0;
  override async take(): Promise<void> {
    this.taken++;
    await super.take();
  }
}

function setup(config: Partial<Route53ProviderConfig> = {}) {
  const fake = new FakeRoute53();
  const clock = manualClock();
  const bucket = new CountingBucket({ ratePerSecond: 10, burst: 50, clock });
  const accounts: string[] = [];
  const provider = new Route53Provider({
    client: fake.client,
    clock,
    random: () => 1,
    throttleFor: (account) => {
      accounts.push(account);
      return bucket;
    },
    ...config,
  });
  return { fake, clock, bucket, accounts, provider };
}

const values = (fake: FakeRoute53, zoneId: string, name: string) =>
  fake.txt(zoneId, name)?.ResourceRecords?.map((record) => record.Value);

describe('Route53Provider.present', () => {
  it('writes apex and wildcard values into one record set, and the whole zone in one change batch', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    const presentation = await provider.present([
      { fqdn: APEX, value: 'apex-value' },
      { fqdn: `${APEX}.`, value: 'wildcard-value' },
      { fqdn: WWW.toUpperCase(), value: 'www-value' },
    ]);
    expect(fake.count('ChangeResourceRecordSets')).toBe(1);
    expect(values(fake, zoneId, APEX)).toEqual(['"apex-value"', '"wildcard-value"']);
    expect(values(fake, zoneId, WWW)).toEqual(['"www-value"']);
    expect(presentation).toEqual({
      provider: 'route53',
      zones: [
        {
          zone: 'example.test',
          zoneId,
          changeId: expect.stringMatching(/^C\d+$/),
          records: [
            { fqdn: APEX, value: 'apex-value' },
            { fqdn: APEX, value: 'wildcard-value' },
            { fqdn: WWW, value: 'www-value' },
          ],
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(presentation))).toEqual(presentation);
  });

  it('sends one batch per zone when the order spans zones', async () => {
    const { fake, provider } = setup();
    const parent = fake.addZone('example.test');
    const child = fake.addZone('sub.example.test');
    const presentation = await provider.present([
      { fqdn: APEX, value: 'a' },
      { fqdn: '_acme-challenge.x.sub.example.test', value: 'b' },
      { fqdn: '_acme-challenge.y.sub.example.test', value: 'c' },
    ]);
    expect(fake.count('ChangeResourceRecordSets')).toBe(2);
    expect(presentation.zones.map((zone) => [zone.zoneId, zone.records.length])).toEqual([
      [parent, 1],
      [child, 2],
    ]);
  });

  it('keeps the values and the TTL of other writers when merging ours in', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    fake.putTxt(zoneId, APEX, ['"foreign"'], 3600);
    await provider.present([{ fqdn: APEX, value: 'ours' }]);
    expect(fake.txt(zoneId, APEX)).toMatchObject({
      TTL: 3600,
      ResourceRecords: [{ Value: '"foreign"' }, { Value: '"ours"' }],
    });
  });

  it('succeeds without a change when every value is already there', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    fake.putTxt(zoneId, APEX, ['"ours"']);
    const presentation = await provider.present([{ fqdn: APEX, value: 'ours' }]);
    expect(fake.count('ChangeResourceRecordSets')).toBe(0);
    expect(presentation.zones).toEqual([{ zone: 'example.test', zoneId, records: [{ fqdn: APEX, value: 'ours' }] }]);
    await expect(provider.isCommitted(presentation)).resolves.toBe(true);
  });

  it('re-reads and retries when another writer changed the set between our read and our write', async () => {
    const { fake, clock, provider } = setup();
    const zoneId = fake.addZone('example.test');
    let raced = false;
    fake.beforeChange = () => {
      if (raced) return;
      raced = true;
      fake.putTxt(zoneId, APEX, ['"concurrent order"'], 60);
    };
    await provider.present([{ fqdn: APEX, value: 'ours' }]);
    expect(values(fake, zoneId, APEX)).toEqual(['"concurrent order"', '"ours"']);
    expect(fake.count('ListResourceRecordSets')).toBe(2);
    expect(fake.count('ChangeResourceRecordSets')).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('gives up with a retryable conflict when the set keeps changing', async () => {
    const { fake, provider } = setup({ maxConflictRetries: 2 });
    const zoneId = fake.addZone('example.test');
    let writes = 0;
    fake.beforeChange = () => fake.putTxt(zoneId, APEX, [`"writer ${++writes}"`]);
    const error = await provider.present([{ fqdn: APEX, value: 'ours' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Route53Error);
    expect(error).toMatchObject({
      route53Code: Route53ErrorCode.Conflict,
      retryable: true,
      zoneId,
      awsCode: 'InvalidChangeBatch',
    });
    expect(fake.count('ChangeResourceRecordSets')).toBe(3);
  });

  it('reports a refusal that re-reading does not explain, naming zone, record and AWS code', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    const refusal = new InvalidChangeBatch({ message: 'Invalid TXT value', $metadata: { httpStatusCode: 400 } });
    fake.failNext('ChangeResourceRecordSets', refusal, 2);
    const error = await provider.present([{ fqdn: APEX, value: 'ours' }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ route53Code: Route53ErrorCode.ChangeRejected, retryable: false });
    expect((error as Error).message).toBe(
      `route53: zone ${zoneId} (example.test) record ${APEX}: ChangeResourceRecordSets: InvalidChangeBatch: Invalid TXT value`,
    );
    expect(fake.count('ChangeResourceRecordSets')).toBe(2);
  });

  it('splits into several atomic batches only past the batch limits, recording each change', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    const names = Array.from({ length: 51 }, (_, i) => `_acme-challenge.n${i}.example.test`);
    for (const name of names) fake.putTxt(zoneId, name, ['"foreign"']); // 51 swaps = 102 changes > 100
    const presentation = await provider.present(names.map((fqdn) => ({ fqdn, value: 'ours' })));
    expect(fake.count('ChangeResourceRecordSets')).toBe(2);
    expect(presentation.zones.map((zone) => zone.records.length)).toEqual([50, 1]);
    expect(new Set(presentation.zones.map((zone) => zone.changeId)).size).toBe(2);

    await provider.cleanup(presentation);
    expect(fake.count('ChangeResourceRecordSets')).toBe(4);
    for (const name of names) expect(values(fake, zoneId, name)).toEqual(['"foreign"']);
  });

  it('passes every call through the account throttle', async () => {
    const { fake, bucket, accounts, provider } = setup();
    fake.addZone('example.test');
    const presentation = await provider.present([
      { fqdn: APEX, value: 'a' },
      { fqdn: WWW, value: 'b' },
    ]);
    await provider.isCommitted(presentation);
    expect(bucket.taken).toBe(fake.calls.length);
    expect(fake.calls.map((call) => call.command)).toEqual([
      'ListHostedZones',
      'ListResourceRecordSets',
      'ListResourceRecordSets',
      'ChangeResourceRecordSets',
      'GetChange',
    ]);
    expect(new Set(accounts)).toEqual(new Set(['default']));
  });

  const invalid: Record<string, { fqdn: string; value: string; field: string }> = {
    'an empty label': { fqdn: '_acme-challenge..example.test', value: 'v', field: 'records[0].fqdn' },
    'a single-label name': { fqdn: 'localhost', value: 'v', field: 'records[0].fqdn' },
    'an empty value': { fqdn: APEX, value: '', field: 'records[0].value' },
  };
  it.each(Object.entries(invalid))('refuses %s before any call', async (_name, { fqdn, value, field }) => {
    const { fake, provider } = setup();
    const error = await provider.present([{ fqdn, value }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(fake.calls).toEqual([]);
  });
});

describe('Route53Provider zone discovery', () => {
  const cases: Record<string, { fqdn: string; want: string }> = {
    'picks the zone of the apex': { fqdn: APEX, want: 'example.test' },
    'picks the longest matching zone': { fqdn: '_acme-challenge.a.sub.example.test', want: 'sub.example.test' },
    'skips a private zone even when it is longer': {
      fqdn: '_acme-challenge.deep.sub.example.test',
      want: 'sub.example.test',
    },
    'does not match a zone that is only a string suffix': { fqdn: '_acme-challenge.notexample.test', want: 'test' },
  };
  it.each(Object.entries(cases))('%s', async (_name, { fqdn, want }) => {
    const { fake, provider } = setup();
    fake.addZone('test');
    fake.addZone('example.test');
    fake.addZone('sub.example.test');
    fake.addZone('deep.sub.example.test', { privateZone: true });
    const presentation = await provider.present([{ fqdn, value: 'v' }]);
    expect(presentation.zones[0]?.zone).toBe(want);
  });

  it('reads every page of the zone list once, then reuses it until the cache expires', async () => {
    const { fake, clock, provider } = setup({ zoneCacheTtlMs: 60_000 });
    fake.pageSize = 1;
    fake.addZone('other.test');
    fake.addZone('example.test');
    await provider.present([{ fqdn: APEX, value: 'a' }]);
    await provider.present([{ fqdn: WWW, value: 'b' }]);
    expect(fake.count('ListHostedZones')).toBe(2);
    clock.advance(60_001);
    await provider.present([{ fqdn: APEX, value: 'c' }]);
    expect(fake.count('ListHostedZones')).toBe(4);
  });

  it('uses an explicit hosted zone id without listing zones', async () => {
    const { fake, provider } = setup({ zones: [{ name: 'example.test', hostedZoneId: 'ZEXPLICIT' }] });
    fake.addZone('example.test', { id: 'ZEXPLICIT' });
    const presentation = await provider.present([{ fqdn: APEX, value: 'v' }]);
    expect(presentation.zones[0]).toMatchObject({ zone: 'example.test', zoneId: 'ZEXPLICIT' });
    expect(fake.count('ListHostedZones')).toBe(0);
  });

  const failures: Record<string, { zones: [string, boolean?][]; code: Route53ErrorCode; message: RegExp }> = {
    'no public zone encloses the name': {
      zones: [['other.test'], ['example.test', true]],
      code: Route53ErrorCode.ZoneNotFound,
      message: /record _acme-challenge.example.test: ListHostedZones: no public hosted zone encloses the name/,
    },
    'two public zones share the name': {
      zones: [['example.test'], ['example.test']],
      code: Route53ErrorCode.ZoneAmbiguous,
      message: /2 public hosted zones have this name .*configure hostedZoneId/,
    },
  };
  it.each(Object.entries(failures))('fails clearly when %s', async (_name, { zones, code, message }) => {
    const { fake, provider } = setup();
    for (const [name, privateZone] of zones) fake.addZone(name, { privateZone: privateZone ?? false });
    const error = await provider.present([{ fqdn: APEX, value: 'v' }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ route53Code: code });
    expect((error as Error).message).toMatch(message);
    expect(fake.count('ChangeResourceRecordSets')).toBe(0);
  });

  it('gives a zone with a role its own client and its account its own throttle', async () => {
    const main = new FakeRoute53();
    const other = new FakeRoute53();
    const otherZone = other.addZone('tenant.test');
    main.addZone('example.test');
    const tenant: Route53ZoneConfig = {
      name: 'tenant.test',
      roleArn: 'arn:aws:iam::210987654321:role/dns',
      externalId: 'tenant-1',
    };
    const asked: (Route53ZoneConfig | undefined)[] = [];
    const clientFor = (zone: Route53ZoneConfig | undefined): Route53Client => {
      asked.push(zone);
      return zone?.roleArn === undefined ? main.client : other.client;
    };
    const { accounts, provider } = setup({ client: clientFor, zones: [tenant] });
    const presentation = await provider.present([
      { fqdn: APEX, value: 'a' },
      { fqdn: '_acme-challenge.www.tenant.test', value: 'b' },
    ]);
    expect(values(other, otherZone, '_acme-challenge.www.tenant.test')).toEqual(['"b"']);
    expect(main.count('ChangeResourceRecordSets')).toBe(1);
    expect(other.count('ChangeResourceRecordSets')).toBe(1);
    expect(asked).toEqual([undefined, tenant]);
    expect(new Set(accounts)).toEqual(new Set(['default', '210987654321']));

    await provider.cleanup(presentation);
    expect(other.txt(otherZone, '_acme-challenge.www.tenant.test')).toBeUndefined();
  });
});

describe('Route53Provider.cleanup', () => {
  it('removes only our values, in one batch per zone, and is idempotent', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    fake.putTxt(zoneId, APEX, ['"foreign"']);
    const presentation = await provider.present([
      { fqdn: APEX, value: 'apex' },
      { fqdn: APEX, value: 'wildcard' },
      { fqdn: WWW, value: 'www' },
    ]);
    await provider.cleanup(presentation);
    expect(fake.count('ChangeResourceRecordSets')).toBe(2);
    expect(values(fake, zoneId, APEX)).toEqual(['"foreign"']);
    expect(fake.txt(zoneId, WWW)).toBeUndefined();

    await provider.cleanup(presentation);
    expect(fake.count('ChangeResourceRecordSets')).toBe(2);
  });

  it('refuses a presentation another provider wrote', async () => {
    const { provider } = setup();
    const foreign: Presentation = { provider: 'rfc2136', zones: [] };
    await expect(provider.cleanup(foreign)).rejects.toMatchObject({
      route53Code: Route53ErrorCode.ForeignPresentation,
    });
  });

  it('names the zone id, the record and the AWS code when AWS refuses', async () => {
    const { fake, provider } = setup();
    const zoneId = fake.addZone('example.test');
    const presentation = await provider.present([{ fqdn: APEX, value: 'v' }]);
    fake.failNext('ChangeResourceRecordSets', awsError('AccessDenied', 'User is not authorized', 403));
    const error = await provider.cleanup(presentation).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `route53: zone ${zoneId} (example.test) record ${APEX}: ChangeResourceRecordSets: AccessDenied: User is not authorized`,
    );
  });
});

describe('Route53Provider commit', () => {
  it('is not committed while GetChange says PENDING', async () => {
    const { fake, provider } = setup();
    fake.addZone('example.test');
    fake.pendingPolls = 1;
    const presentation = await provider.present([{ fqdn: APEX, value: 'v' }]);
    await expect(provider.isCommitted(presentation)).resolves.toBe(false);
    await expect(provider.isCommitted(presentation)).resolves.toBe(true);
  });

  it('waits with growing, jittered pauses until INSYNC', async () => {
    const { fake, clock, provider } = setup();
    fake.addZone('example.test');
    fake.pendingPolls = 3;
    const presentation = await provider.present([{ fqdn: APEX, value: 'v' }]);
    await provider.waitForCommit(presentation);
    expect(fake.count('GetChange')).toBe(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('gives up waiting with a retryable error naming the change', async () => {
    const { fake, provider } = setup();
    fake.addZone('example.test');
    fake.pendingPolls = 1000;
    const presentation = await provider.present([{ fqdn: APEX, value: 'v' }]);
    const error = await provider.waitForCommit(presentation, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ route53Code: Route53ErrorCode.CommitTimeout, retryable: true });
    expect((error as Error).message).toContain(`changes ${presentation.zones[0]?.changeId} not INSYNC after 10000 ms`);
  });
});
