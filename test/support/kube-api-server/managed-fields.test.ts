import { describe, expect, it } from 'vitest';
import { ApiError } from './api-errors.js';
import { applyConfiguration, readOwners, recordUpdate, writeOwners } from './managed-fields.js';
import { DEFAULT_RESOURCES, type ResourceType } from './resources.js';
import type { KubeObject } from './store.js';

const configMaps = DEFAULT_RESOURCES.find((r) => r.plural === 'configmaps') as ResourceType;
const ctx = (manager: string) => ({
  resource: configMaps,
  apiVersion: 'v1',
  manager,
  subresource: '',
  now: '2026-01-01T00:00:00Z',
});
const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x' },
  data,
});

/** Applies `data` as `manager` onto `live` and returns the stored object (with managedFields). */
function applyAs(
  live: KubeObject | undefined,
  manager: string,
  data: Record<string, string>,
  force = false,
): KubeObject {
  const { object, owners } = applyConfiguration(live, cm(data), { ...ctx(manager), force, name: 'x' });
  writeOwners(object, owners);
  return object;
}

const ownersOf = (obj: KubeObject) =>
  Object.fromEntries(
    readOwners(obj).map((o) => [`${o.manager}/${o.operation}`, o.paths.map((p) => p.join('.')).sort()]),
  );

describe('server-side apply', () => {
  const cases: Record<
    string,
    { steps: (o: KubeObject | undefined) => KubeObject; data: Record<string, string>; owners: Record<string, string[]> }
  > = {
    'a first apply owns every field it sets': {
      steps: (o) => applyAs(o, 'a', { k: '1', l: '2' }),
      data: { k: '1', l: '2' },
      owners: { 'a/Apply': ['data.k', 'data.l'] },
    },
    'applying the same value as another manager shares the field': {
      steps: (o) => applyAs(applyAs(o, 'a', { k: '1' }), 'b', { k: '1' }),
      data: { k: '1' },
      owners: { 'a/Apply': ['data.k'], 'b/Apply': ['data.k'] },
    },
    'force moves only the conflicting field': {
      steps: (o) => applyAs(applyAs(o, 'a', { k: '1', l: '1' }), 'b', { k: '2' }, true),
      data: { k: '2', l: '1' },
      owners: { 'a/Apply': ['data.l'], 'b/Apply': ['data.k'] },
    },
    'a field dropped from the configuration is removed': {
      steps: (o) => applyAs(applyAs(o, 'a', { k: '1', l: '1' }), 'a', { k: '1' }),
      data: { k: '1' },
      owners: { 'a/Apply': ['data.k'] },
    },
    'a dropped field that another manager shares is kept': {
      steps: (o) => applyAs(applyAs(applyAs(o, 'a', { k: '1', l: '1' }), 'b', { l: '1' }), 'a', { k: '1' }),
      data: { k: '1', l: '1' },
      owners: { 'a/Apply': ['data.k'], 'b/Apply': ['data.l'] },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { steps, data, owners }) => {
    const result = steps(undefined);
    expect(result.data).toEqual(data);
    expect(ownersOf(result)).toEqual(owners);
  });

  it('throws a 409 naming the manager and field when a value owned by another manager would change', () => {
    const live = applyAs(undefined, 'a', { k: '1' });
    try {
      applyAs(live, 'b', { k: '2' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(409);
      expect((err as ApiError).message).toBe('Apply failed with 1 conflict: conflict with "a": .data.k');
    }
  });
});

describe('ownership on updates', () => {
  it('gives the writer the fields it changed and takes them from the previous owner', () => {
    const live = applyAs(undefined, 'a', { k: '1', l: '1' });
    const after = structuredClone(live);
    after.data = { k: 'edited', l: '1' };
    writeOwners(after, recordUpdate(live, after, ctx('kubectl-edit')));
    expect(ownersOf(after)).toEqual({ 'a/Apply': ['data.l'], 'kubectl-edit/Update': ['data.k'] });
  });

  it('drops ownership of fields that no longer exist', () => {
    const live = applyAs(undefined, 'a', { k: '1', l: '1' });
    const after = structuredClone(live);
    after.data = { k: '1' };
    writeOwners(after, recordUpdate(live, after, ctx('kubectl-edit')));
    expect(ownersOf(after)).toEqual({ 'a/Apply': ['data.k'] });
  });
});
