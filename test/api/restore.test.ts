/**
 * `GET /certificates/{id}/versions` and `POST /certificates/{id}/restore` through the router, against DynamoDB and
 * the Secrets Manager certificate store on real moto; the store is seeded the way the worker fills it
 * (putPending → promote per revision). Every answer is checked against functions/openapi.yaml.
 */
import type { CertificateMaterial } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { type ApiCall, type ApiResponse, Principal, useApiStack } from './support/api-harness.js';
import { openApiMismatches } from './support/openapi.js';

const api = useApiStack();
const NAMES = ['restore.example.test'];

async function call(request: ApiCall): Promise<ApiResponse> {
  const response = await api().call(request);
  expect(openApiMismatches(request.method, request.path, response)).toEqual([]);
  return response;
}

interface View {
  id: string;
  version: number;
  status: { revision: number; serial?: string };
  requests: { restore?: { at: string; serial: string; by: string } };
}

/** A certificate created through the API whose store holds `revisions` promoted certificates (status follows). */
async function issuedCertificate(
  revisions: number,
  options: { firstExpired?: boolean } = {},
): Promise<{ id: string; stored: CertificateMaterial[] }> {
  const created = await call({ method: 'POST', path: '/certificates', body: { names: NAMES } });
  const id = (created.body as View).id;
  const { store, certificates } = api().deps;
  const stored: CertificateMaterial[] = [];
  for (let revision = 1; revision <= revisions; revision++) {
    const expired = options.firstExpired === true && revision === 1;
    const m = await createTestMaterial({
      certificateId: id,
      revision,
      names: NAMES,
      ...(expired ? { notBefore: new Date(Date.now() - 2 * 86_400_000), validitySeconds: 86_400 } : {}),
    });
    await store.putPending(id, revision, m.key);
    await store.promote(id, revision, m.chainPem, m);
    stored.push(m);
  }
  const last = stored.at(-1);
  if (last === undefined) return { id, stored };
  const record = await certificates.get(id);
  await certificates.update({
    ...(record as NonNullable<typeof record>),
    status: { conditions: [], deliveries: {}, revision: revisions, serial: last.serial, notAfter: last.notAfter },
  });
  return { id, stored };
}

describe('GET /certificates/{id}/versions', () => {
  it('lists every stored certificate newest first and marks the current one', async () => {
    const { id, stored } = await issuedCertificate(2);
    const response = await call({ method: 'GET', path: `/certificates/${id}/versions` });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          revision: 2,
          serial: stored[1]?.serial,
          notBefore: stored[1]?.notBefore,
          notAfter: stored[1]?.notAfter,
          current: true,
        },
        {
          revision: 1,
          serial: stored[0]?.serial,
          notBefore: stored[0]?.notBefore,
          notAfter: stored[0]?.notAfter,
          current: false,
        },
      ],
    });
  });

  it('answers an empty list before anything was issued', async () => {
    const { id } = await issuedCertificate(0);
    const response = await call({ method: 'GET', path: `/certificates/${id}/versions` });
    expect(response).toMatchObject({ status: 200, body: { items: [] } });
  });

  it("reports another tenant's certificate as absent", async () => {
    const { id } = await issuedCertificate(1);
    const response = await call({ method: 'GET', path: `/certificates/${id}/versions`, principal: Principal.globex });
    expect(response.status).toBe(404);
  });
});

describe('POST /certificates/{id}/restore', () => {
  it('records the request with the serial normalised, and enqueues the certificate', async () => {
    const { id, stored } = await issuedCertificate(2);
    const first = stored[0]?.serial as string;
    const typed = `00${first.toUpperCase()}`.match(/.{1,2}/g)?.join(':') as string;
    const sent = api().queue.messages.length;
    const response = await call({ method: 'POST', path: `/certificates/${id}/restore`, body: { serial: typed } });
    expect(response.status).toBe(202);
    const view = response.body as View;
    expect(view.requests.restore).toMatchObject({ serial: first, by: Principal.acme });
    expect(api().queue.messages.length).toBe(sent + 1);
    expect((await api().deps.certificates.get(id))?.restoreRequest?.serial).toBe(first);
  });

  it('changes nothing when the same pending request is repeated', async () => {
    const { id, stored } = await issuedCertificate(2);
    const body = { serial: stored[0]?.serial };
    const first = (await call({ method: 'POST', path: `/certificates/${id}/restore`, body })).body as View;
    const again = await call({ method: 'POST', path: `/certificates/${id}/restore`, body });
    expect(again.status).toBe(202);
    expect((again.body as View).version).toBe(first.version);
  });

  const refusals: Record<
    string,
    { body: (serials: string[]) => unknown; status: number; field: string; rule: string }
  > = {
    'refuses a serial with a non-hex character': {
      body: () => ({ serial: 'zz:01' }),
      status: 400,
      field: 'serial',
      rule: 'serial-hex',
    },
    'refuses a serial of more than 40 hex digits': {
      body: () => ({ serial: 'a'.repeat(41) }),
      status: 400,
      field: 'serial',
      rule: 'serial-hex',
    },
    'refuses a missing serial': { body: () => ({}), status: 400, field: 'serial', rule: 'invalid-type' },
    'refuses an unknown field': {
      body: (s) => ({ serial: s[0], revision: 1 }),
      status: 400,
      field: 'revision',
      rule: 'unknown-field',
    },
    'refuses a serial that is not stored for the certificate': {
      body: () => ({ serial: 'abcdef' }),
      status: 409,
      field: 'serial',
      rule: 'stored-serial',
    },
  };
  it.each(Object.entries(refusals))('%s', async (_name, { body, status, field, rule }) => {
    const { id, stored } = await issuedCertificate(2);
    const response = await call({
      method: 'POST',
      path: `/certificates/${id}/restore`,
      body: body(stored.map((m) => m.serial)),
    });
    expect(response.status).toBe(status);
    expect((response.body as { errors: unknown[] }).errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect((await api().deps.certificates.get(id))?.restoreRequest).toBeUndefined();
  });

  it('refuses an expired serial with 409', async () => {
    const { id, stored } = await issuedCertificate(2, { firstExpired: true });
    const response = await call({
      method: 'POST',
      path: `/certificates/${id}/restore`,
      body: { serial: stored[0]?.serial },
    });
    expect(response.status).toBe(409);
    expect((response.body as { errors: unknown[] }).errors).toContainEqual(
      expect.objectContaining({ field: 'serial', rule: 'unexpired' }),
    );
  });

  it('refuses a restore while the certificate is being deleted', async () => {
    const { id, stored } = await issuedCertificate(2);
    expect((await call({ method: 'DELETE', path: `/certificates/${id}` })).status).toBe(202);
    const response = await call({
      method: 'POST',
      path: `/certificates/${id}/restore`,
      body: { serial: stored[0]?.serial },
    });
    expect(response.status).toBe(409);
    expect((response.body as { errors: unknown[] }).errors).toContainEqual(
      expect.objectContaining({ rule: 'not-deleting' }),
    );
  });
});
