import { randomBytes } from 'node:crypto';
import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { walkMessage } from './packet.js';
import { wireName } from './tsig-server.test-support.js';
import { encodeUpdate, sendUpdate, type UpdateOperation } from './update.js';

const ZONE = 'example.test';
const NAME = '_acme-challenge.example.test';

function rdataOf(message: Buffer, index: number): Buffer {
  const record = walkMessage(message).authorities[index];
  if (record === undefined) throw new Error(`no update record ${index}`);
  return message.subarray(record.rdataOffset, record.rdataOffset + record.rdlength);
}

describe('encodeUpdate', () => {
  it('writes an UPDATE header and the zone section (zone SOA IN)', () => {
    const message = encodeUpdate(0xbeef, ZONE, [{ op: 'add', name: NAME, type: 'TXT', ttl: 60, data: 'v' }]);
    expect(message.readUInt16BE(0)).toBe(0xbeef);
    expect((message.readUInt16BE(2) >> 11) & 0xf).toBe(5); // opcode UPDATE
    expect(message.readUInt16BE(2) & 0x8000).toBe(0); // a request
    expect([4, 6, 8, 10].map((offset) => message.readUInt16BE(offset))).toEqual([1, 0, 1, 0]); // ZO, PR, UP, AD
    const zone = wireName(ZONE);
    expect(message.subarray(12, 12 + zone.length).equals(zone)).toBe(true);
    expect(message.readUInt16BE(12 + zone.length)).toBe(6); // SOA
    expect(message.readUInt16BE(14 + zone.length)).toBe(1); // IN
  });

  const cases: Record<string, { operation: UpdateOperation; type: number; klass: number; ttl: number; rdata: Buffer }> =
    {
      'an add is class IN with the TTL and the rdata': {
        operation: { op: 'add', name: NAME, type: 'TXT', ttl: 60, data: 'abc' },
        type: 16,
        klass: 1,
        ttl: 60,
        rdata: Buffer.from([3, 0x61, 0x62, 0x63]),
      },
      'deleting one value is class NONE, TTL 0, with the rdata (RFC 2136 §2.5.4)': {
        operation: { op: 'delete', name: NAME, type: 'TXT', data: 'abc' },
        type: 16,
        klass: 254,
        ttl: 0,
        rdata: Buffer.from([3, 0x61, 0x62, 0x63]),
      },
      'deleting an RRset is class ANY, TTL 0, empty rdata (RFC 2136 §2.5.2)': {
        operation: { op: 'delete', name: NAME, type: 'TXT' },
        type: 16,
        klass: 255,
        ttl: 0,
        rdata: Buffer.alloc(0),
      },
      'deleting every RRset at a name is type ANY, class ANY (RFC 2136 §2.5.3)': {
        operation: { op: 'delete', name: NAME, type: 'ANY' },
        type: 255,
        klass: 255,
        ttl: 0,
        rdata: Buffer.alloc(0),
      },
      'a CNAME add carries the target name': {
        operation: { op: 'add', name: NAME, type: 'CNAME', ttl: 300, data: 'x.delegated.test' },
        type: 5,
        klass: 1,
        ttl: 300,
        rdata: wireName('x.delegated.test'),
      },
      'a CAA add carries flags, tag and value': {
        operation: {
          op: 'add',
          name: ZONE,
          type: 'CAA',
          ttl: 60,
          data: { flags: 128, tag: 'issue', value: 'ca.test' },
        },
        type: 257,
        klass: 1,
        ttl: 60,
        rdata: Buffer.concat([Buffer.from([128, 5]), Buffer.from('issue'), Buffer.from('ca.test')]),
      },
      'a TXT value longer than 255 octets is split into character-strings': {
        operation: { op: 'add', name: NAME, type: 'TXT', ttl: 60, data: 'x'.repeat(300) },
        type: 16,
        klass: 1,
        ttl: 60,
        rdata: Buffer.concat([
          Buffer.from([255]),
          Buffer.from('x'.repeat(255)),
          Buffer.from([45]),
          Buffer.from('x'.repeat(45)),
        ]),
      },
    };
  it.each(Object.entries(cases))('%s', (_name, { operation, type, klass, ttl, rdata }) => {
    const message = encodeUpdate(1, ZONE, [operation]);
    const [record] = walkMessage(message).authorities;
    expect(record).toMatchObject({ name: operation.name, type, klass, ttl });
    expect(rdataOf(message, 0).equals(rdata)).toBe(true);
  });

  it('keeps the operations in order in the update section', () => {
    const message = encodeUpdate(1, ZONE, [
      { op: 'delete', name: NAME, type: 'TXT', data: 'old' },
      { op: 'add', name: NAME, type: 'TXT', ttl: 60, data: 'new' },
    ]);
    expect(walkMessage(message).authorities.map((r) => r.klass)).toEqual([254, 1]);
  });
});

