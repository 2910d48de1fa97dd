/**
 * Failure paths on the real stack: a DynamoDB failure (tables that do not exist on moto) → 500 with a generic detail
 * and the real error logged; a conditional-write conflict with a concurrent reconcile write → re-read and retry; a
 * queue outage after the record was written → still 201 (the due index finds the record).
 */
import type { CertificateRepository } from '@portcullis/core';
import { createApiHandlers, createApiRouter, GENERIC_SERVER_ERROR } from '@portcullis/functions';
import { describe, expect, it, vi } from 'vitest';
import { apiGatewayEvent, lambdaContext, useApiStack } from './support/api-harness.js';
import { openApiMismatches } from './support/openapi.js';

const api = useApiStack();

describe('server errors', () => {
  it('answers 500 with a generic detail and logs the real error in full', async () => {
    const deps = api().brokenDeps();
    const logged = vi.spyOn(deps.logger, 'error');
    const router = createApiRouter(createApiHandlers(deps));
    const result = (await router(apiGatewayEvent({ method: 'GET', path: '/certificates' }), lambdaContext())) as {
      statusCode: number;
      body: string;
      headers: Record<string, string>;
    };
    expect(result.statusCode).toBe(500);
    const body = JSON.parse(result.body) as { detail: string };
    expect(body.detail).toBe(GENERIC_SERVER_ERROR);
    expect(result.body).not.toContain('missing-');
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[1])).toContain('dynamodb');
    expect(
      openApiMismatches('GET', '/certificates', { status: 500, headers: result.headers, body, text: result.body }),
    ).toEqual([]);
  });
});

describe('writes racing the lifecycle', () => {
  it('re-reads and re-applies a marker when reconcile wrote the record in between (a real conditional-write conflict)', async () => {
    const created = (
      await api().call({ method: 'POST', path: '/certificates', body: { names: ['race.example.test'] } })
    ).body as { id: string };
    const { deps } = api();
    let raced = false;
    const real = deps.certificates;
    const certificates: CertificateRepository = {
      get: (id) => real.get(id),
      create: (record) => real.create(record),
      delete: (id, version) => real.delete(id, version),
      listDue: (now, limit) => real.listDue(now, limit),
      list: (filter, page) => real.list(filter, page),
      update: async (record) => {
        if (!raced) {
          raced = true;
          // Reconcile writes status first: the API's write, based on the older version, must lose and retry.
          const current = await real.get(record.id);
          if (current !== undefined) {
            await real.update({ ...current, status: { ...current.status, lastReconciledAt: '2026-06-01T00:00:00Z' } });
          }
        }
        return real.update(record);
      },
    };
    const racing = { ...deps, certificates };
    const router = createApiRouter(createApiHandlers(racing));
    const result = (await router(
      apiGatewayEvent({ method: 'POST', path: `/certificates/${created.id}/renew` }),
      lambdaContext(),
    )) as { statusCode: number };
    expect(result.statusCode).toBe(202);
    const stored = await deps.certificates.get(created.id);
    // Both writes survived: reconcile's status and the API's marker.
    expect(stored?.status.lastReconciledAt).toBe('2026-06-01T00:00:00Z');
    expect(stored?.renewRequestedAt).toBeDefined();
    expect(stored?.version).toBe(3);
  });

  it('answers 201 when the queue refuses after the record was written (the due index finds it)', async () => {
    // A queue failure cannot be provoked on the in-memory fake; this stand-in throws like an SQS outage would.
    const failingQueue = {
      send: async () => {
        throw new Error('sqs: SendMessage: ServiceUnavailable');
      },
    };
    const router = createApiRouter(createApiHandlers({ ...api().deps, queue: failingQueue }));
    const result = (await router(
      apiGatewayEvent({ method: 'POST', path: '/certificates', body: { names: ['queue-down.example.test'] } }),
      lambdaContext(),
    )) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(201);
    const id = (JSON.parse(result.body) as { id: string }).id;
    const stored = await api().deps.certificates.get(id);
    expect(stored?.nextWakeAt).toBeDefined();
    const due = await api().deps.certificates.listDue('2100-01-01T00:00:00Z', 1000);
    expect(due.map((record) => record.id)).toContain(id);
  });
});
