import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { EncodedResource, type EncodedResources } from '../envoy/codec.js';
import { TypeUrl } from '../envoy/registry.js';
import { XdsSnapshotError } from './errors.js';
import { mentions, SnapshotCache } from './snapshot-cache.js';

const { Listener, RouteConfiguration, Cluster, ClusterLoadAssignment, Secret } = TypeUrl;

/** A resource whose bytes (and so version) are its name and tag: enough for the cache, which never decodes. */
function resource(typeUrl: TypeUrl, name: string, tag = 'v1'): EncodedResource {
  const value = new TextEncoder().encode(`${name}:${tag}`);
  return new EncodedResource(typeUrl, name, create(AnySchema, { typeUrl, value }), `${name}@${tag}`);
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('nothing resolved (no snapshot)');
  return value;
}

type Spec = Partial<Record<TypeUrl, Record<string, string>>>;
function resources(spec: Spec = {}): EncodedResources {
  const of = (typeUrl: TypeUrl) => Object.entries(spec[typeUrl] ?? {}).map(([n, tag]) => resource(typeUrl, n, tag));
  return {
    [Listener]: of(Listener),
    [RouteConfiguration]: of(RouteConfiguration),
    [Cluster]: of(Cluster),
    [ClusterLoadAssignment]: of(ClusterLoadAssignment),
    [Secret]: of(Secret),
  };
}

const base: Spec = {
  [Listener]: { 'https-443': 'v1' },
  [RouteConfiguration]: { 'https-443': 'v1' },
  [Cluster]: { 'ns/a:80': 'v1' },
  [ClusterLoadAssignment]: { 'ns/a:80': 'v1' },
  [Secret]: { 'ns/web': 'v1', 'ns/api': 'v1' },
};

describe('SnapshotCache.setSnapshot', () => {
  const cases: Record<string, { next: Spec; changed: TypeUrl[] }> = {
    'changes nothing when the same resources come again': { next: base, changed: [] },
    'changes only the Secret type on a certificate rotation': {
      next: { ...base, [Secret]: { 'ns/web': 'v2', 'ns/api': 'v1' } },
      changed: [Secret],
    },
    'changes only endpoints when a backend scales': {
      next: { ...base, [ClusterLoadAssignment]: { 'ns/a:80': 'v2' } },
      changed: [ClusterLoadAssignment],
    },
    'changes clusters and endpoints when a backend is added': {
      next: {
        ...base,
        [Cluster]: { 'ns/a:80': 'v1', 'ns/b:80': 'v1' },
        [ClusterLoadAssignment]: { 'ns/a:80': 'v1', 'ns/b:80': 'v1' },
      },
      changed: [Cluster, ClusterLoadAssignment],
    },
    'changes the type when a resource is removed': {
      next: { ...base, [Secret]: { 'ns/web': 'v1' } },
      changed: [Secret],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { next, changed }) => {
    const cache = new SnapshotCache();
    expect(cache.setSnapshot('*', resources(base)).changedTypes).toHaveLength(5);
    expect(cache.setSnapshot('*', resources(next)).changedTypes).toEqual(changed);
  });

  const invalid: Record<string, { nodeId?: string; input: () => EncodedResources; message: RegExp }> = {
    'refuses a snapshot with a type missing': {
      input: () => {
        const { [Secret]: _omitted, ...rest } = resources(base);
        return rest as EncodedResources;
      },
      message: /Secret: missing/,
    },
    'refuses a name twice in one type': {
      input: () => ({ ...resources(base), [Secret]: [resource(Secret, 'ns/web'), resource(Secret, 'ns/web', 'v2')] }),
      message: /ns\/web appears twice/,
    },
    'refuses a resource under another type': {
      input: () => ({ ...resources(base), [Cluster]: [resource(Listener, 'http-80')] }),
      message: /http-80 is a .*Listener/,
    },
    'refuses an empty node id': { nodeId: '', input: () => resources(base), message: /node id is empty/ },
  };
  it.each(Object.entries(invalid))('%s', (_name, { nodeId = '*', input, message }) => {
    const cache = new SnapshotCache();
    expect(() => cache.setSnapshot(nodeId, input())).toThrow(XdsSnapshotError);
    expect(() => cache.setSnapshot(nodeId, input())).toThrow(message);
    expect(cache.ready).toBe(false);
  });
});

