/**
 * Every route's happy path through the router, in process, against the DynamoDB adapters on real moto (tables
 * created for this file), real bind9 for pre-flight and the in-memory Queue fake; every answer is checked against
 * functions/openapi.yaml.
 */
import { randomBytes } from 'node:crypto';
import { sendUpdate, type UpdateOperation } from '@portcullis/dns';
import { describe, expect, it } from 'vitest';
import { type ApiCall, type ApiResponse, Principal, useApiStack } from './support/api-harness.js';
import { openApiMismatches } from './support/openapi.js';

const api = useApiStack();

async function call(request: ApiCall): Promise<ApiResponse> {
  const response = await api().call(request);
  expect(openApiMismatches(request.method, request.path, response)).toEqual([]);
  return response;
}

interface CertificateBody {
  id: string;
  tenant: string;
  version: number;
  spec: { names: string[]; keyType: string; challenge: string; issuer: string; targets: unknown[] };
  status: { ready: string; revision: number };
  requests: { renewRequestedAt?: string; revoke?: { reason: string }; delete?: { revoke: boolean; reason?: string } };
}

async function createCertificate(names: string[], extra: Record<string, unknown> = {}): Promise<CertificateBody> {
  const response = await call({ method: 'POST', path: '/certificates', body: { names, ...extra } });
  expect(response.status).toBe(201);
  return response.body as CertificateBody;
}

describe('POST /certificates', () => {
  it('records the spec with normalized names and defaults, appends a requested event and enqueues the id', async () => {
    const sent = api().queue.messages.length;
    const response = await call({
      method: 'POST',
      path: '/certificates',
      body: {
        names: ['Shop.Example.TEST.', '*.shop.example.test'],
        targets: [{ id: 'acm-us-east-1', type: 'acm', options: { region: 'us-east-1' } }],
        renewal: { renewBeforeSeconds: 86_400 * 20 },
      },
    });
    expect(response.status).toBe(201);
    const body = response.body as CertificateBody;
    expect(response.headers.location).toBe(`/certificates/${body.id}`);
    expect(body).toMatchObject({
      tenant: 'acme',
      version: 1,
      spec: {
        names: ['shop.example.test', '*.shop.example.test'],
        keyType: 'ec-p256',
        challenge: 'dns-01',
        issuer: 'pebble',
      },
      status: { ready: 'Unknown', revision: 0 },
    });
    expect(api().queue.messages.slice(sent)).toEqual([{ certificateId: body.id, delaySeconds: 0 }]);
    const stored = await api().deps.certificates.get(body.id);
    expect(stored?.spec.targets).toEqual([{ id: 'acm-us-east-1', type: 'acm', options: { region: 'us-east-1' } }]);
    expect(stored?.status).toEqual({ conditions: [], revision: 0, deliveries: {} });
  });

  it('accepts an internationalized name and stores it as punycode', async () => {
    const body = await createCertificate(['bücher.example.test'], { keyType: 'rsa-2048', profile: 'tlsserver' });
    expect(body.spec.names).toEqual(['xn--bcher-kva.example.test']);
  });
});

describe('GET /certificates/{id} and GET /certificates', () => {
  it('returns one certificate of the tenant', async () => {
    const created = await createCertificate(['get.example.test']);
    const response = await call({ method: 'GET', path: `/certificates/${created.id}` });
    expect(response.status).toBe(200);
    // Only the single-certificate read carries the monitor's observations (none yet).
    expect(response.body).toEqual({ ...created, observations: [] });
  });

  it('lists the tenant’s certificates page by page, filtered by name and readiness', async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await createCertificate([`page-${i}.example.test`])).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await call({
        method: 'GET',
        path: '/certificates',
        query: { limit: '2', ...(cursor === undefined ? {} : { cursor }) },
      });
      expect(response.status).toBe(200);
      const page = response.body as { items: CertificateBody[]; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(expect.arrayContaining(mine));
    expect(new Set(seen).size).toBe(seen.length);

    const byName = await call({ method: 'GET', path: '/certificates', query: { name: 'PAGE-3.example.test.' } });
    expect((byName.body as { items: CertificateBody[] }).items.map((item) => item.id)).toEqual([mine[3]]);
    const ready = await call({ method: 'GET', path: '/certificates', query: { ready: 'true' } });
    expect((ready.body as { items: unknown[] }).items).toEqual([]);
    const notReady = await call({ method: 'GET', path: '/certificates', query: { ready: 'false', limit: '100' } });
    expect((notReady.body as { items: CertificateBody[] }).items.map((item) => item.id)).toEqual(
      expect.arrayContaining(mine),
    );
  });
});

