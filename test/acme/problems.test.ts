/**
 * Failure paths pebble cannot produce on demand, against the scripted stub in support/acme-stub.ts (see its header).
 * Everything the stub answers follows RFC 8555 problem documents.
 */

import { type AcmeClientEvent, createAcmeClient } from '@portcullis/acme';
import { AcmeProblemError, AcmeProblemType, type Clock } from '@portcullis/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AcmeStub, type AcmeStubOptions, startAcmeStub } from './support/acme-stub.js';
import { MemoryKeyStore } from './support/memory-key-store.js';

const NOW = new Date('2026-11-20T00:00:00Z');
const fixedClock: Clock = { now: () => NOW, sleep: async () => {} };
const identifiers = [{ type: 'dns' as const, value: 'example.test' }];

let stub: AcmeStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function clientFor(options: AcmeStubOptions, extra: { badNonceRetries?: number } = {}) {
  stub = await startAcmeStub(options);
  const events: AcmeClientEvent[] = [];
  const client = createAcmeClient({
    issuer: stub.directoryUrl,
    keyStore: new MemoryKeyStore(),
    clock: fixedClock,
    onEvent: (event) => events.push(event),
    ...extra,
  });
  return { client, events, stub };
}

async function failureOf(promise: Promise<unknown>): Promise<AcmeProblemError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AcmeProblemError);
  return error as AcmeProblemError;
}

describe('rateLimited', () => {
  it('surfaces type, detail and the Retry-After time, and is sent exactly once', async () => {
    const { client, stub } = await clientFor({
      newOrder: () => ({
        status: 429,
        headers: { 'retry-after': '3600' },
        body: { type: AcmeProblemType.rateLimited, detail: 'too many new orders recently' },
      }),
    });
    const error = await failureOf(client.newOrder({ identifiers }));
    expect(error.type).toBe(AcmeProblemType.rateLimited);
    expect(error.message).toBe('acme: newOrder: urn:ietf:params:acme:error:rateLimited: too many new orders recently');
    expect(error.status).toBe(429);
    expect(error.retryAfter?.toISOString()).toBe('2026-11-20T01:00:00.000Z');
    expect(stub.signed.filter((r) => r.path === '/new-order')).toHaveLength(1);
  });

  it('reads an HTTP-date Retry-After', async () => {
    const { client } = await clientFor({
      newOrder: () => ({
        status: 429,
        headers: { 'retry-after': 'Fri, 20 Nov 2026 06:30:00 GMT' },
        body: { type: AcmeProblemType.rateLimited, detail: 'later' },
      }),
    });
    const error = await failureOf(client.newOrder({ identifiers }));
    expect(error.retryAfter?.toISOString()).toBe('2026-11-20T06:30:00.000Z');
  });
});

describe('server errors', () => {
  it('surfaces a 5xx problem with its own detail and does not re-send the request', async () => {
    const { client, stub } = await clientFor({
      newOrder: () => ({
        status: 503,
        body: { type: AcmeProblemType.serverInternal, detail: 'database unavailable' },
      }),
    });
    const error = await failureOf(client.newOrder({ identifiers }));
    expect({ type: error.type, detail: error.detail, retryable: error.retryable }).toEqual({
      type: AcmeProblemType.serverInternal,
      detail: 'database unavailable',
      retryable: true,
    });
    expect(stub.signed.filter((r) => r.path === '/new-order')).toHaveLength(1);
  });

  it('keeps subproblems with their identifiers', async () => {
    const { client } = await clientFor({
      newOrder: () => ({
        status: 400,
        body: {
          type: 'urn:ietf:params:acme:error:compound',
          detail: 'several identifiers refused',
          subproblems: [
            {
              type: AcmeProblemType.rejectedIdentifier,
              detail: 'policy forbids',
              identifier: { type: 'dns', value: 'bad.example.test' },
            },
          ],
        },
      }),
    });
    const error = await failureOf(client.newOrder({ identifiers }));
    expect(error.subproblems).toEqual([
      {
        type: AcmeProblemType.rejectedIdentifier,
        detail: 'policy forbids',
        status: 400,
        identifier: { type: 'dns', value: 'bad.example.test' },
      },
    ]);
    expect(error.message).toContain('bad.example.test: urn:ietf:params:acme:error:rejectedIdentifier: policy forbids');
  });
});

