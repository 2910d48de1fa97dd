import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type DesiredTlsSecret, normalizeSerial, ownershipOf, secretMatches } from './tls-secret.js';

describe('normalizeSerial', () => {
  const cases: Record<string, { serial: string; want: string }> = {
    'lower-cases hex': { serial: '0A1B', want: 'a1b' },
    'drops colons and leading zeros': { serial: '00:0f:ee', want: 'fee' },
    'keeps a zero serial as 0': { serial: '00', want: '0' },
  };
  it.each(Object.entries(cases))('%s', (_name, { serial, want }) => {
    expect(normalizeSerial(serial)).toBe(want);
  });
});

const secret = (labels: Record<string, string> | undefined, managers: string[]): V1Secret => ({
  metadata: {
    name: 's',
    ...(labels ? { labels } : {}),
    managedFields: managers.map((manager) => ({ manager, operation: 'Apply' })),
  },
});

describe('ownershipOf', () => {
  const cases: Record<string, { secret: V1Secret; want: string }> = {
    'ours when labelled for this certificate and applied by portcullis': {
      secret: secret({ 'portcullis.dev/certificate': 'c1' }, ['portcullis']),
      want: 'ours',
    },
    'foreign without our label': { secret: secret(undefined, ['portcullis']), want: 'foreign' },
    'foreign when only labelled by hand': {
      secret: secret({ 'portcullis.dev/certificate': 'c1' }, ['kubectl']),
      want: 'foreign',
    },
    'another certificate when our label names another id': {
      secret: secret({ 'portcullis.dev/certificate': 'c2' }, ['portcullis']),
      want: 'other-certificate',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { secret: s, want }) => {
    expect(ownershipOf(s, 'c1')).toBe(want);
  });
});

describe('secretMatches', () => {
  const desired: DesiredTlsSecret = {
    namespace: 'n',
    name: 's',
    labels: { 'portcullis.dev/certificate': 'c1' },
    annotations: { 'portcullis.dev/serial': 'ab' },
    data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' },
  };
  const current = (change: Partial<V1Secret> = {}): V1Secret => ({
    type: 'kubernetes.io/tls',
    metadata: { labels: { ...desired.labels, other: 'x' }, annotations: { ...desired.annotations } },
    data: { ...desired.data },
    ...change,
  });
  const cases: Record<string, { current: V1Secret; want: boolean }> = {
    'matches the same data, labels and annotations (other labels ignored)': { current: current(), want: true },
    'differs when tls.crt differs': { current: current({ data: { ...desired.data, 'tls.crt': 'eA==' } }), want: false },
    'differs when a ca.crt is present but not wanted': {
      current: current({ data: { ...desired.data, 'ca.crt': 'eA==' } }),
      want: false,
    },
    'differs when the serial annotation differs': {
      current: current({ metadata: { labels: { ...desired.labels }, annotations: { 'portcullis.dev/serial': 'cd' } } }),
      want: false,
    },
    'differs when the type is not kubernetes.io/tls': { current: current({ type: 'Opaque' }), want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { current: c, want }) => {
    expect(secretMatches(c, desired)).toBe(want);
  });
});