describe('sendUpdate input validation (before any network call)', () => {
  const tsig = { name: 'k', algorithm: 'hmac-sha256' as const, secret: randomBytes(32).toString('base64') };
  // Nothing listens on loopback port 9: were anything sent, the error would be a DnsUpdateError, not a ValidationError.
  const nowhere = { host: '127.0.0.1', port: 9 };
  const add = (overrides: Partial<Extract<UpdateOperation, { op: 'add' }>>): UpdateOperation => ({
    op: 'add',
    name: NAME,
    type: 'TXT',
    ttl: 60,
    data: 'v',
    ...overrides,
  });
  const cases: Record<
    string,
    { zone?: string; operations: UpdateOperation[]; tsig?: unknown; field: string; rule: string }
  > = {
    'refuses an empty update': { operations: [], field: 'operations', rule: 'non-empty' },
    'refuses a name outside the zone': {
      operations: [add({ name: '_acme-challenge.other.test' })],
      field: 'operations[0].name',
      rule: 'within-zone',
    },
    'refuses a name that only ends like the zone': {
      operations: [add({ name: 'xexample.test' })],
      field: 'operations[0].name',
      rule: 'within-zone',
    },
    'refuses an empty label': {
      operations: [add({ name: 'a..example.test' })],
      field: 'operations[0].name',
      rule: 'dns-name',
    },
    'refuses a label over 63 octets': {
      operations: [add({ name: `${'a'.repeat(64)}.example.test` })],
      field: 'operations[0].name',
      rule: 'dns-name',
    },
    'refuses a type the flow does not write': {
      operations: [add({ type: 'MX' as 'TXT' })],
      field: 'operations[0].type',
      rule: 'updatable-type',
    },
    'refuses a negative TTL': { operations: [add({ ttl: -1 })], field: 'operations[0].ttl', rule: 'ttl-range' },
    'refuses a fractional TTL': { operations: [add({ ttl: 1.5 })], field: 'operations[0].ttl', rule: 'ttl-range' },
    'refuses an add without data': {
      operations: [add({ data: undefined })],
      field: 'operations[0].data',
      rule: 'required',
    },
    'refuses data on a type ANY delete': {
      operations: [{ op: 'delete', name: NAME, type: 'ANY', data: 'v' }],
      field: 'operations[0].data',
      rule: 'no-data-for-any',
    },
    'refuses an invalid zone': { zone: 'example..test', operations: [add({})], field: 'zone', rule: 'dns-name' },
    'refuses an unknown TSIG algorithm': {
      operations: [add({})],
      tsig: { ...tsig, algorithm: 'hmac-md5' },
      field: 'tsig.algorithm',
      rule: 'tsig-algorithm',
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { zone, operations, tsig: key, field, rule }) => {
    const attempt = sendUpdate(nowhere, zone ?? ZONE, (key ?? tsig) as typeof tsig, operations, { timeoutMs: 50 });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ field, rule });
  });
});
