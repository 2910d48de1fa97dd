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
    });
  });
}
