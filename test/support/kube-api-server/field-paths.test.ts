import { describe, expect, it } from 'vitest';
import { decodeFieldsV1, deleteAt, encodeFieldsV1, leafPaths, ownedPaths } from './field-paths.js';
import { DEFAULT_RESOURCES, type ResourceType } from './resources.js';

const gateways = DEFAULT_RESOURCES.find((r) => r.plural === 'gateways') as ResourceType;

describe('field paths', () => {
  it('descends into maps and treats lists and empty maps as leaves', () => {
    expect(leafPaths({ a: { b: 1, c: [1, 2] }, d: {} })).toEqual([['a', 'b'], ['a', 'c'], ['d']]);
  });

  it('round-trips fieldsV1 in the real server format', () => {
    const paths = [
      ['data', 'tls.crt'],
      ['metadata', 'labels', 'app'],
    ];
    const encoded = encodeFieldsV1(paths);
    expect(encoded).toEqual({ 'f:data': { 'f:tls.crt': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } });
    expect(decodeFieldsV1(encoded)).toEqual(paths);
  });

  it('treats `.` markers and list keys of real fieldsV1 as ownership of the parent', () => {
    expect(decodeFieldsV1({ 'f:spec': { '.': {}, 'f:listeners': { 'k:{"name":"http"}': {} } } })).toEqual([
      ['spec', 'listeners'],
    ]);
  });

  it('excludes identity metadata, and status on resources with a status subresource', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Gateway',
      metadata: { name: 'g', uid: 'u', labels: { a: 'b' } },
      spec: { x: 1 },
      status: { y: 2 },
    };
    expect(ownedPaths(obj, gateways, '')).toEqual([
      ['metadata', 'labels', 'a'],
      ['spec', 'x'],
    ]);
    expect(ownedPaths(obj, gateways, 'status')).toEqual([['status', 'y']]);
  });

  it('prunes maps emptied by a removal below the top level', () => {
    const obj = { metadata: { labels: { a: 'b' } }, data: { k: 'v' } };
    deleteAt(obj, ['metadata', 'labels', 'a']);
    deleteAt(obj, ['data', 'k']);
    expect(obj).toEqual({ metadata: {}, data: {} });
  });
});
