import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { redact, ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import {
  assertValidTsig,
  parseTsig,
  signRequest,
  TSIG_ALGORITHMS,
  type TsigAlgorithm,
  toTsigKey,
  verifyResponse,
} from './tsig.js';
import { responseTo, serverMac, signAsServer, tsigRecord, wireName } from './tsig-server.test-support.js';
import { encodeUpdate } from './update.js';

const NOW = 1_795_000_000;
const secret = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'hex');
const algorithms = Object.keys(TSIG_ALGORITHMS) as TsigAlgorithm[];
const unsigned = encodeUpdate(0x1234, 'example.test', [
  { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: 'token-value' },
]);

function keyFor(algorithm: TsigAlgorithm, name = 'portcullis-key') {
  return toTsigKey({ name, algorithm, secret: secret.toString('base64') });
}

describe('signRequest', () => {
  it.each(algorithms)('appends the RFC 8945 TSIG record with an HMAC computed independently (%s)', (algorithm) => {
    const { message, mac } = signRequest(unsigned, keyFor(algorithm), { timeSigned: NOW, fudge: 300 });
    const options = { keyName: 'portcullis-key', algorithm, secret, timeSigned: NOW, fudge: 300 };
    const expectedMac = createHmac(algorithm.slice(5), secret)
      .update(unsigned)
      .update(
        Buffer.concat([
          wireName('portcullis-key'),
          Buffer.from([0, 255, 0, 0, 0, 0]),
          wireName(algorithm),
          Buffer.from([0x00, 0x00, 0x6a, 0xfd, 0x86, 0xc0]), // 1_795_000_000 as 48 bits
          Buffer.from([0x01, 0x2c, 0, 0, 0, 0]), // fudge 300, error 0, other len 0
        ]),
      )
      .digest();
    expect(mac.equals(expectedMac)).toBe(true);
    expect(message.subarray(unsigned.length).equals(tsigRecord(unsigned, expectedMac, options))).toBe(true);
    expect(message.readUInt16BE(10)).toBe(1); // ARCOUNT counts the TSIG record
    expect(message.subarray(0, 10).equals(unsigned.subarray(0, 10))).toBe(true);
  });

  it('signs the key name in canonical (lower-case) form', () => {
    const upper = signRequest(
      unsigned,
      toTsigKey({ name: 'Portcullis-Key.', algorithm: 'hmac-sha256', secret: secret.toString('base64') }),
      { timeSigned: NOW },
    );
    const lower = signRequest(unsigned, keyFor('hmac-sha256'), { timeSigned: NOW });
    expect(upper.mac.equals(lower.mac)).toBe(true);
  });
});

describe('parseTsig', () => {
  it('finds the record, the original ID and the message the MAC covers', () => {
    const { message, mac } = signRequest(unsigned, keyFor('hmac-sha512'), { timeSigned: NOW, fudge: 42 });
    const parsed = parseTsig(message);
    expect(parsed).toMatchObject({
      keyName: 'portcullis-key',
      algorithm: 'hmac-sha512',
      timeSigned: NOW,
      fudge: 42,
      error: 0,
      originalId: 0x1234,
    });
    expect(parsed?.mac.equals(mac)).toBe(true);
    expect(parsed?.unsignedMessage.equals(unsigned)).toBe(true);
  });

  it('returns undefined for an unsigned message', () => {
    expect(parseTsig(unsigned)).toBeUndefined();
  });
});

