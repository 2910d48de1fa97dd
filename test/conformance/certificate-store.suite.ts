/**
 * Conformance suite of `CertificateStore` (contract in packages/core/src/ports/certificate-store.ts).
 * The factory returns a store in which `certificateId` has never been used (a fresh id per test is enough).
 */
import { type CertificateFacts, type CertificateStore, ConflictError, NotFoundError, redact } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

export interface CertificateStoreSubject {
  readonly store: CertificateStore;
  /** An id unused in this store. */
  readonly certificateId: string;
}

async function material(certificateId: string, revision: number) {
  const m = await createTestMaterial({ certificateId, revision, names: ['store.example.test'] });
  const facts: CertificateFacts = { serial: m.serial, names: m.names, notBefore: m.notBefore, notAfter: m.notAfter };
  return { key: m.key, chainPem: m.chainPem, facts };
}

/** Revisions 1..count promoted one after the other; returns their material in order. */
async function promoteRevisions(store: CertificateStore, certificateId: string, count: number) {
  const promoted: Awaited<ReturnType<typeof material>>[] = [];
  for (let revision = 1; revision <= count; revision++) {
    const m = await material(certificateId, revision);
    await store.putPending(certificateId, revision, m.key);
    await store.promote(certificateId, revision, m.chainPem, m.facts);
    promoted.push(m);
  }
  return promoted;
}