describe('requests recorded for the lifecycle', () => {
  it('POST /renew records renewRequestedAt (status untouched) and enqueues', async () => {
    const created = await createCertificate(['renew.example.test']);
    const sent = api().queue.messages.length;
    const response = await call({ method: 'POST', path: `/certificates/${created.id}/renew` });
    expect(response.status).toBe(202);
    const body = response.body as CertificateBody;
    expect(body.requests.renewRequestedAt).toMatch(/Z$/);
    expect(body.version).toBe(2);
    expect(body.status).toEqual(created.status);
    expect(api().queue.messages.slice(sent)).toEqual([{ certificateId: created.id, delaySeconds: 0 }]);
    const withEmptyObject = await call({ method: 'POST', path: `/certificates/${created.id}/renew`, body: {} });
    expect(withEmptyObject.status).toBe(202);
  });

  it('POST /revoke records the reason once; the same reason again changes nothing, another is a conflict', async () => {
    const created = await createCertificate(['revoke.example.test']);
    const first = await call({
      method: 'POST',
      path: `/certificates/${created.id}/revoke`,
      body: { reason: 'superseded' },
    });
    expect(first.status).toBe(202);
    expect((first.body as CertificateBody).requests.revoke).toMatchObject({ reason: 'superseded', by: Principal.acme });
    const again = await call({
      method: 'POST',
      path: `/certificates/${created.id}/revoke`,
      body: { reason: 'superseded' },
    });
    expect((again.body as CertificateBody).version).toBe((first.body as CertificateBody).version);
    const other = await call({
      method: 'POST',
      path: `/certificates/${created.id}/revoke`,
      body: { reason: 'keyCompromise' },
    });
    expect(other.status).toBe(409);
  });

  it('DELETE records the deletion (with revocation when asked); renewing it afterwards is a conflict', async () => {
    const created = await createCertificate(['delete.example.test']);
    const response = await call({
      method: 'DELETE',
      path: `/certificates/${created.id}`,
      query: { revoke: 'true', reason: 'cessationOfOperation' },
    });
    expect(response.status).toBe(202);
    expect((response.body as CertificateBody).requests.delete).toMatchObject({
      revoke: true,
      reason: 'cessationOfOperation',
    });
    const again = await call({ method: 'DELETE', path: `/certificates/${created.id}`, query: { revoke: 'true' } });
    expect(again.status).toBe(202);
    const renew = await call({ method: 'POST', path: `/certificates/${created.id}/renew` });
    expect(renew.status).toBe(409);
    const plain = await createCertificate(['delete-plain.example.test']);
    const deleted = await call({ method: 'DELETE', path: `/certificates/${plain.id}` });
    expect((deleted.body as CertificateBody).requests.delete).toMatchObject({ revoke: false });
  });
});

describe('GET /certificates/{id}/events', () => {
  it('returns the history oldest first, paged', async () => {
    const created = await createCertificate(['events.example.test']);
    await api().deps.events.append({
      id: `${created.id}/1.1/issued`,
      certificateId: created.id,
      type: 'issued',
      at: '2099-01-01T00:00:00Z',
      revision: 1,
      reason: 'Issued',
      message: 'issued',
      serial: 'abc123',
      notAfter: '2099-04-01T00:00:00Z',
    });
    const first = await call({ method: 'GET', path: `/certificates/${created.id}/events`, query: { limit: '1' } });
    expect(first.status).toBe(200);
    const page = first.body as { items: { type: string }[]; nextCursor?: string };
    expect(page.items.map((event) => event.type)).toEqual(['requested']);
    expect(page.nextCursor).toBeDefined();
    const second = await call({
      method: 'GET',
      path: `/certificates/${created.id}/events`,
      query: { limit: '1', cursor: page.nextCursor ?? '' },
    });
    expect((second.body as { items: { type: string; serial?: string }[] }).items).toMatchObject([
      { type: 'issued', serial: 'abc123' },
    ]);
  });
});