describe('replaces', () => {
  it('orders again without replaces after alreadyReplaced, once', async () => {
    const { client, stub } = await clientFor({
      newOrder: (payload) =>
        'replaces' in payload
          ? { status: 409, body: { type: AcmeProblemType.alreadyReplaced, detail: 'already replaced' } }
          : undefined,
    });
    const order = await client.newOrder({ identifiers, replaces: 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE' });
    expect(order.replacesDropped).toBe(true);
    expect(order.status).toBe('pending');
    const sent = stub.signed.filter((r) => r.path === '/new-order').map((r) => r.payload);
    expect(sent).toEqual([{ identifiers, replaces: 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE' }, { identifiers }]);
  });

  it('sends profile and replaces unchanged when the directory advertises no profiles', async () => {
    const { client, stub } = await clientFor({});
    const order = await client.newOrder({ identifiers, profile: 'shortlived', replaces: 'abc.AQ' });
    expect(order.replacesDropped).toBeUndefined();
    expect(stub.signed.find((r) => r.path === '/new-order')?.payload).toEqual({
      identifiers,
      profile: 'shortlived',
      replaces: 'abc.AQ',
    });
  });
});

describe('badNonce', () => {
  it('still succeeds when more nonces are refused in a row than acme-client retries by itself', async () => {
    // acme-client 5.4.0 sends a signed request at most 6 times (1 + 5 badNonce retries); 8 refusals need our round.
    const { client, events, stub } = await clientFor({ rejectNonces: 8 });
    const account = await client.ensureAccount();
    expect(account.url).toMatch(/\/account\/1$/);
    expect(events.filter((e) => e.type === 'badNonceRetry')).toEqual([
      { type: 'badNonceRetry', context: 'newAccount (onlyReturnExisting)', round: 1 },
    ]);
    // 8 refused + the lookup (no account yet) + the registration.
    expect(stub.signed.map((r) => r.path)).toEqual([...Array(10).fill('/account')]);
  });

  it('gives up after the configured rounds with the badNonce problem', async () => {
    const { client, stub } = await clientFor({ rejectNonces: 1_000 }, { badNonceRetries: 2 });
    const error = await failureOf(client.ensureAccount());
    expect(error.type).toBe(AcmeProblemType.badNonce);
    expect(error.retryable).toBe(true);
    // 3 rounds of acme-client's 6 tries each.
    expect(stub.signed).toHaveLength(18);
  });
});

describe('polling', () => {
  /** A clock whose sleep moves time forward and records each wait. */
  function steppingClock() {
    let now = NOW.getTime();
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => new Date(now),
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    return { clock, sleeps };
  }
  const order = (status: string, url: string) => ({
    status,
    identifiers,
    authorizations: [],
    finalize: `${url}/finalize`,
    ...(status === 'valid' ? { certificate: `${url}/cert` } : {}),
  });

  it('waits as long as Retry-After says while the order is processing', async () => {
    stub = await startAcmeStub({
      orderPoll: (call, url) =>
        call < 2
          ? { status: 200, headers: { 'retry-after': String(3 * (call + 1)) }, body: order('processing', url) }
          : { status: 200, body: order('valid', url) },
    });
    const { clock, sleeps } = steppingClock();
    const client = createAcmeClient({ issuer: stub.directoryUrl, keyStore: new MemoryKeyStore(), clock });
    const { url } = await client.newOrder({ identifiers });
    expect((await client.pollOrder(url)).retryAfterMs).toBe(3_000);
    const valid = await client.waitForOrder(url);
    expect(valid.status).toBe('valid');
    expect(sleeps).toEqual([6_000]);
  });

  it('backs off exponentially between backoffMin and backoffMax without Retry-After, then gives up', async () => {
    stub = await startAcmeStub({ orderPoll: (_call, url) => ({ status: 200, body: order('processing', url) }) });
    const { clock, sleeps } = steppingClock();
    const client = createAcmeClient({
      issuer: stub.directoryUrl,
      keyStore: new MemoryKeyStore(),
      clock,
      backoffMinMs: 100,
      backoffMaxMs: 1_000,
    });
    const { url } = await client.newOrder({ identifiers });
    expect((await client.pollOrder(url)).retryAfterMs).toBe(100);
    await expect(client.waitForOrder(url, { timeoutMs: 5_000 })).rejects.toThrow(
      expect.objectContaining({ code: 'AcmeWaitTimedOut', retryable: true }),
    );
    expect(sleeps).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('stops waiting with the problem when the order turns invalid', async () => {
    stub = await startAcmeStub({
      orderPoll: (_call, url) => ({
        status: 200,
        body: { ...order('invalid', url), error: { type: AcmeProblemType.unauthorized, detail: 'no TXT' } },
      }),
    });
    const client = createAcmeClient({ issuer: stub.directoryUrl, keyStore: new MemoryKeyStore(), clock: fixedClock });
    const { url } = await client.newOrder({ identifiers });
    const error = await failureOf(client.waitForOrder(url));
    expect(error.message).toBe(`acme: order ${url}: urn:ietf:params:acme:error:unauthorized: no TXT`);
  });
});
