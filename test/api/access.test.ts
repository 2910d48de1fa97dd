/**
 * Idempotency-Key (Powertools idempotency, DynamoDB persistence on real moto) and tenant isolation (IAM request
 * context → tenant → zones), through the router with real-shaped API Gateway v2 events.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ApiCall, Principal, useApiStack } from './support/api-harness.js';
import { openApiMismatches } from './support/openapi.js';

const api = useApiStack();

async function call(request: ApiCall) {
  const response = await api().call(request);
  expect(openApiMismatches(request.method, request.path, response)).toEqual([]);
  return response;
}

const idOf = (body: unknown) => (body as { id: string }).id;

async function certificateCount(): Promise<number> {
  return (await api().countItems())[api().tables.certificates] ?? 0;
}

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, without a second write or message', async () => {
    const key = randomUUID();
    const request: ApiCall = {
      method: 'POST',
      path: '/certificates',
      body: { names: ['idem.example.test'], keyType: 'ec-p384' },
      headers: { 'idempotency-key': key },
    };
    const before = await certificateCount();
    const queued = api().queue.messages.length;
    const first = await call(request);
    const second = await call(request);
    // Same body with its keys in another order is the same request.
    const reordered = await call({ ...request, body: { keyType: 'ec-p384', names: ['idem.example.test'] } });
    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    expect(reordered).toEqual(first);
    expect(await certificateCount()).toBe(before + 1);
    expect(api().queue.messages.length).toBe(queued + 1);
  });

  it('refuses the same key with another body with 422, writing nothing', async () => {
    const key = randomUUID();
    const first = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['idem-a.example.test'] },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const before = await api().countItems();
    const other = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['idem-b.example.test'] },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ errors: [{ field: 'header.idempotency-key', rule: 'same-request' }] });
    expect(await api().countItems()).toEqual(before);
    // The refused replay did not remove the first answer: the original request still replays.
    const replay = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['idem-a.example.test'] },
      headers: { 'idempotency-key': key },
    });
    expect(replay).toEqual(first);
  });

  it('scopes keys by caller and route', async () => {
    const key = randomUUID();
    const mine = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['scoped.example.test'] },
      headers: { 'idempotency-key': key },
    });
    const theirs = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['scoped.delegated.test'] },
      headers: { 'idempotency-key': key },
      principal: Principal.globex,
    });
    expect(theirs.status).toBe(201);
    expect(idOf(theirs.body)).not.toBe(idOf(mine.body));
    const renew = await call({
      method: 'POST',
      path: `/certificates/${idOf(mine.body)}/renew`,
      headers: { 'idempotency-key': key },
    });
    expect(renew.status).toBe(202);
  });

  it('does not store refused requests: a fixed request with the same key goes through', async () => {
    const key = randomUUID();
    const refused = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['www.delegated.test'] },
      headers: { 'idempotency-key': key },
    });
    expect(refused.status).toBe(403);
    const fixed = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['www.delegated.test'] },
      headers: { 'idempotency-key': key },
      principal: Principal.globex,
    });
    expect(fixed.status).toBe(201);
  });

  it('writes once when the same request arrives twice at the same time', async () => {
    const request: ApiCall = {
      method: 'POST',
      path: '/certificates',
      body: { names: ['concurrent.example.test'] },
      headers: { 'idempotency-key': randomUUID() },
    };
    const before = await certificateCount();
    const answers = await Promise.all([call(request), call(request)]);
    // The loser either waits for nothing (409, "in progress") or, if the winner already finished, gets its answer.
    const statuses = answers.map((answer) => answer.status).sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    expect(await certificateCount()).toBe(before + 1);
  });

  it('creates twice without a key', async () => {
    const request: ApiCall = { method: 'POST', path: '/certificates', body: { names: ['twice.example.test'] } };
    const first = await call(request);
    const second = await call(request);
    expect(idOf(second.body)).not.toBe(idOf(first.body));
  });
});

describe('tenant isolation', () => {
  it('keeps each tenant to its own certificates on every route', async () => {
    const acme = idOf(
      (await call({ method: 'POST', path: '/certificates', body: { names: ['iso.example.test'] } })).body,
    );
    const globex = idOf(
      (
        await call({
          method: 'POST',
          path: '/certificates',
          body: { names: ['iso.delegated.test'] },
          principal: Principal.globex,
        })
      ).body,
    );
    const before = await api().countItems();
    const foreign: ApiCall[] = [
      { method: 'GET', path: `/certificates/${acme}` },
      { method: 'GET', path: `/certificates/${acme}/events` },
      { method: 'POST', path: `/certificates/${acme}/renew` },
      { method: 'POST', path: `/certificates/${acme}/revoke`, body: { reason: 'keyCompromise' } },
      { method: 'DELETE', path: `/certificates/${acme}` },
    ];
    for (const request of foreign) {
      const response = await call({ ...request, principal: Principal.globex });
      expect(response.status, `${request.method} ${request.path}`).toBe(404);
    }
    expect(await api().countItems()).toEqual(before);

    const listed = await call({
      method: 'GET',
      path: '/certificates',
      query: { limit: '100' },
      principal: Principal.globex,
    });
    const ids = (listed.body as { items: { id: string; tenant: string }[] }).items;
    expect(ids.map((item) => item.id)).toContain(globex);
    expect(ids.every((item) => item.tenant === 'globex')).toBe(true);
  });

  it('maps an assumed-role session to its tenant by ARN prefix', async () => {
    const response = await call({
      method: 'POST',
      path: '/certificates',
      body: { names: ['ci.example.test'] },
      principal: Principal.acmeSession,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ tenant: 'acme' });
  });

  it('refuses another tenant’s listing cursor', async () => {
    for (let i = 0; i < 3; i++)
      await call({ method: 'POST', path: '/certificates', body: { names: [`cur-${i}.example.test`] } });
    const page = await call({ method: 'GET', path: '/certificates', query: { limit: '1' } });
    const cursor = (page.body as { nextCursor?: string }).nextCursor;
    expect(cursor).toBeDefined();
    const replayed = await call({
      method: 'GET',
      path: '/certificates',
      query: { limit: '1', cursor: cursor ?? '' },
      principal: Principal.globex,
    });
    expect(replayed.status).toBe(400);
    expect(replayed.body).toMatchObject({ errors: [{ field: 'query.cursor', rule: 'cursor' }] });
  });
});
