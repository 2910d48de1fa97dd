/**
 * `PATCH /certificates/{id}` (switch issuer, endpoints, merge-patch nulls, Idempotency-Key), the monitor's data in
 * the API (`observations` in `GET /certificates/{id}`, `GET /alerts` with tenant and operator rules), and the CLI's
 * `ApiClient.update` / `alerts` over real HTTP (the local runtime's bridge). Real moto (DynamoDB adapters for
 * records, alerts, observations and idempotency), the in-memory Queue fake; every answer checked against
 * functions/openapi.yaml.
 */
import { randomUUID } from 'node:crypto';
import { ApiClient, ApiClientError, startHttpBridge } from '@portcullis/cli';
import { type AlertRecord, specHash, toIsoTime } from '@portcullis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiCall, ISSUERS, Principal, useApiStack } from './support/api-harness.js';
import { openApiMismatches } from './support/openapi.js';

const api = useApiStack();

async function call(request: ApiCall) {
  const response = await api().call(request);
  expect(openApiMismatches(request.method, request.path, response)).toEqual([]);
  return response;
}

interface View {
  id: string;
  version: number;
  spec: { issuer: string; keyType: string; profile?: string; endpoints: unknown[]; renewal?: unknown };
  observations?: unknown[];
}

async function create(name: string, extra: Record<string, unknown> = {}): Promise<View> {
  const response = await call({ method: 'POST', path: '/certificates', body: { names: [name], ...extra } });
  expect(response.status).toBe(201);
  return response.body as View;
}

const patch = (id: string, body: unknown, extra: Partial<ApiCall> = {}): ApiCall => ({
  method: 'PATCH',
  path: `/certificates/${id}`,
  body,
  headers: { 'content-type': 'application/merge-patch+json' },
  ...extra,
});

describe('PATCH /certificates/{id}', () => {
  it('switches the issuer: a new spec hash, woken now and queued', async () => {
    const created = await create('switch.example.test', { profile: 'tlsserver' });
    const issued = await api().deps.certificates.get(created.id);
    if (issued === undefined) throw new Error('the record disappeared');
    // As reconcile leaves a certificate after issuance: nothing to do until the renewal time.
    const before = await api().deps.certificates.update({ ...issued, nextWakeAt: '2099-01-01T00:00:00Z' });
    const sent = api().queue.messages.length;
    const response = await call(patch(created.id, { issuer: ISSUERS[1] }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 3, spec: { issuer: ISSUERS[1], profile: 'tlsserver' } });
    const stored = await api().deps.certificates.get(created.id);
    if (stored === undefined) throw new Error('the record disappeared');
    expect(specHash(stored.spec)).not.toBe(specHash(before.spec));
    // Woken: due now instead of 2099.
    expect((stored.nextWakeAt ?? '') <= toIsoTime(new Date())).toBe(true);
    expect(api().queue.messages.slice(sent)).toEqual([{ certificateId: created.id, delaySeconds: 0 }]);
  });

  it('sets endpoints (port defaulting to 443), then clears them and the profile with null', async () => {
    const created = await create('endpoints.example.test', { profile: 'shortlived' });
    const set = await call(
      patch(created.id, { endpoints: [{ host: 'LB.example.test' }, { host: '192.0.2.4', port: 8443 }] }),
    );
    expect((set.body as View).spec.endpoints).toEqual([
      { host: 'lb.example.test', port: 443 },
      { host: '192.0.2.4', port: 8443 },
    ]);
    const sent = api().queue.messages.length;
    const cleared = await call(patch(created.id, { endpoints: null, profile: null }, { headers: {} }));
    expect(cleared.status).toBe(200);
    expect((cleared.body as View).spec.endpoints).toEqual([]);
    expect((cleared.body as View).spec).not.toHaveProperty('profile');
    // A profile change reshapes the certificate: queued again.
    expect(api().queue.messages.slice(sent)).toEqual([{ certificateId: created.id, delaySeconds: 0 }]);
  });

  it('replays the first answer for the same Idempotency-Key and body, refuses another body with 422', async () => {
    const created = await create('idem-patch.example.test');
    const key = randomUUID();
    const request = patch(
      created.id,
      { keyType: 'ec-p384' },
      {
        headers: { 'content-type': 'application/merge-patch+json', 'idempotency-key': key },
      },
    );
    const first = await call(request);
    const second = await call(request);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await api().deps.certificates.get(created.id))?.version).toBe(2);
    const other = await call({ ...request, body: { keyType: 'rsa-2048' } });
    expect(other.status).toBe(422);
  });

  it('refuses an unknown issuer, listing the configured ones, and writes nothing', async () => {
    const created = await create('unknown-issuer.example.test');
    const response = await call(patch(created.id, { issuer: 'buypass' }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: [{ field: 'issuer', rule: 'known-issuer', message: expect.stringContaining(ISSUERS.join(', ')) }],
    });
    expect((await api().deps.certificates.get(created.id))?.version).toBe(1);
  });

  it('refuses a change while a deletion is pending (409)', async () => {
    const created = await create('deleting.example.test');
    expect((await call({ method: 'DELETE', path: `/certificates/${created.id}` })).status).toBe(202);
    const response = await call(patch(created.id, { issuer: ISSUERS[1] }));
    expect(response.status).toBe(409);
  });
});

