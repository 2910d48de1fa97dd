import { describe, expect, it } from 'vitest';
import { type CertificateRecord, newCertificateRecord } from '../lifecycle/types.js';
import { specHash } from './spec-hash.js';
import { evaluateTrigger, type TriggerInput, TriggerReason } from './trigger.js';

const NOW = '2026-06-01T12:00:00Z';
const spec = {
  names: ['example.test', '*.example.test'],
  keyType: 'ec-p256',
  issuer: 'letsencrypt',
  challenge: 'dns-01',
  targets: [],
  tenant: 't',
} as const;

/** Builders: a certificate issued for the spec at hand, then modifiers. */
const given = {
  certificate: (): CertificateRecord => newCertificateRecord('c1', spec, '2026-05-01T00:00:00Z'),
  issued(changes: { renewIn?: number; source?: 'ari' | 'lifetime'; expiresIn?: number } = {}): CertificateRecord {
    const base = given.certificate();
    const now = Date.parse(NOW);
    return {
      ...base,
      status: {
        ...base.status,
        revision: 1,
        serial: 'abc',
        notBefore: '2026-05-01T00:00:00Z',
        notAfter: new Date(now + (changes.expiresIn ?? 30 * 86_400) * 1000).toISOString().replace('.000Z', 'Z'),
        specHash: specHash(spec),
        renewal: {
          at: new Date(now + (changes.renewIn ?? 86_400) * 1000).toISOString().replace('.000Z', 'Z'),
          source: changes.source ?? 'lifetime',
        },
      },
    };
  },
};
const stored = { revision: 1, serial: 'abc' };

const cases: Record<string, { input: TriggerInput; want?: TriggerReason }> = {
  'issues when nothing was issued yet': {
    input: { record: given.certificate(), now: NOW, stored: undefined },
    want: TriggerReason.NotIssued,
  },
  'does nothing for a fresh certificate whose renewal time is a day away': {
    input: { record: given.issued(), now: NOW, stored },
  },
  'does nothing one second before the renewal time': {
    input: { record: given.issued({ renewIn: 1 }), now: NOW, stored },
  },
  'renews at exactly the lifetime renewal time': {
    input: { record: given.issued({ renewIn: 0 }), now: NOW, stored },
    want: TriggerReason.RenewalDue,
  },
  'renews when the point chosen in the ARI window is reached': {
    input: { record: given.issued({ renewIn: -60, source: 'ari' }), now: NOW, stored },
    want: TriggerReason.AriRenewNow,
  },
  'reissues when the store holds no current certificate': {
    input: { record: given.issued(), now: NOW, stored: undefined },
    want: TriggerReason.KeyMissing,
  },
  'reissues when the store holds another revision than the status': {
    input: { record: given.issued(), now: NOW, stored: { revision: 2, serial: 'def' } },
    want: TriggerReason.KeyMissing,
  },
  'reissues when a name was added': {
    input: {
      record: { ...given.issued(), spec: { ...spec, names: [...spec.names, 'www.example.test'] } },
      now: NOW,
      stored,
    },
    want: TriggerReason.SpecChanged,
  },
  'reissues when the key type changed': {
    input: { record: { ...given.issued(), spec: { ...spec, keyType: 'rsa-2048' } }, now: NOW, stored },
    want: TriggerReason.SpecChanged,
  },
  'reissues when the profile changed': {
    input: { record: { ...given.issued(), spec: { ...spec, profile: 'tlsserver' } }, now: NOW, stored },
    want: TriggerReason.SpecChanged,
  },
  'does not reissue when only the targets changed': {
    input: {
      record: { ...given.issued(), spec: { ...spec, targets: [{ id: 'acm', type: 'acm', options: {} }] } },
      now: NOW,
      stored,
    },
  },
  'does not reissue when the same names are listed in another order after the first': {
    input: {
      record: { ...given.issued(), spec: { ...spec, names: ['example.test', '*.example.test'] } },
      now: NOW,
      stored,
    },
  },
  'reissues an expired certificate before looking at renewal times': {
    input: { record: given.issued({ expiresIn: -1, renewIn: -100 }), now: NOW, stored },
    want: TriggerReason.Expired,
  },
  'renews on a manual request made after the last one was handled': {
    input: {
      record: {
        ...given.issued(),
        renewRequestedAt: '2026-06-01T11:00:00Z',
        status: { ...given.issued().status, renewRequestHandledAt: '2026-05-01T00:00:00Z' },
      },
      now: NOW,
      stored,
    },
    want: TriggerReason.ManualRenew,
  },
  'ignores a manual request that was already handled': {
    input: {
      record: {
        ...given.issued(),
        renewRequestedAt: '2026-06-01T11:00:00Z',
        status: { ...given.issued().status, renewRequestHandledAt: '2026-06-01T11:00:00Z' },
      },
      now: NOW,
      stored,
    },
  },
};

describe('evaluateTrigger', () => {
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    expect(evaluateTrigger(input)?.reason).toBe(want);
  });
});
