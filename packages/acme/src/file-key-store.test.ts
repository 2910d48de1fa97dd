import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact, ValidationError } from '@portcullis/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore } from './file-key-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portcullis-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileKeyStore', () => {
  it('returns undefined for an absent key', async () => {
    expect(await new FileKeyStore(dir).get('acme-account/ca')).toBeUndefined();
  });

  it('writes keys with mode 0600 in directories with mode 0700 and reads them back', async () => {
    const store = new FileKeyStore(dir);
    await store.put('acme-account/ca', redact('KEY-1'));
    expect((await store.get('acme-account/ca'))?.reveal()).toBe('KEY-1');
    expect((await stat(join(dir, 'acme-account/ca.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'acme-account'))).mode & 0o777).toBe(0o700);
  });

  it('replaces a key with put and leaves no temporary file', async () => {
    const store = new FileKeyStore(dir);
    await store.put('k', redact('old'));
    await store.put('k', redact('new'));
    expect(await readFile(join(dir, 'k.pem'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['k.pem']);
  });

  it('keeps the first key when create races, and every caller gets it', async () => {
    const stores = Array.from({ length: 8 }, () => new FileKeyStore(dir));
    const results = await Promise.all(stores.map((store, i) => store.create('acct', redact(`KEY-${i}`))));
    const winner = await readFile(join(dir, 'acct.pem'), 'utf8');
    expect(results.map((r) => r.reveal())).toEqual(Array(8).fill(winner));
    expect(await readdir(dir)).toEqual(['acct.pem']);
  });

  it('does not overwrite an existing key with create', async () => {
    const store = new FileKeyStore(dir);
    await store.put('acct', redact('existing'));
    expect((await store.create('acct', redact('other'))).reveal()).toBe('existing');
  });

  const badNames = ['../escape', 'a/../b', '/absolute', 'with space', '', '.hidden'];
  it.each(badNames)('refuses the name %j', async (name) => {
    await expect(new FileKeyStore(dir).get(name)).rejects.toBeInstanceOf(ValidationError);
  });
});
