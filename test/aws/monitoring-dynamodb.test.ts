/**
 * The monitor's DynamoDB stores on real moto_server: alerts (conditional puts on version, filtered listings paged by
 * key, TTL only on resolved alerts) and observations (one item per certificate, in the same table, never listed as
 * alerts). The port contracts themselves are also checked by the conformance suites (test/conformance).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  alertItemKey,
  DynamoDbAlertRepository,
  DynamoDbDerivedAttribute,
  DynamoDbObservationStore,
} from '@portcullis/aws';
import { type AlertRecord, ConflictError, type Observation, ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { useDynamoDbStack } from './dynamodb-support.js';

const dynamodb = useDynamoDbStack();

function alert(key: string, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    key,
    kind: 'expiring',
    severity: 'warning',
    certificateId: 'cert-1',
    tenant: 'team-a',
    subject: 'cert-1',
    names: ['www.example.test'],
    threshold: '14d',
    summary: 'cert-1 expires in 13 days.',
    details: { daysLeft: '13' },
    runbook: 'docs/runbooks/expiring.md',
    fingerprint: 'serial-1',
    state: 'open',
    openedAt: '2026-05-01T00:00:00Z',
    lastSeenAt: '2026-05-01T00:00:00Z',
    version: 0,
    ...overrides,
  };
}

/** The same alert without certificate and tenant (unmanaged ACM, DLQ). */
function accountWide(record: AlertRecord): AlertRecord {
  const { certificateId: _certificateId, tenant: _tenant, ...rest } = record;
  return rest;
}

async function stores() {
  const { client, freshTables } = dynamodb();
  const tables = await freshTables();
  return {
    client,
    table: tables.alerts,
    alerts: new DynamoDbAlertRepository({ client, tableName: tables.alerts, resolvedRetentionDays: 7 }),
    observations: new DynamoDbObservationStore({ client, tableName: tables.alerts }),
  };
}

