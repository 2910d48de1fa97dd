// Semantics of the test Kubernetes API server's reads, checked on the wire: list resourceVersion and pagination,
// selectors, watch replay from a resourceVersion, bookmarks, and 410 Gone after compaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { type RawClient, rawClient } from '../support/kube-api-server/raw-client.js';

let server: KubeApiServer;
let api: RawClient;

beforeAll(async () => {
  server = await KubeApiServer.start({ bookmarkIntervalMs: 0 });
  api = rawClient(server.url);
});
afterAll(async () => {
  await server.stop();
});

const newNamespace = async (name: string) => {
  await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return (cm = '') => `/api/v1/namespaces/${name}/configmaps${cm ? `/${cm}` : ''}`;
};
const configMap = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { v: name },
});

describe('list', () => {
  it('returns the current resourceVersion, key order, and items without kind (built-in) ', async () => {
    const path = await newNamespace('list-order');
    for (const n of ['b', 'a', 'c']) await api.request('POST', path(), configMap(n));
    const list = (await api.request('GET', path())).body;
    expect(list.kind).toBe('ConfigMapList');
    expect(list.metadata.resourceVersion).toBe(server.resourceVersion);
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(list.items[0].kind).toBeUndefined();
  });

  it('filters by label and field selectors and rejects unsupported field labels', async () => {
    const path = await newNamespace('list-select');
    await api.request('POST', path(), configMap('one', { tier: 'web', env: 'prod' }));
    await api.request('POST', path(), configMap('two', { tier: 'db' }));
    await api.request('POST', path(), configMap('three', { tier: 'web' }));
    const names = async (q: string) =>
      (await api.request('GET', `${path()}?${q}`)).body.items.map(
        (i: { metadata: { name: string } }) => i.metadata.name,
      );
    const cases: Record<string, [string, string[]]> = {
      equality: ['labelSelector=tier%3Dweb', ['one', 'three']],
      inequality: ['labelSelector=tier!%3Dweb', ['two']],
      'set membership': ['labelSelector=tier%20in%20(db,cache)', ['two']],
      existence: ['labelSelector=env', ['one']],
      absence: ['labelSelector=!env', ['three', 'two']],
      'field selector': ['fieldSelector=metadata.name%3Dtwo', ['two']],
    };
    for (const [name, [query, want]] of Object.entries(cases)) expect(await names(query), name).toEqual(want);
    expect((await api.request('GET', `${path()}?fieldSelector=data.v%3Done`)).status).toBe(400);
  });

  it('paginates over a consistent snapshot and answers 410 to a continue token older than the window', async () => {
    const path = await newNamespace('list-pages');
    for (const n of ['a', 'b', 'c', 'd', 'e']) await api.request('POST', path(), configMap(n));
    const first = (await api.request('GET', `${path()}?limit=2`)).body;
    expect(first.items).toHaveLength(2);
    expect(first.metadata.remainingItemCount).toBe(3);
    await api.request('POST', path(), configMap('aa'));
    const second = (await api.request('GET', `${path()}?limit=2&continue=${first.metadata.continue}`)).body;
    expect(second.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['c', 'd']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    server.compact();
    const expired = await api.request('GET', `${path()}?limit=2&continue=${second.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });
});

describe('watch', () => {
  it('sends synthetic ADDED events without a resourceVersion, then live events', async () => {
    const path = await newNamespace('watch-initial');
    await api.request('POST', path(), configMap('existing'));
    const watch = await api.openWatch(`${path()}?watch=true`);
    await api.request('POST', path(), configMap('later'));
    const events = await watch.until((e) => e.length >= 2);
    watch.close();
    expect(events.map((e) => [e.type, e.object.metadata.name, e.object.kind])).toEqual([
      ['ADDED', 'existing', 'ConfigMap'],
      ['ADDED', 'later', 'ConfigMap'],
    ]);
  });

  it('replays every event after the given resourceVersion, including deletions with their own resourceVersion', async () => {
    const path = await newNamespace('watch-replay');
    const listed = (await api.request('GET', path())).body.metadata.resourceVersion;
    await api.request('POST', path(), configMap('x'));
    await api.request('PATCH', path('x'), { data: { v: 'changed' } }, 'application/merge-patch+json');
    await api.request('DELETE', path('x'));
    const watch = await api.openWatch(`${path()}?watch=true&resourceVersion=${listed}`);
    const events = await watch.until((e) => e.length >= 3);
    watch.close();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
  });

  it('sends ADDED and DELETED when an object starts or stops matching the label selector', async () => {
    const path = await newNamespace('watch-selector');
    await api.request('POST', path(), configMap('flip'));
    const watch = await api.openWatch(`${path()}?watch=true&labelSelector=on%3Dyes`);
    await api.request('PATCH', path('flip'), { metadata: { labels: { on: 'yes' } } }, 'application/merge-patch+json');
    await api.request('PATCH', path('flip'), { data: { v: '2' } }, 'application/merge-patch+json');
    await api.request('PATCH', path('flip'), { metadata: { labels: { on: null } } }, 'application/merge-patch+json');
    const events = await watch.until((e) => e.length >= 3);
    watch.close();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('sends BOOKMARK events only to watches that allow them', async () => {
    const path = await newNamespace('watch-bookmarks');
    const withBookmarks = await api.openWatch(`${path()}?watch=true&allowWatchBookmarks=true`);
    const without = await api.openWatch(`${path()}?watch=true`);
    server.sendBookmarks();
    await api.request('POST', path(), configMap('after-bookmark'));
    const a = await withBookmarks.until((e) => e.length >= 2);
    const b = await without.until((e) => e.length >= 1);
    withBookmarks.close();
    without.close();
    expect(a[0]).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } },
    });
    expect(b.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('answers a watch from a compacted resourceVersion with an ERROR event carrying 410, then ends the stream', async () => {
    const path = await newNamespace('watch-gone');
    const listed = (await api.request('GET', path())).body.metadata.resourceVersion;
    server.compact();
    const watch = await api.openWatch(`${path()}?watch=true&resourceVersion=${listed}`);
    expect(watch.status).toBe(200);
    const events = await watch.until(() => false);
    expect(watch.ended).toBe(true);
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 }),
      },
    ]);
    const relisted = (await api.request('GET', path())).body.metadata.resourceVersion;
    const resumed = await api.openWatch(`${path()}?watch=true&resourceVersion=${relisted}`);
    await api.request('POST', path(), configMap('after-relist'));
    expect((await resumed.until((e) => e.length >= 1))[0]?.type).toBe('ADDED');
    resumed.close();
  });

  it('ends open watches on compact() so that clients reconnect', async () => {
    const path = await newNamespace('watch-closed');
    const watch = await api.openWatch(`${path()}?watch=true`);
    server.compact();
    await watch.until(() => false);
    expect(watch.ended).toBe(true);
  });

  it('expires resourceVersions that fall out of the retained window of events', async () => {
    const small = await KubeApiServer.start({ retainEvents: 2 });
    const client = rawClient(small.url);
    try {
      const path = '/api/v1/namespaces/default/configmaps';
      const before = (await client.request('GET', path)).body.metadata.resourceVersion;
      for (const n of ['a', 'b', 'c']) await client.request('POST', path, configMap(n));
      const watch = await client.openWatch(`${path}?watch=true&resourceVersion=${before}`);
      const events = await watch.until(() => false);
      expect(events[0]?.object.code).toBe(410);
    } finally {
      await small.stop();
    }
  });
});