describe('SnapshotCache.resolve', () => {
  it('resolves nothing before the first snapshot, and becomes ready with it', async () => {
    const cache = new SnapshotCache();
    expect(cache.resolve('n', Listener, { wildcard: true })).toBeUndefined();
    cache.setSnapshot('*', resources(base));
    await cache.whenReady();
    expect(cache.ready).toBe(true);
  });

  const cases: Record<string, { nodeId: string; typeUrl: TypeUrl; names?: string[]; want: string[] }> = {
    'gives a wildcard subscription every resource of the type': {
      nodeId: 'n',
      typeUrl: Secret,
      want: ['ns/api', 'ns/web'],
    },
    'gives a named subscription only the names that exist': {
      nodeId: 'n',
      typeUrl: Secret,
      names: ['ns/web', 'ns/gone'],
      want: ['ns/web'],
    },
    'serves a node its own snapshot before the default one': {
      nodeId: 'special',
      typeUrl: Listener,
      want: ['special'],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { nodeId, typeUrl, names, want }) => {
    const cache = new SnapshotCache();
    cache.setSnapshot('*', resources(base));
    cache.setSnapshot('special', resources({ [Listener]: { special: 'v1' } }));
    const subscription =
      names === undefined ? { wildcard: true as const } : { wildcard: false as const, names: new Set(names) };
    expect(cache.resolve(nodeId, typeUrl, subscription)?.resources.map((r) => r.name)).toEqual(want);
  });

  it('gives equal resource sets equal versions, whichever subscription asked', () => {
    const cache = new SnapshotCache();
    cache.setSnapshot('*', resources(base));
    const named = cache.resolve('n', Secret, { wildcard: false, names: new Set(['ns/web', 'ns/api']) });
    expect(named?.version).toBe(cache.resolve('m', Secret, { wildcard: true })?.version);
    expect(named?.version).toBe(cache.snapshotFor('n')?.versions[Secret]);
  });
});

