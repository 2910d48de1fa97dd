import type { AlertRecord } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { listAlerts } from './alert-queries.js';
import { ApiError } from './errors.js';
import type { AlertsQuery } from './schemas.js';
import { callerOf, unitApi } from './test-dependencies.js';

function alert(key: string, tenant: string | undefined, extra: Partial<AlertRecord> = {}): AlertRecord {
  const [kind = 'expiring', subject = key] = key.split(':');
  return {
    key,
    kind: kind as AlertRecord['kind'],
    severity: 'warning',
    subject,
    names: tenant === undefined ? [] : [`${subject}.example.test`],
    summary: `${key} needs attention`,
    details: { daysLeft: '7' },
    runbook: `docs/runbooks/${kind}.md`,
    fingerprint: 'f1',
    state: 'open',
    openedAt: '2026-06-01T00:00:00Z',
    lastSeenAt: '2026-06-01T06:00:00Z',
    version: 0,
    ...(tenant === undefined ? {} : { tenant, certificateId: subject }),
    ...extra,
  };
}

/** acme: a, c, e; globex: b; account-wide: d, f (keys interleave, so a merged listing must sort). */
async function seeded() {
  const api = unitApi();
  for (const record of [
    alert('expiring:a', 'acme'),
    alert('expiring:b', 'globex'),
    alert('drift:c', 'acme', { state: 'resolved', resolvedAt: '2026-06-01T07:00:00Z' }),
    alert('dlq-not-empty:d', undefined),
    alert('stale:e', 'acme'),
    alert('unmanaged-expiring:f', undefined),
  ]) {
    await api.alerts.put(record);
  }
  return api;
}

async function everyKey(tenant: string, query: AlertsQuery, limit: string): Promise<string[][]> {
  const api = await seeded();
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listAlerts(api.deps, callerOf(tenant), {
      ...query,
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    pages.push(page.items.map((item) => item.key));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 10);
  return pages;
}

describe('listAlerts', () => {
  const cases: Record<string, { tenant: string; query?: AlertsQuery; limit: string; pages: string[][] }> = {
    'shows a tenant only its own certificates’ alerts': {
      tenant: 'acme',
      limit: '20',
      pages: [['drift:c', 'expiring:a', 'stale:e']],
    },
    'shows an operator account-wide alerts besides its own (none here)': {
      tenant: 'platform',
      limit: '20',
      pages: [['dlq-not-empty:d', 'unmanaged-expiring:f']],
    },
    'pages an operator’s merged listing in key order, never repeating or skipping': {
      tenant: 'platform',
      limit: '1',
      pages: [['dlq-not-empty:d'], ['unmanaged-expiring:f']],
    },
    'filters by state': { tenant: 'acme', query: { state: 'open' }, limit: '20', pages: [['expiring:a', 'stale:e']] },
    'filters by kind': { tenant: 'acme', query: { kind: 'stale' }, limit: '20', pages: [['stale:e']] },
    'filters by certificate, never showing another tenant’s': {
      tenant: 'acme',
      query: { certificateId: 'b' },
      limit: '20',
      pages: [[]],
    },
    'pages a tenant’s own alerts two at a time': {
      tenant: 'acme',
      limit: '2',
      pages: [['drift:c', 'expiring:a'], ['stale:e']],
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { tenant, query, limit, pages }) => {
    expect(await everyKey(tenant, query ?? {}, limit)).toEqual(pages);
  });

  it('merges an operator’s own and account-wide alerts across pages', async () => {
    const api = await seeded();
    // The operator tenant's own certificate alerts interleave with the account-wide ones.
    await api.alerts.put(alert('expiring:ops1', 'platform'));
    await api.alerts.put(alert('stale:ops2', 'platform'));
    const keys: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAlerts(api.deps, callerOf('platform'), {
        limit: '2',
        ...(cursor === undefined ? {} : { cursor }),
      });
      keys.push(...page.items.map((item) => item.key));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    expect(keys).toEqual(['dlq-not-empty:d', 'expiring:ops1', 'stale:ops2', 'unmanaged-expiring:f']);
    expect(pages).toBe(2);
  });

  it('leaves out the version and keeps every documented field', async () => {
    const api = await seeded();
    const page = await listAlerts(api.deps, callerOf('acme'), { kind: 'drift' });
    expect(page.items).toEqual([
      {
        key: 'drift:c',
        kind: 'drift',
        severity: 'warning',
        state: 'resolved',
        certificateId: 'c',
        tenant: 'acme',
        subject: 'c',
        names: ['c.example.test'],
        summary: 'drift:c needs attention',
        details: { daysLeft: '7' },
        runbook: 'docs/runbooks/drift.md',
        fingerprint: 'f1',
        openedAt: '2026-06-01T00:00:00Z',
        lastSeenAt: '2026-06-01T06:00:00Z',
        resolvedAt: '2026-06-01T07:00:00Z',
      },
    ]);
  });

  const badCursors: Record<string, (cursor: string) => { tenant: string; query: AlertsQuery }> = {
    'refuses a cursor of another tenant': (cursor) => ({ tenant: 'globex', query: { cursor } }),
    'refuses a cursor with other filters': (cursor) => ({ tenant: 'acme', query: { state: 'open', cursor } }),
    'refuses a forged cursor': () => ({ tenant: 'acme', query: { cursor: 'bm90LWEtY3Vyc29y' } }),
  };
  it.each(Object.entries(badCursors))('%s', async (_name, make) => {
    const api = await seeded();
    const first = await listAlerts(api.deps, callerOf('acme'), { limit: '1' });
    const { tenant, query } = make(first.nextCursor as string);
    const error = await listAlerts(api.deps, callerOf(tenant), query).catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problems[0]).toMatchObject({ field: 'query.cursor', rule: 'cursor' });
  });
});