describe('verifyResponse', () => {
  const key = keyFor('hmac-sha256');
  const request = signRequest(unsigned, key, { timeSigned: NOW });
  const base = { keyName: 'portcullis-key', algorithm: 'hmac-sha256' as const, secret, timeSigned: NOW };
  const response = responseTo(unsigned);

  const cases: Record<
    string,
    { response: () => Buffer; now?: number; ok: boolean; tsigError?: string; problem?: RegExp }
  > = {
    'accepts a response signed over the request MAC': {
      response: () => signAsServer(response, request.mac, base),
      ok: true,
    },
    'accepts a response signed within the fudge': {
      response: () => signAsServer(response, request.mac, { ...base, timeSigned: NOW - 299 }),
      ok: true,
    },
    'accepts a response whose ID was rewritten (the MAC covers the original ID)': {
      response: () => {
        const signed = signAsServer(response, request.mac, base);
        signed.writeUInt16BE(0x9999, 0);
        return signed;
      },
      ok: true,
    },
    'rejects a tampered MAC as BADSIG': {
      response: () => {
        const mac = serverMac(response, request.mac, base);
        mac[0] = (mac[0] as number) ^ 0xff;
        return signAsServer(response, request.mac, { ...base, macOverride: mac });
      },
      ok: false,
      tsigError: 'BADSIG',
    },
    'rejects a tampered body as BADSIG': {
      response: () => {
        const signed = signAsServer(response, request.mac, base);
        signed.writeUInt16BE(signed.readUInt16BE(2) | 5, 2); // flip the rcode after signing
        return signed;
      },
      ok: false,
      tsigError: 'BADSIG',
    },
    'rejects a MAC that does not cover the request MAC': {
      response: () => signAsServer(response, undefined, base),
      ok: false,
      tsigError: 'BADSIG',
    },
    'rejects a truncated MAC': {
      response: () =>
        signAsServer(response, request.mac, {
          ...base,
          macOverride: serverMac(response, request.mac, base).subarray(0, 16),
        }),
      ok: false,
      tsigError: 'BADSIG',
    },
    'rejects a response signed by another key': {
      response: () => signAsServer(response, request.mac, { ...base, keyName: 'other-key' }),
      ok: false,
      problem: /signed with key other-key/,
    },
    'rejects a response signed outside the fudge as BADTIME': {
      response: () => signAsServer(response, request.mac, { ...base, timeSigned: NOW - 301 }),
      ok: false,
      tsigError: 'BADTIME',
    },
    'rejects an unsigned response': { response: () => response, ok: false, problem: /no TSIG signature/ },
    'reports the server error BADKEY from an unsigned error record': {
      response: () =>
        signAsServer(responseTo(unsigned, 9), request.mac, { ...base, error: 17, macOverride: Buffer.alloc(0) }),
      ok: false,
      tsigError: 'BADKEY',
    },
    'reports the server error BADTIME with the server clock': {
      response: () => {
        const other = Buffer.from([0x00, 0x00, 0x6a, 0xfd, 0x94, 0xd0]); // server clock NOW + 3600
        return signAsServer(responseTo(unsigned, 9), request.mac, { ...base, error: 18, otherData: other });
      },
      ok: false,
      tsigError: 'BADTIME',
      problem: /off by -3600 s/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { response: build, now, ok, tsigError, problem }) => {
    const verdict = verifyResponse(build(), key, request.mac, now ?? NOW);
    expect(verdict.ok).toBe(ok);
    if (!verdict.ok) {
      expect(verdict.tsigError).toBe(tsigError);
      if (problem !== undefined) expect(verdict.problem).toMatch(problem);
    }
  });
});

describe('assertValidTsig', () => {
  const good = { name: 'k', algorithm: 'hmac-sha256', secret: randomBytes(32).toString('base64') };
  const cases: Record<string, { tsig: unknown; field?: string; rule?: string }> = {
    'accepts a complete key': { tsig: good },
    'accepts a Redacted secret': { tsig: { ...good, secret: redact(good.secret) } },
    'refuses a missing key': { tsig: undefined, field: 'tsig', rule: 'required' },
    'refuses an unknown field': { tsig: { ...good, keyfile: 'x' }, field: 'tsig.keyfile', rule: 'unknown-key' },
    'refuses an empty name': { tsig: { ...good, name: ' ' }, field: 'tsig.name', rule: 'required' },
    'refuses hmac-md5': { tsig: { ...good, algorithm: 'hmac-md5' }, field: 'tsig.algorithm', rule: 'tsig-algorithm' },
    'refuses a secret that is not base64': {
      tsig: { ...good, secret: 'not base64!' },
      field: 'tsig.secret',
      rule: 'base64',
    },
    'refuses a secret shorter than 16 bytes': {
      tsig: { ...good, secret: randomBytes(8).toString('base64') },
      field: 'tsig.secret',
      rule: 'secret-length',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { tsig, field, rule }) => {
    if (field === undefined) {
      expect(() => assertValidTsig(tsig)).not.toThrow();
      return;
    }
    const error = (() => {
      try {
        assertValidTsig(tsig);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field, rule });
    expect(String((error as Error).message)).not.toContain(good.secret);
  });
});

it('keeps the decoded secret redacted', () => {
  const key = keyFor('hmac-sha256');
  expect(inspect(key)).not.toContain(secret.toString('hex'));
  expect(JSON.stringify(key)).toContain('[redacted]');
});
