import { describe, expect, it } from 'vitest';
import { type AlertDecision, alertOf, type DedupOptions, decideAlerts } from './dedup.js';
import type { Alert, AlertRecord } from './types.js';

const NOW = '2026-06-02T00:00:00Z';
const EARLIER = '2026-06-01T00:00:00Z';

function alert(key: string, changes: Partial<Alert> = {}): Alert {
  return {
    key,
    kind: 'expiring',
    severity: 'warning',
    certificateId: 'c1',
    tenant: 't',
    subject: 'c1',
    names: ['example.test'],
    location: 'current',
    threshold: '14d',
    summary: 'The certificate c1 expires.',
    details: { daysLeft: '10.0' },
    runbook: 'docs/runbooks/expiring.md',
    fingerprint: 'serial:aa',
    ...changes,
  };
}

function stored(key: string, changes: Partial<AlertRecord> = {}): AlertRecord {
  return {
    ...alert(key),
    state: 'open',
    openedAt: EARLIER,
    lastSeenAt: EARLIER,
    notifiedAt: EARLIER,
    version: 3,
    ...changes,
  };
}

function neverNotified(key: string): AlertRecord {
  const { notifiedAt: _never, ...record } = stored(key);
  return record;
}

/** The decision reduced to what the cases compare. */
const brief = (decisions: readonly AlertDecision[]) =>
  decisions.map((d) => ({
    key: d.key,
    action: d.action,
    notify: d.notify,
    version: d.record?.version,
    state: d.record?.state,
  }));

const cases: Record<
  string,
  { found: Alert[]; stored: AlertRecord[]; options?: DedupOptions; want: ReturnType<typeof brief> }
> = {
  'opens and notifies an alert never seen before': {
    found: [alert('a')],
    stored: [],
    want: [{ key: 'a', action: 'opened', notify: 'opened', version: 0, state: 'open' }],
  },
  'only refreshes an alert seen again unchanged': {
    found: [alert('a', { details: { daysLeft: '9.0' } })],
    stored: [stored('a')],
    want: [{ key: 'a', action: 'unchanged', notify: undefined, version: 3, state: 'open' }],
  },
  'notifies a change of threshold': {
    found: [alert('a', { threshold: '7d' })],
    stored: [stored('a')],
    want: [{ key: 'a', action: 'changed', notify: 'changed', version: 3, state: 'open' }],
  },
  'notifies a change of severity': {
    found: [alert('a', { severity: 'critical' })],
    stored: [stored('a')],
    want: [{ key: 'a', action: 'changed', notify: 'changed', version: 3, state: 'open' }],
  },
  'notifies a change of fingerprint': {
    found: [alert('a', { fingerprint: 'serial:bb' })],
    stored: [stored('a')],
    want: [{ key: 'a', action: 'changed', notify: 'changed', version: 3, state: 'open' }],
  },
  'resolves and notifies an open alert no longer found': {
    found: [],
    stored: [stored('a')],
    want: [{ key: 'a', action: 'resolved', notify: 'resolved', version: 3, state: 'resolved' }],
  },
  'leaves an open alert alone when the run did not look at it': {
    found: [],
    stored: [stored('a'), stored('b')],
    options: { covers: (r) => r.key !== 'b' },
    want: [
      { key: 'a', action: 'resolved', notify: 'resolved', version: 3, state: 'resolved' },
      { key: 'b', action: 'unobserved', notify: undefined, version: undefined, state: undefined },
    ],
  },
  'retries the opening notification of a record never notified': {
    found: [alert('a')],
    stored: [neverNotified('a')],
    want: [{ key: 'a', action: 'opened', notify: 'opened', version: 3, state: 'open' }],
  },
  'retries the opening notification of a record notified before it last opened': {
    found: [alert('a')],
    stored: [stored('a', { notifiedAt: '2026-05-01T00:00:00Z' })],
    want: [{ key: 'a', action: 'opened', notify: 'opened', version: 3, state: 'open' }],
  },
  'ignores stored records that are not open': {
    found: [alert('a')],
    stored: [stored('a', { state: 'resolved', resolvedAt: EARLIER })],
    want: [{ key: 'a', action: 'opened', notify: 'opened', version: 0, state: 'open' }],
  },
  'keeps the first of two alerts found under one key, and sorts by key': {
    found: [alert('b'), alert('a'), alert('a', { threshold: '7d' })],
    stored: [],
    want: [
      { key: 'a', action: 'opened', notify: 'opened', version: 0, state: 'open' },
      { key: 'b', action: 'opened', notify: 'opened', version: 0, state: 'open' },
    ],
  },
};

describe('decideAlerts', () => {
  it.each(Object.entries(cases))('%s', (_name, { found, stored, options, want }) => {
    expect(brief(decideAlerts(found, stored, NOW, options))).toEqual(want);
  });

  it('keeps openedAt and notifiedAt and takes the fresh details for an unchanged alert', () => {
    const [decision] = decideAlerts([alert('a', { details: { daysLeft: '9.0' } })], [stored('a')], NOW);
    expect(decision?.record).toMatchObject({
      openedAt: EARLIER,
      notifiedAt: EARLIER,
      lastSeenAt: NOW,
      details: { daysLeft: '9.0' },
    });
  });

  it('stamps a new record opened and last seen now, without notifiedAt', () => {
    const [decision] = decideAlerts([alert('a')], [], NOW);
    expect(decision?.record).toMatchObject({ openedAt: NOW, lastSeenAt: NOW });
    expect(decision?.record?.notifiedAt).toBeUndefined();
  });

  it('resolves with the stored content and the resolution time', () => {
    const [decision] = decideAlerts([], [stored('a')], NOW);
    expect(decision?.record).toEqual({ ...stored('a'), state: 'resolved', resolvedAt: NOW });
  });
});

describe('alertOf', () => {
  it('strips the record fields, leaving what a notification carries', () => {
    expect(alertOf(stored('a', { resolvedAt: NOW }))).toEqual(alert('a'));
  });
});
