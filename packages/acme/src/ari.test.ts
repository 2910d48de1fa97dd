import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AuthorityKeyIdentifierExtension, X509CertificateGenerator } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { computeCertId, parseRenewalInfoBody } from './ari.js';
import { AcmeProtocolError } from './errors.js';

// RFC 9773 §4.1 example values.
const RFC_AKI = '69885b6b87464041e1b37b847ba0ae2cde01c8d4';
const RFC_CERT_ID = 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE';

async function certificate(serialNumber: string, aki?: string): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
  const cert = await X509CertificateGenerator.create({
    serialNumber,
    subject: 'CN=leaf.example.test',
    issuer: 'CN=Test CA',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-04-01T00:00:00Z'),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: aki === undefined ? [] : [new AuthorityKeyIdentifierExtension(aki)],
  });
  return cert.toString('pem');
}

describe('computeCertId', () => {
  const cases: Record<string, { serial: string; aki: string; want: string }> = {
    'matches the example of RFC 9773 section 4.1 (serial with a leading zero byte)': {
      serial: '0087654321',
      aki: RFC_AKI,
      want: RFC_CERT_ID,
    },
    'keeps a serial without leading zero as it is': {
      serial: '1234',
      aki: RFC_AKI,
      want: 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.EjQ',
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { serial, aki, want }) => {
    expect(computeCertId(await certificate(serial, aki))).toBe(want);
  });

  it('uses the first certificate of a chain (the leaf)', async () => {
    const chain = `${await certificate('0087654321', RFC_AKI)}\n${await certificate('05', 'aabbccdd')}`;
    expect(computeCertId(chain)).toBe(RFC_CERT_ID);
  });

  it('refuses a certificate without Authority Key Identifier', async () => {
    const pem = await certificate('01');
    expect(() => computeCertId(pem)).toThrow(AcmeProtocolError);
    expect(() => computeCertId(pem)).toThrow(/no Authority Key Identifier/);
  });

  it('refuses text that holds no certificate', () => {
    expect(() => computeCertId('hello')).toThrow(/no PEM certificate/);
  });
});

describe('parseRenewalInfoBody', () => {
  const url = 'https://ca.example/renewal-info/x.y';
  const accepted: Record<string, { body: unknown; want: unknown }> = {
    'a window and an explanation URL': {
      body: {
        suggestedWindow: { start: '2027-01-10T00:00:00Z', end: '2027-01-12T00:00:00Z' },
        explanationURL: 'https://ca.example/why',
      },
      want: {
        window: { start: '2027-01-10T00:00:00Z', end: '2027-01-12T00:00:00Z' },
        explanationUrl: 'https://ca.example/why',
      },
    },
    'a JSON string with fractional seconds and offsets, widened to whole seconds': {
      body: JSON.stringify({
        suggestedWindow: { start: '2027-01-10T01:00:00.700+01:00', end: '2027-01-10T00:00:01.2Z' },
      }),
      want: { window: { start: '2027-01-10T00:00:00Z', end: '2027-01-10T00:00:02Z' } },
    },
  };
  it.each(Object.entries(accepted))('accepts %s', (_name, { body, want }) => {
    expect(parseRenewalInfoBody(body, url)).toEqual(want);
  });

  const refused: Record<string, { body: unknown; message: RegExp }> = {
    'a window whose end is before its start': {
      body: { suggestedWindow: { start: '2027-01-12T00:00:00Z', end: '2027-01-10T00:00:00Z' } },
      message: /end must be after start/,
    },
    'a window whose end equals its start': {
      body: { suggestedWindow: { start: '2027-01-12T00:00:00Z', end: '2027-01-12T00:00:00Z' } },
      message: /end must be after start/,
    },
    'no window': { body: {}, message: /needs RFC 3339 start and end/ },
    'a start that is not a time': {
      body: { suggestedWindow: { start: 'soon', end: '2027-01-12T00:00:00Z' } },
      message: /needs RFC 3339 start and end/,
    },
    'a body that is not JSON': { body: '<html>', message: /not JSON/ },
  };
  it.each(Object.entries(refused))('refuses %s', (_name, { body, message }) => {
    expect(() => parseRenewalInfoBody(body, url)).toThrow(message);
  });
});