describe('POST /certificates with endpoints and issuers', () => {
  it('stores endpoints and accepts a configured second issuer', async () => {
    const created = await create('with-endpoints.example.test', {
      issuer: ISSUERS[1],
      endpoints: [{ host: 'edge.example.test', port: 443, serverName: 'with-endpoints.example.test' }],
    });
    expect(created.spec).toMatchObject({
      issuer: ISSUERS[1],
      endpoints: [{ host: 'edge.example.test', port: 443, serverName: 'with-endpoints.example.test' }],
    });
  });
});

describe('observations in GET /certificates/{id}', () => {
  it('answers [] before the monitor ran, then what it saw; listings leave them out', async () => {
    const created = await create('observed.example.test');
    const before = await call({ method: 'GET', path: `/certificates/${created.id}` });
    expect((before.body as View).observations).toEqual([]);
    const seen = {
      location: 'endpoint:edge.example.test:443',
      source: 'endpoint' as const,
      observedAt: '2026-06-01T12:00:00Z',
      serial: '1a2b',
      notAfter: '2026-06-07T12:00:00Z',
      address: 'edge.example.test:443',
    };
    await api().deps.observations.put(created.id, [seen]);
    const after = await call({ method: 'GET', path: `/certificates/${created.id}` });
    expect((after.body as View).observations).toEqual([seen]);
    const listed = await call({ method: 'GET', path: '/certificates', query: { name: 'observed.example.test' } });
    expect((listed.body as { items: View[] }).items[0]).not.toHaveProperty('observations');
  });
});

function alert(key: string, tenant: string | undefined, state: 'open' | 'resolved' = 'open'): AlertRecord {
  const kind = key.split(':')[0] as AlertRecord['kind'];
  return {
    key,
    kind,
    severity: 'critical',
    subject: key.split(':')[1] ?? key,
    names: tenant === undefined ? [] : ['alerted.example.test'],
    summary: `${key} needs a person`,
    details: { daysLeft: '2' },
    runbook: `docs/runbooks/${kind}.md`,
    fingerprint: 'fp',
    state,
    openedAt: '2026-06-01T00:00:00Z',
    lastSeenAt: '2026-06-01T01:00:00Z',
    version: 0,
    ...(tenant === undefined ? {} : { tenant, certificateId: key.split(':')[1] as string }),
    ...(state === 'resolved' ? { resolvedAt: '2026-06-01T02:00:00Z' } : {}),
  };
}

describe('GET /alerts', () => {
  beforeAll(async () => {
    for (const record of [
      alert('expiring:acme-1', 'acme'),
      alert('drift:acme-2', 'acme', 'resolved'),
      alert('expiring:globex-1', 'globex'),
      alert('stale:platform-1', 'platform'),
      alert('dlq-not-empty:portcullis-reconcile-dlq', undefined),
      alert('unmanaged-expiring:arn-aws-acm-1', undefined),
    ]) {
      await api().deps.alerts.put(record);
    }
  });

  const keysOf = (body: unknown) => (body as { items: { key: string }[] }).items.map((item) => item.key);

  it('shows a tenant only the alerts of its own certificates, without the version', async () => {
    const response = await call({ method: 'GET', path: '/alerts' });
    expect(response.status).toBe(200);
    expect(keysOf(response.body)).toEqual(['drift:acme-2', 'expiring:acme-1']);
    expect((response.body as { items: object[] }).items[0]).not.toHaveProperty('version');
    const open = await call({ method: 'GET', path: '/alerts', query: { state: 'open' } });
    expect(keysOf(open.body)).toEqual(['expiring:acme-1']);
    const foreign = await call({ method: 'GET', path: '/alerts', query: { certificateId: 'globex-1' } });
    expect(keysOf(foreign.body)).toEqual([]);
  });

  it('shows an operator tenant its own and the account-wide alerts, page by page in key order', async () => {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await call({
        method: 'GET',
        path: '/alerts',
        principal: Principal.operator,
        query: { limit: '1', ...(cursor === undefined ? {} : { cursor }) },
      });
      keys.push(...keysOf(response.body));
      cursor = (response.body as { nextCursor?: string }).nextCursor;
    } while (cursor !== undefined && keys.length < 10);
    expect(keys).toEqual([
      'dlq-not-empty:portcullis-reconcile-dlq',
      'stale:platform-1',
      'unmanaged-expiring:arn-aws-acm-1',
    ]);
  });
});

describe('ApiClient over HTTP (the CLI’s view of these routes)', () => {
  let client: ApiClient;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const bridge = await startHttpBridge(api().router, Principal.acme, 0);
    close = () => bridge.close();
    client = new ApiClient(bridge.url);
  });
  afterAll(async () => close?.());

  it('updates a certificate with a merge patch and reads its alerts', async () => {
    const created = await client.create({ names: ['client.example.test'] });
    const updated = await client.update(created.id, {
      issuer: ISSUERS[1],
      endpoints: [{ host: 'client-lb.example.test', port: 443 }],
    });
    expect(updated.spec).toMatchObject({
      issuer: ISSUERS[1],
      endpoints: [{ host: 'client-lb.example.test', port: 443 }],
    });
    const fetched = await client.get(created.id);
    expect(fetched.observations).toEqual([]);
    const page = await client.alerts({ state: 'open', kind: 'expiring' });
    expect(page.items.map((item) => item.key)).toEqual(['expiring:acme-1']);
    await expect(client.update(created.id, { issuer: 'nowhere' })).rejects.toThrow(ApiClientError);
  });
});
