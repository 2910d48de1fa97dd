import { describe, expect, it } from 'vitest';
import { toAuthorization, toOrder } from './mapping.js';

describe('toOrder', () => {
  it('keeps the documented fields and drops the rest', () => {
    const order = toOrder(
      {
        status: 'invalid',
        identifiers: [{ type: 'dns', value: 'a.test' }],
        authorizations: ['https://ca/authz/1'],
        finalize: 'https://ca/finalize/1',
        expires: '2026-11-27T00:00:00Z',
        error: { type: 'urn:ietf:params:acme:error:unauthorized', detail: 'nope' },
        url: 'ignored',
        somethingElse: 1,
      },
      'https://ca/order/1',
    );
    expect(order).toEqual({
      url: 'https://ca/order/1',
      status: 'invalid',
      identifiers: [{ type: 'dns', value: 'a.test' }],
      authorizations: ['https://ca/authz/1'],
      finalize: 'https://ca/finalize/1',
      expires: '2026-11-27T00:00:00Z',
      error: { type: 'urn:ietf:params:acme:error:unauthorized', detail: 'nope', status: 400 },
    });
    expect(JSON.parse(JSON.stringify(order))).toEqual(order);
  });

  it('refuses an unknown status', () => {
    expect(() => toOrder({ status: 'weird', finalize: 'x' }, 'https://ca/order/1')).toThrow(/unexpected value "weird"/);
  });
});

describe('toAuthorization', () => {
  it('maps a wildcard authorization with its challenges', () => {
    const authz = toAuthorization(
      {
        status: 'pending',
        identifier: { type: 'dns', value: 'a.test' },
        wildcard: true,
        challenges: [{ type: 'dns-01', url: 'https://ca/chall/1', token: 'tok', status: 'pending' }],
      },
      'https://ca/authz/1',
    );
    expect(authz).toEqual({
      url: 'https://ca/authz/1',
      identifier: { type: 'dns', value: 'a.test' },
      wildcard: true,
      status: 'pending',
      challenges: [{ type: 'dns-01', url: 'https://ca/chall/1', token: 'tok', status: 'pending' }],
    });
  });
});
