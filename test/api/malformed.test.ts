/**
 * Bad input: every request in the case tables (support/malformed-*-cases.ts) must be refused with a 4xx
 * problem+json that names the field and the rule — never a 5xx — and must write nothing: the items in every table
 * the API writes (certificates, orders, ledger, events, idempotency) and the queue messages are counted before and
 * after each case. Real moto, real adapters, the in-memory Queue fake.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiStack } from './support/api-harness.js';
import { accessCases } from './support/malformed-access-cases.js';
import { bodyCases, type MalformedCase } from './support/malformed-body-cases.js';
import { updateCases } from './support/malformed-update-cases.js';
import { openApiMismatches } from './support/openapi.js';

const api = useApiStack();
let existing = '';

beforeAll(async () => {
  const response = await api().call({ method: 'POST', path: '/certificates', body: { names: ['seed.example.test'] } });
  existing = (response.body as { id: string }).id;
});

const cases: Record<string, MalformedCase> = { ...bodyCases, ...accessCases, ...updateCases };

describe('malformed requests', () => {
  it('has at least 50 cases', () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(50);
  });

  it.each(Object.entries(cases))('%s', async (_name, { request, status, field, rule }) => {
    const call = request(existing);
    const before = await api().countItems();
    const queued = api().queue.messages.length;
    const response = await api().call(call);
    expect({ status: response.status, body: response.body }).toMatchObject({
      status,
      body: { status, errors: expect.arrayContaining([expect.objectContaining({ field, rule })]) },
    });
    expect(response.headers['content-type']).toBe('application/problem+json');
    const problem = response.body as { detail: string; errors: { message: string }[] };
    expect(problem.detail.length).toBeGreaterThan(5);
    for (const error of problem.errors) expect(error.message.length).toBeGreaterThan(5);
    if (status === 405) expect(response.headers.allow).toMatch(/^[A-Z, ]+$/);
    expect(openApiMismatches(call.method, call.path, response)).toEqual([]);
    expect(await api().countItems()).toEqual(before);
    expect(api().queue.messages.length).toBe(queued);
  });
});
