/**
 * File provider: a directory of YAML manifests (`*.yaml`, `*.yml`, searched recursively) is the source of truth, for
 * local mode and the demo. `start` reads everything, emits the first snapshot and resolves; a recursive `fs.watch`
 * then triggers a debounced full re-read, and a new snapshot is emitted whenever the manifests' content changed.
 * Re-reads are serialised: a change during a read schedules exactly one more read after it.
 * Bad YAML is reported through `onProblems` (file, line, column) after every read that saw new content, and never
 * stops the rest.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ValidationError } from '@portcullis/core';
import { createSnapshot } from '../../sources/snapshot.js';
import type { KubernetesObject, Provider, SourceSnapshot } from '../../sources/types.js';
import { FileProviderReadError } from './errors.js';
import { type ManifestProblem, parseManifests } from './manifests.js';

export type { ManifestProblem } from './manifests.js';

export interface FileProviderOptions {
  /** Directory holding the manifests. */
  readonly directory: string;
  /** Quiet time after the last file event before re-reading, in ms. Default 100: editors write files in bursts. */
  readonly debounceMs?: number;
  /** Our GatewayClass controller name (decides which Secrets are referenced). Default ours. */
  readonly controllerName?: string;
  /** Our ingress class. Default `portcullis`. */
  readonly ingressClass?: string;
  /**
   * Called after every read that saw new content with all the problems found (an empty list once they are fixed),
   * before the snapshot is emitted. Default: one
   * `console.warn` line per problem, `file:line:column: message`.
   */
  readonly onProblems?: (problems: readonly ManifestProblem[]) => void;
}

const DEFAULT_DEBOUNCE_MS = 100;
const MANIFEST_FILE = /\.ya?ml$/i;

export class FileProvider implements Provider {
  readonly #directory: string;
  readonly #debounceMs: number;
  readonly #snapshotOptions: { controllerName?: string; ingressClass?: string };
  readonly #onProblems: (problems: readonly ManifestProblem[]) => void;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> | undefined;
  #pending = false;
  #stopped = false;
  #lastFingerprint: string | undefined;
  #onSnapshot: ((snapshot: SourceSnapshot) => void) | undefined;

  constructor(options: FileProviderOptions) {
    if (typeof options.directory !== 'string' || options.directory.trim() === '') {
      throw new ValidationError('fileProvider.directory', 'required', 'must be a directory path');
    }
    const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000) {
      throw new ValidationError('fileProvider.debounceMs', 'range', `${debounceMs} is not an integer from 0 to 60000`);
    }
    this.#directory = options.directory;
    this.#debounceMs = debounceMs;
    this.#snapshotOptions = {
      ...(options.controllerName === undefined ? {} : { controllerName: options.controllerName }),
      ...(options.ingressClass === undefined ? {} : { ingressClass: options.ingressClass }),
    };
    this.#onProblems = options.onProblems ?? warnProblems;
  }

  async start(onSnapshot: (snapshot: SourceSnapshot) => void): Promise<void> {
    if (this.#onSnapshot !== undefined) throw new Error('file provider: already started');
    this.#onSnapshot = onSnapshot;
    // Watch before the first read so that a change made while reading is not missed; it only schedules a re-read.
    try {
      this.#watcher = watch(this.#directory, { recursive: true }, () => this.#schedule());
      this.#watcher.on('error', () => this.#schedule());
    } catch (error) {
      this.#onSnapshot = undefined;
      throw new FileProviderReadError(this.#directory, error);
    }
    try {
      await this.#read();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
    await this.#reading?.catch(() => undefined);
  }

  #schedule(): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#reread();
    }, this.#debounceMs);
  }

  async #reread(): Promise<void> {
    if (this.#reading !== undefined) {
      this.#pending = true;
      return;
    }
    try {
      await this.#read();
    } catch (error) {
      // The directory vanished or became unreadable: keep the last snapshot and say why.
      this.#onProblems([{ file: this.#directory, line: 0, column: 0, message: (error as Error).message }]);
    }
    if (this.#pending && !this.#stopped) {
      this.#pending = false;
      this.#schedule();
    }
  }

  /** One full read; emits when the manifests' content differs from the last emitted read. */
  #read(): Promise<void> {
    const reading = (async () => {
      const files = await this.#listFiles();
      const objects: KubernetesObject[] = [];
      const problems: ManifestProblem[] = [];
      const fingerprint = createHash('sha256');
      for (const path of files) {
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch (error) {
          // Deleted between listing and reading: the watcher has already scheduled another read.
          // A directory named like a manifest is not one.
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'EISDIR') continue;
          throw new FileProviderReadError(path, error);
        }
        const name = relative(this.#directory, path);
        fingerprint.update(`${name}\0${text.length}\0${text}`);
        const parsed = parseManifests(text, name);
        objects.push(...parsed.objects);
        problems.push(...parsed.problems);
      }
      const key = fingerprint.digest('hex');
      if (this.#stopped || key === this.#lastFingerprint) return;
      this.#lastFingerprint = key;
      this.#onProblems(problems);
      this.#onSnapshot?.(createSnapshot(objects, this.#snapshotOptions));
    })();
    this.#reading = reading;
    return reading.finally(() => {
      if (this.#reading === reading) this.#reading = undefined;
    });
  }

  /** Manifest files under the directory, sorted, so later files win deterministically on duplicate objects. */
  async #listFiles(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.#directory, { recursive: true });
    } catch (error) {
      throw new FileProviderReadError(this.#directory, error);
    }
    return entries
      .filter((entry) => MANIFEST_FILE.test(entry))
      .sort()
      .map((entry) => join(this.#directory, entry));
  }
}

function warnProblems(problems: readonly ManifestProblem[]): void {
  for (const p of problems) console.warn(`${p.file}:${p.line}:${p.column}: ${p.message}`);
}
