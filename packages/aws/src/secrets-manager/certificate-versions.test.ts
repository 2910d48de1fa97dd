import { describe, expect, it } from 'vitest';
import {
  parseStoredVersion,
  parseVersionId,
  VERSION_FORMAT,
  VersionKind,
  versionIdFor,
} from './certificate-versions.js';

describe('versionIdFor', () => {
  it('derives the same 32–64 character id from the same certificate, revision and kind', () => {
    const id = versionIdFor('c1', 42, VersionKind.Certificate);
    expect(id).toBe(versionIdFor('c1', 42, VersionKind.Certificate));
    expect(id).toMatch(/^r0000000042-certificate-[0-9a-f]{24}$/);
    expect(id.length).toBeGreaterThanOrEqual(32);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(versionIdFor('c1', 42, VersionKind.Key).length).toBeGreaterThanOrEqual(32);
  });

  it('derives different ids for another certificate, revision or kind', () => {
    const ids = new Set([
      versionIdFor('c1', 1, VersionKind.Key),
      versionIdFor('c2', 1, VersionKind.Key),
      versionIdFor('c1', 2, VersionKind.Key),
      versionIdFor('c1', 1, VersionKind.Certificate),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('parseVersionId', () => {
  const cases: Record<string, { id: string; want: ReturnType<typeof parseVersionId> }> = {
    'reads a key version': { id: versionIdFor('c', 7, VersionKind.Key), want: { revision: 7, kind: 'key' } },
    'reads a certificate version': {
      id: versionIdFor('c', 9_999_999_999, VersionKind.Certificate),
      want: { revision: 9_999_999_999, kind: 'certificate' },
    },
    'ignores a version someone else wrote (a UUID)': { id: '47480764-115b-40d0-9801-77a1eef02e60', want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_name, { id, want }) => {
    expect(parseVersionId(id)).toEqual(want);
  });
});

describe('parseStoredVersion', () => {
  const good = { format: VERSION_FORMAT, certificateId: 'c', revision: 1, privateKey: 'k' };
  const facts = {
    serial: 'ab',
    names: ['a.test'],
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2026-02-01T00:00:00Z',
  };
  const cases: Record<string, { value: string | undefined; ok: boolean }> = {
    'reads a key version': { value: JSON.stringify(good), ok: true },
    'reads a certificate version': { value: JSON.stringify({ ...good, chainPem: 'pem', facts }), ok: true },
    'refuses a value that is not JSON': { value: 'a bare PEM body, not JSON', ok: false },
    'refuses another format': { value: JSON.stringify({ ...good, format: 'other/v9' }), ok: false },
    'refuses facts with a wrong shape': { value: JSON.stringify({ ...good, facts: { serial: 1 } }), ok: false },
    'refuses an absent value (binary secret)': { value: undefined, ok: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { value, ok }) => {
    expect(parseStoredVersion(value) !== undefined).toBe(ok);
  });
});
