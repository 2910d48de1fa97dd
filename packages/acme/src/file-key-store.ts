import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type KeyStore, type Redacted, redact, ValidationError } from '@portcullis/core';
import { AcmeKeyStoreError } from './errors.js';

/** Names map to `<dir>/<name>.pem`; `/` makes subdirectories, anything else outside this set is refused. */
const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * KeyStore on the local file system for the CLI and local mode (Lambda uses Secrets Manager). Files are created
 * with mode 0600 in directories with mode 0700.
 * - `put` writes a temporary file and renames it over the target: readers see the old or the new key, never half.
 * - `create` links a fully written temporary file to the target name; `link` fails when the target exists, so of
 *   several racing processes exactly one wins and all return the winner's key.
 */
export class FileKeyStore implements KeyStore {
  readonly #dir: string;

  constructor(dir: string) {
    if (dir.trim() === '') throw new ValidationError('dir', 'required', 'the key directory is empty');
    this.#dir = dir;
  }

  async get(name: string): Promise<Redacted<string> | undefined> {
    const path = this.#path(name);
    try {
      return redact(await readFile(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AcmeKeyStoreError(`file key store: ${path}: ${(error as Error).message}`, error);
    }
  }

  async put(name: string, pem: Redacted<string>): Promise<void> {
    const path = this.#path(name);
    const temp = await this.#writeTemp(path, pem);
    try {
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new AcmeKeyStoreError(`file key store: ${path}: ${(error as Error).message}`, error);
    }
  }

  async create(name: string, pem: Redacted<string>): Promise<Redacted<string>> {
    const path = this.#path(name);
    const temp = await this.#writeTemp(path, pem);
    try {
      await link(temp, path);
      return pem;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AcmeKeyStoreError(`file key store: ${path}: ${(error as Error).message}`, error);
      }
      const existing = await this.get(name);
      if (existing === undefined) throw new AcmeKeyStoreError(`file key store: ${path}: vanished while creating`);
      return existing;
    } finally {
      await unlink(temp).catch(() => {});
    }
  }

  #path(name: string): string {
    if (!NAME.test(name)) {
      throw new ValidationError('name', 'key-name', `"${name}" may hold letters, digits, ".", "_", "-" and "/" only`);
    }
    return join(this.#dir, `${name}.pem`);
  }

  async #writeTemp(path: string, pem: Redacted<string>): Promise<string> {
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(pem.reveal(), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return temp;
    } catch (error) {
      throw new AcmeKeyStoreError(`file key store: ${path}: ${(error as Error).message}`, error);
    }
  }
}
