import { generateKeyPairSync } from 'node:crypto';
import { redact } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { jwkThumbprint, thumbprintOfJwk } from './jwk-thumbprint.js';

describe('thumbprintOfJwk', () => {
  it('matches the example of RFC 7638 §3.1 (extra members ignored)', () => {
    const jwk = {
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs' +
        'tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1' +
        'n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(thumbprintOfJwk(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('refuses a key type it has no member list for', () => {
    expect(() => thumbprintOfJwk({ kty: 'oct', k: 'x' })).toThrow('unsupported key type oct');
  });
});

describe('jwkThumbprint', () => {
  const cases: Record<string, 'ec' | 'rsa' | 'ed25519'> = {
    'hashes the public half of an EC P-256 key': 'ec',
    'hashes the public half of an RSA key': 'rsa',
    'hashes the public half of an Ed25519 key': 'ed25519',
  };
  it.each(Object.entries(cases))('%s, the same as its public JWK', (_name, type) => {
    const { privateKey, publicKey } =
      type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : type === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const fromPublic = thumbprintOfJwk(publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
    expect(jwkThumbprint(redact(pem))).toBe(fromPublic);
    expect(fromPublic).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
