import { describe, expect, it } from 'vitest';
import { type CertificateRecord, type DeliveryState, newCertificateRecord, toIsoTime } from '../lifecycle/types.js';
import {
  type CertificateRuleInput,
  driftAlerts,
  evaluateCertificate,
  expiringAlerts,
  renewalFailingAlerts,
  staleAlerts,
} from './rules.js';
import { type Alert, DEFAULT_MONITOR_POLICY, type Observation } from './types.js';

const NOW = '2026-06-01T00:00:00Z';
const DAY = 86_400;
const at = (seconds: number) => toIsoTime(Date.parse(NOW) + seconds * 1000);

/** A certificate issued `age` seconds ago, `lifetime` seconds long (inclusive validity), delivered to `acm-eu`. */
function issued(
  changes: { lifetime?: number; age?: number; deliveries?: Record<string, DeliveryState> } = {},
): CertificateRecord {
  const lifetime = changes.lifetime ?? 90 * DAY;
  const age = changes.age ?? 10 * DAY;
  const base = newCertificateRecord(
    'c1',
    {
      names: ['example.test', 'www.example.test'],
      keyType: 'ec-p256',
      issuer: 'letsencrypt',
      challenge: 'dns-01',
      targets: [{ id: 'acm-eu', type: 'acm', options: { region: 'eu-west-1' } }],
      endpoints: [{ host: 'lb.example.test', port: 443 }],
      tenant: 'tenant-a',
    },
    at(-age),
  );
  return {
    ...base,
    status: {
      conditions: [],
      revision: 2,
      serial: 'aa02',
      names: ['example.test', 'www.example.test'],
      notBefore: at(-age),
      notAfter: at(lifetime - age - 1),
      renewal: { at: at(lifetime - age - lifetime / 3), source: 'lifetime' },
      deliveries: changes.deliveries ?? {
        'acm-eu': {
          state: 'delivered',
          revision: 2,
          serial: 'aa02',
          location: 'arn:acm:1',
          deliveredAt: at(-age + 60),
        },
      },
    },
  };
}

function observed(changes: Partial<Observation> = {}): Observation {
  return {
    location: 'acm-eu',
    source: 'acm',
    observedAt: NOW,
    serial: 'aa02',
    notAfter: at(80 * DAY - 1),
    address: 'arn:acm:1',
    ...changes,
  };
}

const input = (record: CertificateRecord, observations: Observation[] = []): CertificateRuleInput => ({
  record,
  observations,
  now: NOW,
  policy: DEFAULT_MONITOR_POLICY,
});

/** What a test compares: the identity and the dedup-relevant parts of each alert. */
const brief = (alerts: readonly Alert[]) =>
  alerts.map((a) => ({ key: a.key, severity: a.severity, threshold: a.threshold, fingerprint: a.fingerprint }));

const expiringCases: Record<string, { input: CertificateRuleInput; want: ReturnType<typeof brief> }> = {
  'raises nothing for a 90-day certificate 10 days old': {
    input: input(issued(), [observed()]),
    want: [],
  },
  'alerts the stored certificate and the target holding it at 7 days left': {
    input: input(issued({ age: 83 * DAY }), [observed({ notAfter: at(7 * DAY - 1) })]),
    want: [
      { key: 'expiring:c1:current', severity: 'critical', threshold: '7d', fingerprint: 'serial:aa02' },
      { key: 'expiring:c1:acm-eu', severity: 'critical', threshold: '7d', fingerprint: 'serial:aa02' },
    ],
  },
  'alerts only a target still serving an old serial, by days alone': {
    input: input(issued(), [observed({ serial: 'aa01', notAfter: at(10 * DAY) })]),
    want: [{ key: 'expiring:c1:acm-eu', severity: 'warning', threshold: '14d', fingerprint: 'serial:aa01' }],
  },
  'alerts a live endpoint by its location': {
    input: input(issued(), [
      observed({ location: 'endpoint:lb.example.test:443', source: 'endpoint', serial: 'ff', notAfter: at(DAY) }),
    ]),
    want: [
      {
        key: 'expiring:c1:endpoint:lb.example.test:443',
        severity: 'critical',
        threshold: '1d',
        fingerprint: 'serial:ff',
      },
    ],
  },
  'does not alert a fresh 6-day certificate': {
    input: input(issued({ lifetime: 6 * DAY, age: DAY }), [observed({ notAfter: at(5 * DAY - 1) })]),
    want: [],
  },
  'alerts a 6-day certificate with a third of its lifetime left, using its lifetime at the target too': {
    input: input(issued({ lifetime: 6 * DAY, age: 4 * DAY }), [observed({ notAfter: at(2 * DAY - 1) })]),
    want: [
      { key: 'expiring:c1:current', severity: 'warning', threshold: '1/3', fingerprint: 'serial:aa02' },
      { key: 'expiring:c1:acm-eu', severity: 'warning', threshold: '1/3', fingerprint: 'serial:aa02' },
    ],
  },
  'alerts an expired certificate as critical expiring': {
    input: input(issued({ age: 91 * DAY })),
    want: [{ key: 'expiring:c1:current', severity: 'critical', threshold: 'expired', fingerprint: 'serial:aa02' }],
  },
  'ignores observations that failed or found nothing': {
    input: input(issued(), [
      { location: 'acm-eu', source: 'acm', observedAt: NOW, error: 'acm: throttled' },
      { location: 'k8s', source: 'kubernetes', observedAt: NOW },
    ]),
    want: [],
  },
};

