import { describe, expect, it } from 'vitest';
import { certificateOfSecret, classifyTarget, type InspectTarget } from './inspect-targets.js';

describe('classifyTarget', () => {
  const files = new Set(['./fullchain.pem', 'example.com']);
  const cases: Record<string, { input: string; want: InspectTarget }> = {
    'reads an ACM ARN with its region': {
      input: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab',
      want: {
        kind: 'acm',
        arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab',
        region: 'eu-west-1',
      },
    },
    'reads a secret by name': {
      input: 'secret:portcullis/certificates/c1',
      want: { kind: 'secret', id: 'portcullis/certificates/c1' },
    },
    'reads a secret by ARN with its region': {
      input: 'secret:arn:aws:secretsmanager:us-west-2:123456789012:secret:web-AbCdEf',
      want: {
        kind: 'secret',
        id: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:web-AbCdEf',
        region: 'us-west-2',
      },
    },
    'prefers an existing file': { input: './fullchain.pem', want: { kind: 'file', path: './fullchain.pem' } },
    'prefers a file even when it looks like a host': {
      input: 'example.com',
      want: { kind: 'file', path: 'example.com' },
    },
    'defaults a host to port 443': {
      input: 'www.example.net',
      want: { kind: 'endpoint', host: 'www.example.net', port: 443 },
    },
    'reads host:port': { input: '127.0.0.1:8443', want: { kind: 'endpoint', host: '127.0.0.1', port: 8443 } },
    'reads a bracketed IPv6 address': { input: '[::1]:8443', want: { kind: 'endpoint', host: '[::1]', port: 8443 } },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    expect(classifyTarget(input, (path) => files.has(path))).toEqual(want);
  });

  it.each([['secret:'], ['arn:aws:acm:nowhere'], ['host:99999'], ['a b']])(
    'refuses %s naming what it accepts',
    (input) => {
      expect(() => classifyTarget(input, () => false)).toThrow(/inspect: /);
    },
  );
});

describe('certificateOfSecret', () => {
  const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  // Any stored key text: what matters is that it never comes back out unredacted.
  const key = 'stored-key-material-MIIC';
  const cases: Record<string, { value: string; chain: string; key: boolean }> = {
    "reads the certificate store's layout": {
      value: JSON.stringify({ format: 'portcullis.certificate/v1', revision: 1, privateKey: key, chainPem: cert }),
      chain: cert,
      key: true,
    },
    'reads the JSON export': {
      value: JSON.stringify({ certificate: cert, chain: cert, privateKey: key }),
      chain: `${cert}\n${cert}`,
      key: true,
    },
  };
  it.each(Object.entries(cases))('%s, keeping the key redacted', (_name, { value, chain, key: hasKey }) => {
    const read = certificateOfSecret(value, 'secrets manager: s');
    expect(read.chainPem).toBe(chain);
    expect(read.key !== undefined).toBe(hasKey);
    expect(JSON.stringify(read)).not.toContain('MIIC');
  });

  it('says a key-only version was not promoted yet', () => {
    const value = JSON.stringify({ format: 'portcullis.certificate/v1', revision: 1, privateKey: key });
    expect(() => certificateOfSecret(value, 'secrets manager: s')).toThrow(
      'secrets manager: s: the current version holds no certificate (only a key: not promoted yet)',
    );
  });
});
