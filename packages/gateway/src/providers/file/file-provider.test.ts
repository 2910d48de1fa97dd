import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@portcullis/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceSnapshot } from '../../sources/types.js';
import { FileProviderReadError } from './errors.js';
import { FileProvider } from './file-provider.js';
import type { ManifestProblem } from './manifests.js';

const service = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: apps}\nspec: {ports: [{port: 80}]}\n`;

/** Collects what a provider emits; `next()` resolves with the next snapshot (or one already waiting). */
function recorder() {
  const snapshots: SourceSnapshot[] = [];
  const problems: (readonly ManifestProblem[])[] = [];
  let waiter: ((s: SourceSnapshot) => void) | undefined;
  let taken = 0;
  return {
    snapshots,
    problems,
    onSnapshot: (snapshot: SourceSnapshot) => {
      snapshots.push(snapshot);
      if (waiter !== undefined && taken < snapshots.length) {
        const resolve = waiter;
        waiter = undefined;
        resolve(snapshots[taken++] as SourceSnapshot);
      }
    },
    onProblems: (list: readonly ManifestProblem[]) => problems.push(list),
    next(): Promise<SourceSnapshot> {
      if (taken < snapshots.length) return Promise.resolve(snapshots[taken++] as SourceSnapshot);
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
  };
}

describe('FileProvider', () => {
  let directory: string;
  let provider: FileProvider | undefined;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'portcullis-file-provider-'));
  });
  afterEach(async () => {
    await provider?.stop();
    provider = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  it('emits the first snapshot before start resolves, then a new one on every change', async () => {
    await writeFile(join(directory, 'a.yaml'), service('web'));
    const seen = recorder();
    provider = new FileProvider({ directory, debounceMs: 10, onProblems: seen.onProblems });
    await provider.start(seen.onSnapshot);
    expect(seen.snapshots).toHaveLength(1);
    expect((await seen.next()).services.map((s) => s.metadata?.name)).toEqual(['web']);

    await writeFile(join(directory, 'b.yml'), service('api'));
    expect((await seen.next()).services.map((s) => s.metadata?.name)).toEqual(['api', 'web']);
  });

  it('reports bad YAML with file and line, and still serves the good documents', async () => {
    await writeFile(
      join(directory, 'bad.yaml'),
      `${service('good')}---\napiVersion: v1\nkind: Service\nmetadata: {name: [oops}\n`,
    );
    const seen = recorder();
    provider = new FileProvider({ directory, debounceMs: 10, onProblems: seen.onProblems });
    await provider.start(seen.onSnapshot);
    expect((await seen.next()).services.map((s) => s.metadata?.name)).toEqual(['good']);
    expect(seen.problems[0]?.length).toBeGreaterThan(0);
    for (const problem of seen.problems[0] ?? []) expect(problem).toMatchObject({ file: 'bad.yaml', line: 8 });

    await writeFile(join(directory, 'bad.yaml'), service('good'));
    await seen.next();
    expect(seen.problems.at(-1)).toEqual([]);
  });

  it('fails start with a clear error when the directory does not exist, emitting nothing', async () => {
    const seen = recorder();
    provider = new FileProvider({ directory: join(directory, 'absent'), onProblems: seen.onProblems });
    await expect(provider.start(seen.onSnapshot)).rejects.toBeInstanceOf(FileProviderReadError);
    expect(seen.snapshots).toEqual([]);
  });

  it('validates its options at construction', () => {
    expect(() => new FileProvider({ directory: '' })).toThrow(ValidationError);
    expect(() => new FileProvider({ directory, debounceMs: -1 })).toThrow('fileProvider.debounceMs');
  });
});
