import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { validateSpec } from './spec.js';
import type { CertificateSpec } from './types.js';

const valid: CertificateSpec = {
  names: ['example.test'],
  keyType: 'ec-p256',
  issuer: 'letsencrypt',
  challenge: 'dns-01',
  targets: [{ id: 'acm-eu-west-1', type: 'acm', options: { region: 'eu-west-1' } }],
  tenant: 't',
};

const cases: Record<string, { spec: unknown; field?: string }> = {
  'accepts a complete spec': { spec: valid },
  'refuses a spec without names': { spec: { ...valid, names: [] }, field: 'spec.names' },
  'refuses an unknown key type': { spec: { ...valid, keyType: 'ed25519' }, field: 'spec.keyType' },
  'refuses an unknown challenge type': { spec: { ...valid, challenge: 'tls-alpn-01' }, field: 'spec.challenge' },
  'refuses an empty issuer': { spec: { ...valid, issuer: '' }, field: 'spec.issuer' },
  'refuses a target id with capitals': {
    spec: { ...valid, targets: [{ id: 'ACM', type: 'acm', options: {} }] },
    field: 'spec.targets[0].id',
  },
  'refuses the same target id twice': {
    spec: { ...valid, targets: [...valid.targets, ...valid.targets] },
    field: 'spec.targets[1].id',
  },
  'refuses an unknown target type': {
    spec: { ...valid, targets: [{ id: 'x', type: 'ftp', options: {} }] },
    field: 'spec.targets[0].type',
  },
};

describe('validateSpec', () => {
  it.each(Object.entries(cases))('%s', (_name, { spec, field }) => {
    const run = () => validateSpec(spec as CertificateSpec);
    if (field === undefined) {
      expect(run).not.toThrow();
    } else {
      expect(run).toThrow(ValidationError);
      try {
        run();
      } catch (error) {
        expect((error as ValidationError).field).toBe(field);
      }
    }
  });
});
