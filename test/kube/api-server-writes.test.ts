// Semantics of the test Kubernetes API server's writes, checked on the wire: 409 AlreadyExists / Conflict,
// server-side apply with managedFields and conflicts, the status subresource and metadata.generation, patches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { type RawClient, rawClient } from '../support/kube-api-server/raw-client.js';

let server: KubeApiServer;
let api: RawClient;

beforeAll(async () => {
  server = await KubeApiServer.start();
  api = rawClient(server.url);
});
afterAll(async () => {
  await server.stop();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const cmPath = (name = '') => `/api/v1/namespaces/default/configmaps${name ? `/${name}` : ''}`;
const gwPath = (name = '') => `/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways${name ? `/${name}` : ''}`;
const apply = (path: string, body: unknown, manager: string, force = false) =>
  api.request(
    'PATCH',
    `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`,
    body,
    'application/apply-patch+yaml',
  );
const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});
const gateway = (name: string, className: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name },
  spec: { gatewayClassName: className, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
});

describe('create, update and delete', () => {
  it('answers 409 AlreadyExists to a second create of the same name', async () => {
    expect((await api.request('POST', cmPath(), configMap('dup', { a: '1' }))).status).toBe(201);
    const second = await api.request('POST', cmPath(), configMap('dup', { a: '2' }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
  });

  it('answers 404 to a create in a namespace that does not exist', async () => {
    const res = await api.request('POST', '/api/v1/namespaces/nowhere/configmaps', configMap('x', {}));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "nowhere" not found');
  });

  it('answers 409 Conflict to an update with a stale resourceVersion and bumps it on a current one', async () => {
    const created = (await api.request('POST', cmPath(), configMap('cas', { a: '1' }))).body;
    const stale = await api.request('PUT', cmPath('cas'), {
      ...created,
      metadata: { ...created.metadata, resourceVersion: '1' },
      data: { a: '2' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const ok = await api.request('PUT', cmPath('cas'), { ...created, data: { a: '2' } });
    expect(ok.status).toBe(200);
    expect(Number(ok.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
  });

  it('does not bump the resourceVersion for an update that changes nothing', async () => {
    const created = (await api.request('POST', cmPath(), configMap('noop', { a: '1' }))).body;
    const again = await api.request('PUT', cmPath('noop'), created);
    expect(again.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('requires a resourceVersion on updates of custom resources (422)', async () => {
    await api.request('POST', gwPath(), gateway('needs-rv', 'a'));
    const res = await api.request('PUT', gwPath('needs-rv'), gateway('needs-rv', 'b'));
    expect(res.status).toBe(422);
  });

  it('rejects a kubernetes.io/tls Secret without tls.key (422) and invalid base64 data', async () => {
    const path = '/api/v1/namespaces/default/secrets';
    const tls = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bad-tls' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64('x') },
    };
    expect((await api.request('POST', path, tls)).status).toBe(422);
    const notBase64 = { ...tls, type: 'Opaque', data: { a: '***' } };
    expect((await api.request('POST', path, notBase64)).status).toBe(422);
  });

  it('deletes, then answers 404 to get and delete', async () => {
    await api.request('POST', cmPath(), configMap('gone', {}));
    const deleted = await api.request('DELETE', cmPath('gone'));
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await api.request('GET', cmPath('gone'))).status).toBe(404);
    expect((await api.request('DELETE', cmPath('gone'))).status).toBe(404);
  });
});

describe('server-side apply', () => {
  it('creates with an Apply managedFields entry and changes nothing when the same configuration is applied again', async () => {
    const first = await apply(cmPath('ssa-same'), configMap('ssa-same', { a: '1' }, { app: 'x' }), 'alice');
    expect(first.status).toBe(201);
    expect(first.body.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'alice',
        operation: 'Apply',
        fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      }),
    ]);
    const second = await apply(cmPath('ssa-same'), configMap('ssa-same', { a: '1' }, { app: 'x' }), 'alice');
    expect(second.status).toBe(200);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it('requires a fieldManager (400)', async () => {
    const res = await api.request(
      'PATCH',
      cmPath('ssa-nomanager'),
      configMap('ssa-nomanager', {}),
      'application/apply-patch+yaml',
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('fieldManager is required for apply requests');
  });

  it('accepts YAML, not only JSON', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  a: "1"\n';
    expect((await apply(cmPath('ssa-yaml'), yaml, 'alice')).body.data).toEqual({ a: '1' });
  });

  it('answers 409 naming the other manager and the field when a value it owns would change', async () => {
    await apply(cmPath('ssa-conflict'), configMap('ssa-conflict', { a: '1', b: '1' }), 'alice');
    const res = await apply(cmPath('ssa-conflict'), configMap('ssa-conflict', { a: '2' }), 'bob');
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Apply failed with 1 conflict: conflict with "alice": .data.a');
    expect(res.body.details.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.a' },
    ]);
    expect((await api.request('GET', cmPath('ssa-conflict'))).body.data).toEqual({ a: '1', b: '1' });
  });

  it('moves ownership of the conflicting field with force=true and keeps the rest with the first manager', async () => {
    await apply(cmPath('ssa-force'), configMap('ssa-force', { a: '1', b: '1' }), 'alice');
    const res = await apply(cmPath('ssa-force'), configMap('ssa-force', { a: '2' }), 'bob', true);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ a: '2', b: '1' });
    const owners = Object.fromEntries(
      res.body.metadata.managedFields.map((e: { manager: string; fieldsV1: unknown }) => [e.manager, e.fieldsV1]),
    );
    expect(owners).toEqual({ alice: { 'f:data': { 'f:b': {} } }, bob: { 'f:data': { 'f:a': {} } } });
  });

  it('shares ownership when another manager applies the same value, without a conflict', async () => {
    await apply(cmPath('ssa-share'), configMap('ssa-share', { a: '1' }), 'alice');
    const res = await apply(cmPath('ssa-share'), configMap('ssa-share', { a: '1' }), 'bob');
    expect(res.status).toBe(200);
    expect(res.body.metadata.managedFields.map((e: { manager: string }) => e.manager).sort()).toEqual(['alice', 'bob']);
  });

  it('conflicts with a manager that set the field by an Update (kubectl edit)', async () => {
    await apply(cmPath('ssa-edit'), configMap('ssa-edit', { a: '1' }), 'alice');
    await api.request(
      'PATCH',
      `${cmPath('ssa-edit')}?fieldManager=kubectl-edit`,
      { data: { a: 'edited' } },
      'application/merge-patch+json',
    );
    const res = await apply(cmPath('ssa-edit'), configMap('ssa-edit', { a: '3' }), 'alice');
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('conflict with "kubectl-edit": .data.a');
  });

  it('removes a field the manager applied before and omits now, unless someone else owns it', async () => {
    await apply(cmPath('ssa-prune'), configMap('ssa-prune', { a: '1', b: '1', c: '1' }), 'alice');
    await apply(cmPath('ssa-prune'), configMap('ssa-prune', { c: '1' }), 'bob');
    const res = await apply(cmPath('ssa-prune'), configMap('ssa-prune', { a: '1' }), 'alice');
    expect(res.body.data).toEqual({ a: '1', c: '1' });
  });

  it('treats metadata.resourceVersion in an applied configuration as a precondition', async () => {
    const created = await apply(cmPath('ssa-rv'), configMap('ssa-rv', { a: '1' }), 'alice');
    const cfg = configMap('ssa-rv', { a: '2' });
    const stale = await apply(
      cmPath('ssa-rv'),
      { ...cfg, metadata: { ...cfg.metadata, resourceVersion: '1' } },
      'alice',
    );
    expect(stale.status).toBe(409);
    const fresh = { ...cfg, metadata: { ...cfg.metadata, resourceVersion: created.body.metadata.resourceVersion } };
    expect((await apply(cmPath('ssa-rv'), fresh, 'alice')).status).toBe(200);
  });
});

describe('status subresource and generation', () => {
  it('bumps generation on spec changes only, ignores status on main writes and changes only status on /status', async () => {
    const created = (await api.request('POST', gwPath(), { ...gateway('gen', 'a'), status: { conditions: [] } })).body;
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toBeUndefined();

    const labelled = await api.request(
      'PATCH',
      gwPath('gen'),
      { metadata: { labels: { x: 'y' } } },
      'application/merge-patch+json',
    );
    expect(labelled.body.metadata.generation).toBe(1);

    const spec = await api.request(
      'PATCH',
      gwPath('gen'),
      { spec: { gatewayClassName: 'b' }, status: { addresses: [] } },
      'application/merge-patch+json',
    );
    expect(spec.body.metadata.generation).toBe(2);
    expect(spec.body.status).toBeUndefined();

    const status = {
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          observedGeneration: 2,
        },
      ],
    };
    const written = await api.request(
      'PATCH',
      `${gwPath('gen')}/status`,
      { spec: { gatewayClassName: 'ignored' }, status },
      'application/merge-patch+json',
    );
    expect(written.status).toBe(200);
    expect(written.body.status).toEqual(status);
    expect(written.body.spec.gatewayClassName).toBe('b');
    expect(written.body.metadata.generation).toBe(2);
    expect(Number(written.body.metadata.resourceVersion)).toBeGreaterThan(Number(spec.body.metadata.resourceVersion));
    const unchanged = await api.request('PATCH', `${gwPath('gen')}/status`, { status }, 'application/merge-patch+json');
    expect(unchanged.body.metadata.resourceVersion).toBe(written.body.metadata.resourceVersion);
  });

  it('replaces status with PUT /status, bumping the resourceVersion and not the generation', async () => {
    const created = (await api.request('POST', gwPath(), gateway('put-status', 'a'))).body;
    const status = {
      conditions: [
        {
          type: 'Programmed',
          status: 'False',
          reason: 'Pending',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    const res = await api.request('PUT', `${gwPath('put-status')}/status`, {
      ...created,
      spec: { gatewayClassName: 'ignored' },
      status,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual(status);
    expect(res.body.spec.gatewayClassName).toBe('a');
    expect(res.body.metadata.generation).toBe(1);
    expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
  });

  it('answers 409 to a status patch carrying a stale resourceVersion', async () => {
    await api.request('POST', gwPath(), gateway('status-cas', 'a'));
    const res = await api.request(
      'PATCH',
      `${gwPath('status-cas')}/status`,
      { metadata: { resourceVersion: '1' }, status: {} },
      'application/merge-patch+json',
    );
    expect(res.status).toBe(409);
  });
});

describe('patch formats', () => {
  it('rejects strategic merge patch on custom resources (415) and applies it to built-ins', async () => {
    await api.request('POST', gwPath(), gateway('smp', 'a'));
    const crd = await api.request('PATCH', gwPath('smp'), { spec: {} }, 'application/strategic-merge-patch+json');
    expect(crd.status).toBe(415);
    await api.request('POST', cmPath(), configMap('smp', { a: '1' }));
    const builtIn = await api.request(
      'PATCH',
      cmPath('smp'),
      { data: { b: '2' } },
      'application/strategic-merge-patch+json',
    );
    expect(builtIn.body.data).toEqual({ a: '1', b: '2' });
  });

  it('applies a JSON patch', async () => {
    await api.request('POST', cmPath(), configMap('jsonpatch', { a: '1' }));
    const ops = [
      { op: 'replace', path: '/data/a', value: '2' },
      { op: 'add', path: '/data/b', value: '3' },
    ];
    const res = await api.request('PATCH', cmPath('jsonpatch'), ops, 'application/json-patch+json');
    expect(res.body.data).toEqual({ a: '2', b: '3' });
  });
});
