import { describe, expect, it } from 'vitest';
import { specHash } from '../policies/spec-hash.js';
import { type Decision, type DecisionInput, decideNextStep } from './decide.js';
import { type CertificateRecord, type IssuanceRecord, newCertificateRecord } from './types.js';

const NOW = '2026-06-01T12:00:00Z';
const spec = {
  names: ['example.test'],
  keyType: 'ec-p256',
  issuer: 'le',
  challenge: 'dns-01',
  targets: [{ id: 'acm', type: 'acm', options: {} }],
  tenant: 't',
} as const;
const fresh = newCertificateRecord('c1', spec, '2026-06-01T00:00:00Z');

/** Builders with modifiers: an issued, delivered certificate, then changes. */
const given = {
  fresh: (): CertificateRecord => fresh,
  issued: (status: Partial<CertificateRecord['status']> = {}): CertificateRecord => ({
    ...fresh,
    status: {
      ...fresh.status,
      revision: 1,
      serial: 'abc',
      notBefore: '2026-06-01T00:00:00Z',
      notAfter: '2026-08-30T00:00:00Z',
      specHash: specHash(spec),
      renewal: { at: '2026-07-30T00:00:00Z', source: 'lifetime' },
      deliveries: { acm: { state: 'delivered', revision: 1, serial: 'abc' } },
      ...status,
    },
  }),
  inFlight: (issuance: Partial<IssuanceRecord>): CertificateRecord => ({
    ...fresh,
    status: {
      ...fresh.status,
      issuance: {
        revision: 1,
        attempt: 1,
        phase: 'Preflight',
        reason: 'NotIssued',
        startedAt: NOW,
        specHash: 'h',
        ...issuance,
      },
    },
  }),
};
const failures = (backoffUntil: string) => ({
  count: 1,
  lastFailureAt: NOW,
  backoffUntil,
  last: { reason: 'ValidationFailed', message: 'no' },
  specHash: specHash(spec),
});
const stored = { revision: 1, serial: 'abc' };

const cases: Record<string, { record: CertificateRecord; stored?: DecisionInput['stored']; want: Partial<Decision> }> =
  {
    'starts an issuance for a new certificate': { record: given.fresh(), want: { step: 'start', reason: 'NotIssued' } },
    'waits out the backoff of a failed first attempt': {
      record: { ...fresh, status: { ...fresh.status, failures: failures('2026-06-01T12:01:00Z') } },
      want: { step: 'wait', reason: 'BackingOff', until: '2026-06-01T12:01:00Z' },
    },
    'starts again once the backoff is over': {
      record: { ...fresh, status: { ...fresh.status, failures: failures(NOW) } },
      want: { step: 'start' },
    },
    'skips the backoff for a manual renewal request': {
      record: {
        ...fresh,
        renewRequestedAt: NOW,
        status: { ...fresh.status, failures: failures('2026-06-02T00:00:00Z') },
      },
      want: { step: 'start' },
    },
    'runs the step of the phase in flight': {
      record: given.inFlight({ phase: 'Propagating' }),
      want: { step: 'propagate' },
    },
    'plans the presentation before presenting': {
      record: given.inFlight({ phase: 'Presenting', orderUrl: 'u' }),
      want: { step: 'plan-presentation' },
    },
    'presents once the plan is recorded': {
      record: given.inFlight({ phase: 'Presenting', orderUrl: 'u', authorizations: [] }),
      want: { step: 'present' },
    },
    'waits while the issuance waits for Retry-After': {
      record: given.inFlight({ phase: 'Validating', waitUntil: '2026-06-01T12:00:05Z' }),
      want: { step: 'wait', until: '2026-06-01T12:00:05Z' },
    },
    'waits while another worker holds the order claim': {
      record: given.inFlight({ phase: 'Ordering', claim: { step: 'order', at: '2026-06-01T11:58:00Z' } }),
      want: { step: 'wait', reason: 'Claimed', until: '2026-06-01T12:03:00Z' },
    },
    'takes over a claim whose lease ran out (a crashed worker)': {
      record: given.inFlight({ phase: 'Ordering', claim: { step: 'order', at: '2026-06-01T11:54:59Z' } }),
      want: { step: 'order' },
    },
    'is ready when issued, delivered and not due': { record: given.issued(), stored, want: { step: 'ready' } },
    'delivers to a target that lacks the current revision': {
      record: given.issued({ deliveries: { acm: { state: 'delivered', revision: 0, serial: 'old' } } }),
      stored,
      want: { step: 'deliver', targetId: 'acm' },
    },
    'waits for a failed delivery to be retried': {
      record: given.issued({
        deliveries: {
          acm: { state: 'failed', revision: 1, serial: 'abc', retryAt: '2026-06-01T12:10:00Z', failures: 2 },
        },
      }),
      stored,
      want: { step: 'wait', until: '2026-06-01T12:10:00Z' },
    },
    'reissues before delivering when the store lost the certificate': {
      record: given.issued({ deliveries: {} }),
      stored: undefined,
      want: { step: 'start', reason: 'KeyMissing' },
    },
  };

describe('decideNextStep', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const decision = decideNextStep({ record: c.record, now: NOW, stored: c.stored, claimLeaseSeconds: 300 });
    expect(decision).toMatchObject(c.want);
  });
});