describe('expiringAlerts', () => {
  it.each(Object.entries(expiringCases))('%s', (_name, { input, want }) => {
    expect(brief(expiringAlerts(input))).toEqual(want);
  });

  it('says expired in the details and names the runbook, tenant and names', () => {
    const [alert] = expiringAlerts(input(issued({ age: 91 * DAY })));
    expect(alert).toMatchObject({
      kind: 'expiring',
      certificateId: 'c1',
      tenant: 'tenant-a',
      subject: 'c1',
      names: ['example.test', 'www.example.test'],
      location: 'current',
      runbook: 'docs/runbooks/expiring.md',
    });
    expect(alert?.details.expired).toMatch(/^expired at /);
    expect(alert?.summary).toBe(`The certificate c1 (example.test +1) as stored expired at ${at(-DAY - 1)}.`);
  });

  it('gives the same summary on every run while the threshold holds', () => {
    const record = issued({ age: 70 * DAY });
    const first = expiringAlerts(input(record))[0];
    const later = expiringAlerts({ ...input(record), now: at(3_600) })[0];
    expect(later?.summary).toBe(first?.summary);
  });
});

const failing = (count: number): CertificateRecord => {
  const base = issued({ age: 85 * DAY });
  return {
    ...base,
    status: {
      ...base.status,
      failures: {
        count,
        lastFailureAt: at(-3_600),
        backoffUntil: at(3_600),
        specHash: 'h',
        last: {
          reason: 'ValidationFailed',
          message: 'ca: the TXT record was not found',
          problem: { type: 'urn:ietf:params:acme:error:unauthorized', detail: 'no TXT' },
        },
      },
    },
  };
};

const failingCases: Record<string, { input: CertificateRuleInput; want: ReturnType<typeof brief> }> = {
  'raises nothing without failures': { input: input(issued()), want: [] },
  'alerts issuance failures with the reason and problem type as fingerprint': {
    input: input(failing(2)),
    want: [
      {
        key: 'renewal-failing:c1',
        severity: 'warning',
        threshold: undefined,
        fingerprint: 'ValidationFailed|urn:ietf:params:acme:error:unauthorized',
      },
    ],
  },
  'waits for failingAfter failures': {
    input: { ...input(failing(1)), policy: { ...DEFAULT_MONITOR_POLICY, failingAfter: 2 } },
    want: [],
  },
  'alerts each failed delivery, per target': {
    input: input(
      issued({
        deliveries: {
          'acm-eu': { state: 'failed', revision: 2, serial: 'aa02', failures: 3, message: 'acm: throttled' },
          'acm-us': { state: 'delivered', revision: 2, serial: 'aa02' },
          secret: { state: 'failed', revision: 2, serial: 'aa02', message: 'quota used up' },
        },
      }),
    ),
    want: [
      {
        key: 'renewal-failing:c1:acm-eu',
        severity: 'warning',
        threshold: undefined,
        fingerprint: 'revision:2|acm: throttled',
      },
      {
        key: 'renewal-failing:c1:secret',
        severity: 'warning',
        threshold: undefined,
        fingerprint: 'revision:2|quota used up',
      },
    ],
  },
};

describe('renewalFailingAlerts', () => {
  it.each(Object.entries(failingCases))('%s', (_name, { input, want }) => {
    expect(brief(renewalFailingAlerts(input))).toEqual(want);
  });

  it('carries the last reason, message, problem type, count and backoff in the details', () => {
    const [alert] = renewalFailingAlerts(input(failing(4)));
    expect(alert?.details).toMatchObject({
      reason: 'ValidationFailed',
      message: 'ca: the TXT record was not found',
      problemType: 'urn:ietf:params:acme:error:unauthorized',
      count: '4',
      backoffUntil: at(3_600),
    });
  });

  it('is critical when the current certificate expires within 3 days', () => {
    const record = failing(1);
    const late = { ...record, status: { ...record.status, notAfter: at(2 * DAY) } };
    expect(renewalFailingAlerts(input(late))[0]?.severity).toBe('critical');
  });
});

const withRenewal = (renewal: CertificateRecord['status']['renewal'], notAfter = at(20 * DAY)): CertificateRecord => {
  const base = issued();
  return { ...base, status: { ...base.status, notAfter, ...(renewal === undefined ? {} : { renewal }) } };
};