export function describeCertificateStoreConformance(
  label: string,
  createSubject: () => Promise<CertificateStoreSubject>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (subject: CertificateStoreSubject) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createSubject()));

  describe(`CertificateStore conformance: ${label}`, () => {
    test('has no current or previous certificate before the first promotion', async ({ store, certificateId }) => {
      expect(await store.describeCurrent(certificateId)).toBeUndefined();
      expect(await store.getCurrent(certificateId)).toBeUndefined();
      expect(await store.getPrevious(certificateId)).toBeUndefined();
    });

    test('keeps the first pending key of a revision and returns it to every later put', async ({
      store,
      certificateId,
    }) => {
      const first = await material(certificateId, 1);
      const second = await material(certificateId, 1);
      expect((await store.putPending(certificateId, 1, first.key)).reveal()).toBe(first.key.reveal());
      expect((await store.putPending(certificateId, 1, second.key)).reveal()).toBe(first.key.reveal());
    });

    test('makes key and chain current together on promotion', async ({ store, certificateId }) => {
      const m = await material(certificateId, 1);
      await store.putPending(certificateId, 1, m.key);
      expect(await store.describeCurrent(certificateId)).toBeUndefined();
      await store.promote(certificateId, 1, m.chainPem, m.facts);
      const current = await store.getCurrent(certificateId);
      expect(current?.key.reveal()).toBe(m.key.reveal());
      expect(current?.chainPem).toBe(m.chainPem);
      expect(current).toMatchObject({ certificateId, revision: 1, ...m.facts });
    });

    test('describes the current certificate without its key', async ({ store, certificateId }) => {
      const m = await material(certificateId, 1);
      await store.putPending(certificateId, 1, m.key);
      await store.promote(certificateId, 1, m.chainPem, m.facts);
      const described = await store.describeCurrent(certificateId);
      expect(described).toEqual({ certificateId, revision: 1, chainPem: m.chainPem, ...m.facts });
      expect(JSON.stringify(described)).not.toContain('PRIVATE KEY');
    });

    test('moves the former current certificate to previous on the next promotion', async ({ store, certificateId }) => {
      const one = await material(certificateId, 1);
      const two = await material(certificateId, 2);
      await store.putPending(certificateId, 1, one.key);
      await store.promote(certificateId, 1, one.chainPem, one.facts);
      await store.putPending(certificateId, 2, two.key);
      await store.promote(certificateId, 2, two.chainPem, two.facts);
      expect((await store.getCurrent(certificateId))?.serial).toBe(two.facts.serial);
      const previous = await store.getPrevious(certificateId);
      expect(previous?.serial).toBe(one.facts.serial);
      expect(previous?.key.reveal()).toBe(one.key.reveal());
    });

    test('treats promoting the current revision again as success that changes nothing', async ({
      store,
      certificateId,
    }) => {
      const m = await material(certificateId, 1);
      await store.putPending(certificateId, 1, m.key);
      await store.promote(certificateId, 1, m.chainPem, m.facts);
      await store.promote(certificateId, 1, m.chainPem, m.facts);
      expect((await store.describeCurrent(certificateId))?.revision).toBe(1);
      expect(await store.getPrevious(certificateId)).toBeUndefined();
    });

    test('refuses to promote a revision without a pending key with a NotFoundError', async ({
      store,
      certificateId,
    }) => {
      const m = await material(certificateId, 1);
      await expect(store.promote(certificateId, 1, m.chainPem, m.facts)).rejects.toBeInstanceOf(NotFoundError);
    });

    test('refuses a pending key for a revision that is not newer than the current one', async ({
      store,
      certificateId,
    }) => {
      const m = await material(certificateId, 1);
      await store.putPending(certificateId, 1, m.key);
      await store.promote(certificateId, 1, m.chainPem, m.facts);
      await expect(store.putPending(certificateId, 1, redact('x'))).rejects.toBeInstanceOf(ConflictError);
    });

    test('keeps the former current certificate as previous over three promotions', async ({ store, certificateId }) => {
      const [one, two, three] = await promoteRevisions(store, certificateId, 3);
      expect((await store.getCurrent(certificateId))?.serial).toBe(three?.facts.serial);
      const previous = await store.getPrevious(certificateId);
      expect(previous).toMatchObject({ revision: 2, serial: two?.facts.serial, chainPem: two?.chainPem });
      expect(previous?.key.reveal()).toBe(two?.key.reveal());
      expect(previous?.serial).not.toBe(one?.facts.serial);
    });

    test('lists no versions before the first promotion, and not a pending key', async ({ store, certificateId }) => {
      expect(await store.listVersions(certificateId)).toEqual([]);
      const m = await material(certificateId, 1);
      await store.putPending(certificateId, 1, m.key);
      expect(await store.listVersions(certificateId)).toEqual([]);
    });

    test('lists every promoted certificate newest first, without keys', async ({ store, certificateId }) => {
      const promoted = await promoteRevisions(store, certificateId, 3);
      const pending = await material(certificateId, 4);
      await store.putPending(certificateId, 4, pending.key);
      const versions = await store.listVersions(certificateId);
      expect(versions.map((v) => [v.revision, v.serial])).toEqual(
        [...promoted].reverse().map((m, i) => [3 - i, m.facts.serial]),
      );
      expect(versions[2]).toEqual({
        certificateId,
        revision: 1,
        chainPem: promoted[0]?.chainPem,
        ...promoted[0]?.facts,
      });
      expect(JSON.stringify(versions)).not.toContain('PRIVATE KEY');
    });

    test('finds an earlier certificate with its key by serial, and nothing for an unknown serial', async ({
      store,
      certificateId,
    }) => {
      const [one] = await promoteRevisions(store, certificateId, 2);
      const found = await store.getBySerial(certificateId, one?.facts.serial as string);
      expect(found).toMatchObject({ certificateId, revision: 1, chainPem: one?.chainPem, ...one?.facts });
      expect(found?.key.reveal()).toBe(one?.key.reveal());
      expect(await store.getBySerial(certificateId, 'abcdef0123')).toBeUndefined();
      expect(await store.getBySerial('never-used-id', 'abcdef0123')).toBeUndefined();
    });

    test('restores an earlier certificate as a new revision, the former current becoming previous', async ({
      store,
      certificateId,
    }) => {
      const [one, two] = await promoteRevisions(store, certificateId, 2);
      const restored = await store.promoteExisting(certificateId, 3, one?.facts.serial as string);
      expect(restored).toEqual({ certificateId, revision: 3, chainPem: one?.chainPem, ...one?.facts });
      const current = await store.getCurrent(certificateId);
      expect(current).toMatchObject({ revision: 3, serial: one?.facts.serial, chainPem: one?.chainPem });
      expect(current?.key.reveal()).toBe(one?.key.reveal());
      expect((await store.getPrevious(certificateId))?.serial).toBe(two?.facts.serial);
      expect((await store.listVersions(certificateId)).map((v) => [v.revision, v.serial])).toEqual([
        [3, one?.facts.serial],
        [2, two?.facts.serial],
        [1, one?.facts.serial],
      ]);
      expect((await store.getBySerial(certificateId, one?.facts.serial as string))?.revision).toBe(3);
    });

    test('treats restoring the same serial as the current revision again as success that changes nothing', async ({
      store,
      certificateId,
    }) => {
      const [one, two] = await promoteRevisions(store, certificateId, 2);
      await store.promoteExisting(certificateId, 3, one?.facts.serial as string);
      const again = await store.promoteExisting(certificateId, 3, one?.facts.serial as string);
      expect(again).toMatchObject({ revision: 3, serial: one?.facts.serial });
      expect((await store.getPrevious(certificateId))?.serial).toBe(two?.facts.serial);
      expect(await store.listVersions(certificateId)).toHaveLength(3);
    });

    test('refuses a restore that is not newer than the current revision, or of an unknown serial', async ({
      store,
      certificateId,
    }) => {
      const [one, two] = await promoteRevisions(store, certificateId, 2);
      await expect(store.promoteExisting(certificateId, 2, one?.facts.serial as string)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(store.promoteExisting(certificateId, 3, 'abcdef0123')).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.describeCurrent(certificateId))?.serial).toBe(two?.facts.serial);
    });

    test('restores past the pending key of a failed attempt, and takes the next pending key after', async ({
      store,
      certificateId,
    }) => {
      const [one] = await promoteRevisions(store, certificateId, 2);
      const abandoned = await material(certificateId, 3);
      await store.putPending(certificateId, 3, abandoned.key);
      await store.promoteExisting(certificateId, 3, one?.facts.serial as string);
      expect((await store.getCurrent(certificateId))?.key.reveal()).toBe(one?.key.reveal());
      await expect(store.putPending(certificateId, 3, abandoned.key)).rejects.toBeInstanceOf(ConflictError);
      const next = await material(certificateId, 4);
      await store.putPending(certificateId, 4, next.key);
      await store.promote(certificateId, 4, next.chainPem, next.facts);
      expect((await store.getPrevious(certificateId))?.serial).toBe(one?.facts.serial);
    });

    test('deletes every version and treats deleting an absent certificate as success', async ({
      store,
      certificateId,
    }) => {
      const m = await material(certificateId, 1);
      await store.putPending(certificateId, 1, m.key);
      await store.promote(certificateId, 1, m.chainPem, m.facts);
      await store.delete(certificateId);
      await store.delete(certificateId);
      expect(await store.getCurrent(certificateId)).toBeUndefined();
      expect(await store.listVersions(certificateId)).toEqual([]);
    });
  });
}
