/**
 * The Secrets Manager KeyStore against moto_server: core's KeyStore contract (no suite exists for it in
 * test/conformance, so the contract is checked here), racing creators, and a real ACME account at pebble whose key
 * lives in Secrets Manager.
 */
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { createAcmeClient, generatePrivateKey } from '@portcullis/acme';
import { SecretsManagerKeyStore } from '@portcullis/aws';
import { redact, ValidationError } from '@portcullis/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryStack, startDeliveryStack } from './acm-support.js';

let delivery: DeliveryStack;

beforeAll(async () => {
  delivery = await startDeliveryStack();
});

afterAll(async () => {
  await delivery?.stop();
});

afterEach(async () => {
  await delivery.stack.moto?.reset();
});

function keyStore(): SecretsManagerKeyStore {
  return new SecretsManagerKeyStore({ client: delivery.clients.secretsManager });
}

describe('SecretsManagerKeyStore on moto', () => {
  it('returns undefined for an absent name, and the stored key after create', async () => {
    const store = keyStore();
    expect(await store.get('letsencrypt')).toBeUndefined();
    const key = await generatePrivateKey('ec-p256');
    expect((await store.create('letsencrypt', key)).reveal()).toBe(key.reveal());
    expect((await store.get('letsencrypt'))?.reveal()).toBe(key.reveal());
    const secret = await delivery.clients.secretsManager.send(
      new DescribeSecretCommand({ SecretId: 'portcullis/acme-accounts/letsencrypt' }),
    );
    expect(secret.Tags).toContainEqual({ Key: 'portcullis:managed-by', Value: 'portcullis' });
  });

  it('gives every racing creator the one key that won', async () => {
    const store = keyStore();
    const candidates = await Promise.all(Array.from({ length: 8 }, () => generatePrivateKey('ec-p256')));
    const results = await Promise.all(candidates.map((key) => store.create('race/account', key)));
    const winners = new Set(results.map((key) => key.reveal()));
    expect(winners.size).toBe(1);
    expect(candidates.map((key) => key.reveal())).toContain([...winners][0]);
    expect((await store.get('race/account'))?.reveal()).toBe([...winners][0]);
  });

  it('replaces the value with put, creating the secret when absent, empty values included', async () => {
    const store = keyStore();
    const first = await generatePrivateKey('ec-p256');
    const second = await generatePrivateKey('ec-p256');
    await store.put('rollover', first);
    await store.put('rollover', second);
    expect((await store.get('rollover'))?.reveal()).toBe(second.reveal());
    // @portcullis/acme marks "no rollover pending" with an empty value.
    await store.put('rollover.pending', redact(''));
    expect((await store.get('rollover.pending'))?.reveal()).toBe('');
  });

  it('keeps the ACME account key of a real pebble account', async () => {
    const store = keyStore();
    const acme = createAcmeClient({
      issuer: 'pebble',
      directoryUrl: delivery.stack.pebble.directoryUrl,
      httpsAgent: delivery.stack.httpsAgent,
      keyStore: store,
      accountKeyName: 'pebble',
    });
    const account = await acme.ensureAccount();
    expect(account.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    const stored = await store.get('pebble');
    expect(stored?.reveal()).toContain('BEGIN PRIVATE KEY');
    // A second client finds the same account through the same stored key.
    const again = createAcmeClient({
      issuer: 'pebble',
      directoryUrl: delivery.stack.pebble.directoryUrl,
      httpsAgent: delivery.stack.httpsAgent,
      keyStore: store,
      accountKeyName: 'pebble',
    });
    expect((await again.ensureAccount()).url).toBe(account.url);
  });

  it('refuses names outside the allowed characters before calling AWS', async () => {
    await expect(keyStore().get('../escape')).rejects.toBeInstanceOf(ValidationError);
    expect(() => new SecretsManagerKeyStore({ client: delivery.clients.secretsManager, prefix: 'x' })).toThrow(
      ValidationError,
    );
  });
});