const staleCases: Record<string, { input: CertificateRuleInput; want: ReturnType<typeof brief> }> = {
  'raises nothing before the renewal time': {
    input: input(withRenewal({ at: at(DAY), source: 'lifetime' })),
    want: [],
  },
  'raises nothing within the grace after the renewal time': {
    input: input(withRenewal({ at: at(-23 * 3_600), source: 'lifetime' })),
    want: [],
  },
  'alerts once the renewal time plus grace has passed': {
    input: input(withRenewal({ at: at(-25 * 3_600), source: 'lifetime' })),
    want: [{ key: 'stale:c1', severity: 'warning', threshold: undefined, fingerprint: `deadline:${at(-25 * 3_600)}` }],
  },
  'measures from the end of the ARI window, not the chosen point in it': {
    input: input(
      withRenewal({ at: at(-3 * DAY), source: 'ari', ariWindow: { start: at(-4 * DAY), end: at(-12 * 3_600) } }),
    ),
    want: [],
  },
  'alerts after the ARI window end plus grace, critical when expiry is 3 days away': {
    input: input(
      withRenewal({ at: at(-3 * DAY), source: 'ari', ariWindow: { start: at(-4 * DAY), end: at(-2 * DAY) } }, at(DAY)),
    ),
    want: [{ key: 'stale:c1', severity: 'critical', threshold: undefined, fingerprint: `deadline:${at(-2 * DAY)}` }],
  },
  'raises nothing when no renewal time was chosen yet (a new revision is being delivered)': {
    input: input(withRenewal(undefined)),
    want: [],
  },
};

describe('staleAlerts', () => {
  it.each(Object.entries(staleCases))('%s', (_name, { input, want }) => {
    expect(brief(staleAlerts(input))).toEqual(want);
  });
});

const delivered = (changes: Partial<DeliveryState> = {}): Record<string, DeliveryState> => ({
  'acm-eu': {
    state: 'delivered',
    revision: 2,
    serial: 'aa02',
    location: 'arn:acm:1',
    deliveredAt: at(-DAY),
    ...changes,
  },
});
const endpoint = (serial: string | undefined, error?: string): Observation => ({
  location: 'endpoint:lb.example.test:443',
  source: 'endpoint',
  observedAt: NOW,
  address: 'lb.example.test:443',
  ...(serial === undefined ? {} : { serial, notAfter: at(30 * DAY) }),
  ...(error === undefined ? {} : { error }),
});

const driftCases: Record<string, { input: CertificateRuleInput; want: ReturnType<typeof brief> }> = {
  'raises nothing when the target and endpoint serve the current serial': {
    input: input(issued({ deliveries: delivered() }), [observed(), endpoint('aa02')]),
    want: [],
  },
  'alerts a target serving another serial, with the observed serial in the fingerprint': {
    input: input(issued({ deliveries: delivered() }), [observed({ serial: 'bb' })]),
    want: [{ key: 'drift:c1:acm-eu', severity: 'warning', threshold: undefined, fingerprint: 'serial:bb' }],
  },
  'alerts a target where the delivered certificate is gone': {
    input: input(issued({ deliveries: delivered() }), [{ location: 'acm-eu', source: 'acm', observedAt: NOW }]),
    want: [{ key: 'drift:c1:acm-eu', severity: 'warning', threshold: undefined, fingerprint: 'serial:none' }],
  },
  'ignores a target whose delivery is younger than the grace': {
    input: input(issued({ deliveries: delivered({ deliveredAt: at(-60) }) }), [observed({ serial: 'bb' })]),
    want: [],
  },
  'ignores a target still publishing the current revision': {
    input: input(issued({ deliveries: delivered({ state: 'publishing', claimedAt: at(-DAY) }) }), [
      observed({ serial: 'aa01' }),
    ]),
    want: [],
  },
  'ignores a target never delivered to': {
    input: input(issued({ deliveries: {} }), [observed({ serial: 'bb' })]),
    want: [],
  },
  'ignores a target that could not be observed': {
    input: input(issued({ deliveries: delivered() }), [
      { location: 'acm-eu', source: 'acm', observedAt: NOW, error: 'x' },
    ]),
    want: [],
  },
  'alerts an endpoint serving another serial': {
    input: input(issued({ deliveries: delivered() }), [endpoint('cc')]),
    want: [
      {
        key: 'drift:c1:endpoint:lb.example.test:443',
        severity: 'warning',
        threshold: undefined,
        fingerprint: 'serial:cc',
      },
    ],
  },
  'ignores an endpoint while a delivery is younger than the grace': {
    input: input(issued({ deliveries: delivered({ deliveredAt: at(-60) }) }), [endpoint('cc')]),
    want: [],
  },
  'ignores an endpoint that did not answer': {
    input: input(issued({ deliveries: delivered() }), [endpoint(undefined, 'tls: connection refused')]),
    want: [],
  },
};

describe('driftAlerts', () => {
  it.each(Object.entries(driftCases))('%s', (_name, { input, want }) => {
    expect(brief(driftAlerts(input))).toEqual(want);
  });
});

describe('evaluateCertificate', () => {
  it('combines every rule, sorted by key', () => {
    const record = failing(1);
    const keys = evaluateCertificate(input(record, [observed({ serial: 'bb', notAfter: at(3 * DAY) })])).map(
      (a) => a.key,
    );
    expect(keys).toEqual([
      'drift:c1:acm-eu',
      'expiring:c1:acm-eu',
      'expiring:c1:current',
      'renewal-failing:c1',
      'stale:c1',
    ]);
  });
});
