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
  'accepts endpoints by name and by IP literal': {
    spec: {
      ...valid,
      endpoints: [
        { host: 'lb.example.test', port: 443, serverName: 'www.example.test' },
        { host: '192.0.2.10', port: 8443 },
        { host: '2001:db8::1', port: 443 },
      ],
    },
  },
  'refuses an endpoint host that is a URL': {
    spec: { ...valid, endpoints: [{ host: 'https://lb.example.test', port: 443 }] },
    field: 'spec.endpoints[0].host',
  },
  'refuses an endpoint port of 0': {
    spec: { ...valid, endpoints: [{ host: 'lb.example.test', port: 0 }] },
    field: 'spec.endpoints[0].port',
  },
  'refuses a wildcard as server name': {
    spec: { ...valid, endpoints: [{ host: 'lb.example.test', port: 443, serverName: '*.example.test' }] },
    field: 'spec.endpoints[0].serverName',
  },
  'refuses the same host and port twice (case-insensitively)': {
    spec: {
      ...valid,
      endpoints: [
        { host: 'lb.example.test', port: 443 },
        { host: 'LB.example.test', port: 443 },
      ],
    },
    field: 'spec.endpoints[1]',
  },
  'refuses more than 20 endpoints': {
    spec: { ...valid, endpoints: Array.from({ length: 21 }, (_, i) => ({ host: `h${i}.example.test`, port: 443 })) },
    field: 'spec.endpoints',
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