/** Every item of a listing, page by page, with the page sizes seen. */
async function listAll(repository: DynamoDbAlertRepository, filter: Parameters<DynamoDbAlertRepository['list']>[0]) {
  const keys: string[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.list(filter, { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
    keys.push(...page.items.map((item) => item.key));
    sizes.push(page.items.length);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { keys, sizes };
}

describe('DynamoDbAlertRepository', () => {
  it('creates on version 0, updates on the stored version, and refuses a stale version with a conflict', async () => {
    const { alerts } = await stores();
    const created = await alerts.put(alert('expiring:cert-1:acm'));
    expect(created.version).toBe(1);
    expect(await alerts.get('expiring:cert-1:acm')).toEqual(created);

    const again = await alerts.put(alert('expiring:cert-1:acm')).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toContain('alert expiring:cert-1:acm is at version 1, the put expected absent');

    const updated = await alerts.put({ ...created, severity: 'critical', threshold: '7d' });
    expect(updated).toMatchObject({ version: 2, severity: 'critical', threshold: '7d' });
    const stale = await alerts.put({ ...created, summary: 'late writer' }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as Error).message).toContain('is at version 2, the put expected 1');
    expect(await alerts.get('expiring:cert-1:acm')).toEqual(updated);
    expect(await alerts.get('expiring:cert-9:acm')).toBeUndefined();
  });

  it('expires only resolved alerts, and a reopened alert loses the expiry', async () => {
    const { alerts, client, table } = await stores();
    const raw = async () =>
      (
        await client.send(
          new GetItemCommand({
            TableName: table,
            Key: { [DynamoDbDerivedAttribute.PartitionKey]: { S: alertItemKey('drift:cert-1:acm') } },
          }),
        )
      ).Item;
    const open = await alerts.put(alert('drift:cert-1:acm', { kind: 'drift' }));
    expect((await raw())?.[DynamoDbDerivedAttribute.ExpiresAt]).toBeUndefined();
    const resolved = await alerts.put({ ...open, state: 'resolved', resolvedAt: '2026-05-02T00:00:00Z' });
    expect((await raw())?.[DynamoDbDerivedAttribute.ExpiresAt]).toEqual({
      N: String(Date.parse('2026-05-09T00:00:00Z') / 1000),
    });
    const { resolvedAt: _resolvedAt, ...reopenedRecord } = resolved;
    await alerts.put({ ...reopenedRecord, state: 'open' });
    expect((await raw())?.[DynamoDbDerivedAttribute.ExpiresAt]).toBeUndefined();
  });

  it('lists by state, kind, certificate and tenant in key order, paging without repeats or gaps', async () => {
    const { alerts, observations } = await stores();
    const seeded: AlertRecord[] = [
      alert('drift:cert-1:endpoint:www.example.test:443', { kind: 'drift' }),
      alert('expiring:cert-1:acm'),
      alert('expiring:cert-1:secret', { state: 'resolved', resolvedAt: '2026-05-02T00:00:00Z' }),
      alert('expiring:cert-2:acm', { certificateId: 'cert-2', subject: 'cert-2', tenant: 'team-b' }),
      alert('expiring:cert-3:acm', { certificateId: 'cert-3', subject: 'cert-3' }),
      alert('expiring:cert-4:acm', { certificateId: 'cert-4', subject: 'cert-4' }),
      accountWide(alert('dlq-not-empty:reconcile-dlq', { kind: 'dlq-not-empty', subject: 'reconcile-dlq', names: [] })),
      accountWide(
        alert('unmanaged-expiring:arn:aws:acm:us-east-1:123456789012:certificate/x', {
          kind: 'unmanaged-expiring',
          subject: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
        }),
      ),
    ];
    for (const record of seeded) await alerts.put(record);
    // Observation items share the table: they must never show up as alerts.
    await observations.put('cert-1', [
      { location: 'acm', source: 'acm', observedAt: '2026-05-01T00:00:00Z', serial: 'a1' },
    ]);

    const keys = (filter: (record: AlertRecord) => boolean) =>
      seeded
        .filter(filter)
        .map((record) => record.key)
        .sort();
    const cases: [string, Parameters<DynamoDbAlertRepository['list']>[0], string[]][] = [
      ['everything', {}, keys(() => true)],
      ['open ones', { state: 'open' }, keys((record) => record.state === 'open')],
      [
        'open expiring ones',
        { state: 'open', kind: 'expiring' },
        keys((r) => r.state === 'open' && r.kind === 'expiring'),
      ],
      ['one certificate', { certificateId: 'cert-1' }, keys((record) => record.certificateId === 'cert-1')],
      [
        'one certificate, open',
        { certificateId: 'cert-1', state: 'open' },
        keys((r) => r.certificateId === 'cert-1' && r.state === 'open'),
      ],
      ['one tenant', { tenant: 'team-a' }, keys((record) => record.tenant === 'team-a')],
      ['account-wide only', { tenant: null }, keys((record) => record.tenant === undefined)],
      ['nothing matching', { kind: 'stale' }, []],
    ];
    for (const [name, filter, expected] of cases) {
      const { keys: listed, sizes } = await listAll(alerts, filter);
      expect([name, listed]).toEqual([name, expected]);
      // A cursor only when another non-empty page follows: every page but the last is full.
      expect([name, sizes.slice(0, -1).every((size) => size === 2)]).toEqual([name, true]);
    }
  });

  it('keeps a cursor of another listing out, and refuses a bad filter before any request', async () => {
    const { alerts } = await stores();
    await expect(alerts.list({}, { limit: 10, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      field: 'page.cursor',
    });
    await expect(alerts.list({ kind: 'nope' as 'stale' }, { limit: 10 })).rejects.toBeInstanceOf(ValidationError);
    await expect(alerts.put(alert(''))).rejects.toMatchObject({ field: 'key' });
  });
});

describe('DynamoDbObservationStore', () => {
  it('answers [] before the first look, then the last list put, replaced whole', async () => {
    const { observations } = await stores();
    expect(await observations.get('cert-1')).toEqual([]);
    const first: Observation[] = [
      {
        location: 'acm',
        source: 'acm',
        observedAt: '2026-05-01T00:00:00Z',
        serial: 'a1',
        notAfter: '2026-06-01T00:00:00Z',
        address: 'arn:aws:acm:us-east-1:123456789012:certificate/a',
      },
      {
        location: 'endpoint:www.example.test:443',
        source: 'endpoint',
        observedAt: '2026-05-01T00:00:00Z',
        error: 'tls: www.example.test:443 did not answer within 5000 ms',
      },
    ];
    await observations.put('cert-1', first);
    expect(await observations.get('cert-1')).toEqual(first);
    const second = [{ ...first[0], observedAt: '2026-05-02T00:00:00Z', serial: 'b2' }] as Observation[];
    await observations.put('cert-1', second);
    expect(await observations.get('cert-1')).toEqual(second);
    expect(await observations.get('cert-2')).toEqual([]);
  });

  it('refuses an observation without a known source, naming it', async () => {
    const { observations } = await stores();
    await expect(
      observations.put('cert-1', [{ location: 'x', source: 'ftp' as 'acm', observedAt: '2026-05-01T00:00:00Z' }]),
    ).rejects.toMatchObject({ field: 'observations[0].source' });
  });
});