describe('SnapshotCache ACK and NACK bookkeeping', () => {
  const all = { wildcard: true } as const;
  function rejectedAfter(errorDetail: string, next: Record<string, string>) {
    const cache = new SnapshotCache();
    cache.setSnapshot('*', resources({ [Listener]: { a: 'v1', b: 'v1', c: 'v1' } }));
    cache.recordAck('n', must(cache.resolve('n', Listener, all)));
    cache.setSnapshot('*', resources({ [Listener]: next }));
    const event = cache.recordNack('n', must(cache.resolve('n', Listener, all)), errorDetail);
    return { cache, event };
  }

  const suspects: Record<string, { error: string; next: Record<string, string>; want: string[] }> = {
    'suspects the changed resource the error names': {
      error: 'Error adding/updating listener(s) b: bad',
      next: { a: 'v2', b: 'v2', c: 'v1' },
      want: ['b'],
    },
    'suspects every changed resource when the error names none': {
      error: 'Proto constraint validation failed',
      next: { a: 'v2', b: 'v2', c: 'v1' },
      want: ['a', 'b'],
    },
    'suspects a new resource': { error: 'no filter chains', next: { a: 'v1', b: 'v1', c: 'v1', d: 'v1' }, want: ['d'] },
    'suspects nothing when only a removal was rejected': { error: 'in use', next: { a: 'v1', b: 'v1' }, want: [] },
  };
  it.each(Object.entries(suspects))('%s', (_name, { error, next, want }) => {
    const { cache, event } = rejectedAfter(error, next);
    expect(event.resourceNames).toEqual(want);
    expect(cache.rejections().map((r) => r.resourceName)).toEqual(want);
    expect(event.lastGoodVersion).toBe(cache.lastGood('n', Listener)?.version);
  });

  it('serves the last good bytes of a rejected resource and leaves out a rejected new one', () => {
    const { cache } = rejectedAfter('listener b and d', { a: 'v1', b: 'bad', c: 'v2', d: 'bad' });
    const served = cache.resolve('n', Listener, all)?.resources.map((r) => r.version);
    // c was changed too but the error names only b and d: c goes out, b is held at v1, d stays out.
    expect(served).toEqual(['a@v1', 'b@v1', 'c@v2']);
    // Another node never rejected anything and gets the snapshot as it is.
    expect(cache.resolve('other', Listener, all)?.resources.map((r) => r.version)).toEqual([
      'a@v1',
      'b@bad',
      'c@v2',
      'd@bad',
    ]);
  });

  it('keeps the rejection while the stand-in is accepted and clears it when a new version is accepted', () => {
    const { cache } = rejectedAfter('listener b', { a: 'v1', b: 'bad', c: 'v1' });
    expect(cache.recordAck('n', must(cache.resolve('n', Listener, all))).clearedResourceNames).toEqual([]);
    expect(cache.rejections()).toHaveLength(1);
    cache.setSnapshot('*', resources({ [Listener]: { a: 'v1', b: 'fixed', c: 'v1' } }));
    expect(cache.recordAck('n', must(cache.resolve('n', Listener, all))).clearedResourceNames).toEqual(['b']);
    expect(cache.rejections()).toEqual([]);
  });

  it('drops a rejection when the resource leaves the snapshot, is reverted, or the node goes away', () => {
    const removed = rejectedAfter('listener b', { a: 'v1', b: 'bad', c: 'v1' }).cache;
    removed.setSnapshot('*', resources({ [Listener]: { a: 'v1', c: 'v1' } }));
    expect(removed.rejections()).toEqual([]);

    const reverted = rejectedAfter('listener b', { a: 'v1', b: 'bad', c: 'v1' }).cache;
    reverted.setSnapshot('*', resources({ [Listener]: { a: 'v1', b: 'v1', c: 'v1' } }));
    expect(reverted.rejections()).toEqual([]);

    const gone = rejectedAfter('listener b', { a: 'v1', b: 'bad', c: 'v1' }).cache;
    gone.forgetNode('n');
    expect(gone.rejections()).toEqual([]);
    expect(gone.lastGood('n', Listener)).toBeUndefined();
  });

  it('merges named ACKs into the last good state and replaces it on wildcard ACKs', () => {
    const cache = new SnapshotCache();
    cache.setSnapshot('*', resources(base));
    cache.recordAck('n', must(cache.resolve('n', Secret, { wildcard: false, names: new Set(['ns/web']) })));
    cache.recordAck('n', must(cache.resolve('n', Secret, { wildcard: false, names: new Set(['ns/api']) })));
    expect([...(cache.lastGood('n', Secret)?.resources.keys() ?? [])]).toEqual(['ns/web', 'ns/api']);
    cache.recordAck('n', must(cache.resolve('n', Listener, all)));
    cache.setSnapshot('*', resources({ ...base, [Listener]: { 'http-80': 'v1' } }));
    cache.recordAck('n', must(cache.resolve('n', Listener, all)));
    expect([...(cache.lastGood('n', Listener)?.resources.keys() ?? [])]).toEqual(['http-80']);
  });
});

describe('mentions', () => {
  const cases: Record<string, { text: string; name: string; want: boolean }> = {
    'finds a name between spaces': { text: 'listener(s) http-80: bad', name: 'http-80', want: true },
    'finds a name in quotes': { text: "cluster 'ns/a:80' has no hosts", name: 'ns/a:80', want: true },
    'finds a name followed by a colon and the detail': {
      text: 'listener http-80:bad port',
      name: 'http-80',
      want: false,
    },
    'does not take a longer name for it': { text: 'listener http-8080: bad', name: 'http-80', want: false },
    'does not take a prefixed name for it': { text: 'listener xhttp-80: bad', name: 'http-80', want: false },
    'does not find a single letter inside words': { text: 'validation failed', name: 'a', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { text, name, want }) => {
    expect(mentions(text, name)).toBe(want);
  });
});