describe('POST /preflight against bind9', () => {
  const zone = 'example.test';
  async function withRecords(operations: Extract<UpdateOperation, { op: 'add' }>[], run: () => Promise<void>) {
    const { stack } = api();
    const server = { host: stack.bind.host, port: stack.bind.port };
    for (const operation of operations) await sendUpdate(server, zone, stack.bind.tsig, [operation]);
    try {
      await run();
    } finally {
      for (const operation of operations) {
        await sendUpdate(server, zone, stack.bind.tsig, [{ op: 'delete', name: operation.name, type: operation.type }]);
      }
    }
  }

  it('reports the zone, its name servers and no delegation for a plain name', async () => {
    const response = await call({ method: 'POST', path: '/preflight', body: { name: 'www.example.test' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'www.example.test', ok: true, zone: 'example.test' });
    const codes = (response.body as { findings: { code: string }[] }).findings.map((finding) => finding.code);
    expect(codes).toEqual(expect.arrayContaining(['NoDelegation', 'ZoneFound', 'NameserverReachable', 'CaaAllowed']));
  });

  it('follows a CNAME delegation of _acme-challenge', async () => {
    const label = `d${randomBytes(3).toString('hex')}`;
    await withRecords(
      [
        {
          op: 'add',
          name: `_acme-challenge.${label}.example.test`,
          type: 'CNAME',
          ttl: 60,
          data: 'target.example.test',
        },
      ],
      async () => {
        const response = await call({ method: 'POST', path: '/preflight', body: { name: `${label}.example.test` } });
        expect(response.body).toMatchObject({ recordName: 'target.example.test', ok: true });
      },
    );
  });

  it('reports a wildcard CNAME capturing _acme-challenge as an error finding', async () => {
    const label = `w${randomBytes(3).toString('hex')}`;
    await withRecords(
      [{ op: 'add', name: `*.${label}.example.test`, type: 'CNAME', ttl: 60, data: 'elsewhere.example.test' }],
      async () => {
        const response = await call({ method: 'POST', path: '/preflight', body: { name: `x.${label}.example.test` } });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ ok: false });
        const codes = (response.body as { findings: { code: string }[] }).findings.map((finding) => finding.code);
        expect(codes).toContain('WildcardCnameCapture');
      },
    );
  });

  it('reports CAA that names another CA', async () => {
    const label = `c${randomBytes(3).toString('hex')}`;
    await withRecords(
      [
        {
          op: 'add',
          name: `${label}.example.test`,
          type: 'CAA',
          ttl: 60,
          data: { flags: 0, tag: 'issue', value: 'other-ca.test' },
        },
      ],
      async () => {
        const response = await call({ method: 'POST', path: '/preflight', body: { name: `${label}.example.test` } });
        const codes = (response.body as { findings: { code: string }[] }).findings.map((finding) => finding.code);
        expect(codes).toContain('CaaForbidden');
        expect(response.body).toMatchObject({ ok: false });
      },
    );
  });
});

describe('the OpenAPI check itself', () => {
  const problem = {
    type: 'https://portcullis.dev/problems/x',
    title: 'Bad Request',
    status: 400,
    detail: 'd',
    errors: [],
  };
  const cases: Record<string, { status: number; contentType: string; body: unknown; wantMismatch: boolean }> = {
    'accepts a documented problem': {
      status: 400,
      contentType: 'application/problem+json',
      body: problem,
      wantMismatch: false,
    },
    'refuses a problem without errors': {
      status: 400,
      contentType: 'application/problem+json',
      body: { ...problem, errors: undefined },
      wantMismatch: true,
    },
    'refuses an undocumented status': {
      status: 418,
      contentType: 'application/problem+json',
      body: problem,
      wantMismatch: true,
    },
    'refuses a problem served as application/json': {
      status: 400,
      contentType: 'application/json',
      body: problem,
      wantMismatch: true,
    },
    'refuses a certificate list with an extra field': {
      status: 200,
      contentType: 'application/json',
      body: { items: [], total: 0 },
      wantMismatch: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { status, contentType, body, wantMismatch }) => {
    const response = { status, headers: { 'content-type': contentType }, body, text: JSON.stringify(body) };
    expect(openApiMismatches('GET', '/certificates', response).length > 0).toBe(wantMismatch);
  });
});
