/**
 * The Secrets Manager CertificateStore against moto_server, with real certificates from pebble: versions and their
 * stages (AWSPENDING → AWSCURRENT → AWSPREVIOUS), idempotent writes, tags, and keys kept out of errors.
 */
import { inspect } from 'node:util';
import {
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { countAwsRequests, SecretsManagerCertificateStore, TagKey } from '@portcullis/aws';
import { type CertificateMaterial, ConflictError, NotFoundError, ValidationError } from '@portcullis/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryStack, factsOf, startDeliveryStack } from './acm-support.js';

let delivery: DeliveryStack;
let client: SecretsManagerClient;

beforeAll(async () => {
  delivery = await startDeliveryStack();
  client = delivery.clients.secretsManager;
});

afterAll(async () => {
  await delivery?.stop();
});

afterEach(async () => {
  await delivery.stack.moto?.reset();
});

function store(): SecretsManagerCertificateStore {
  return new SecretsManagerCertificateStore({ client });
}

/** Stages per version as Secrets Manager reports them (labelled versions only, as on AWS). */
async function stagesOf(name: string): Promise<Record<string, string[]>> {
  const secret = await client.send(new DescribeSecretCommand({ SecretId: name }));
  return Object.fromEntries(
    Object.entries(secret.VersionIdsToStages ?? {}).filter(([, stages]) => stages.length > 0),
  ) as Record<string, string[]>;
}

async function issue(certificateId: string, revision: number, names = ['store.example.test']) {
  return delivery.issue({ certificateId, revision, names });
}

function facts(material: CertificateMaterial) {
  return factsOf(material.chainPem);
}

describe('SecretsManagerCertificateStore on moto', () => {
  it('stores a key pending, promotes it with its chain, and keeps the former current as previous', async () => {
    const certificates = store();
    const name = certificates.secretName('c1');
    expect(name).toBe('portcullis/certificates/c1');
    const one = await issue('c1', 1, ['store.example.test', '*.store.example.test']);

    await certificates.putPending('c1', 1, one.key);
    // The first version of a secret gets AWSCURRENT from AWS itself; a key alone is not a promoted certificate.
    expect(Object.values(await stagesOf(name)).flat()).toContain('AWSPENDING');
    expect(await certificates.describeCurrent('c1')).toBeUndefined();
    expect(await certificates.getPrevious('c1')).toBeUndefined();

    await certificates.promote('c1', 1, one.chainPem, facts(one));
    expect(await certificates.describeCurrent('c1')).toEqual({
      certificateId: 'c1',
      revision: 1,
      chainPem: one.chainPem,
      ...facts(one),
    });
    expect(Object.values(await stagesOf(name)).flat()).not.toContain('AWSPENDING');
    expect(await certificates.getPrevious('c1')).toBeUndefined();

    const two = await issue('c1', 2);
    await certificates.putPending('c1', 2, two.key);
    const pendingStages = await stagesOf(name);
    expect(Object.entries(pendingStages).find(([, s]) => s.includes('AWSPENDING'))?.[0]).toMatch(/^r0000000002-key-/);
    expect((await certificates.getCurrent('c1'))?.serial).toBe(one.serial);

    await certificates.promote('c1', 2, two.chainPem, facts(two));
    const current = await certificates.getCurrent('c1');
    const previous = await certificates.getPrevious('c1');
    expect(current).toMatchObject({ revision: 2, serial: two.serial, chainPem: two.chainPem });
    expect(current?.key.reveal()).toBe(two.key.reveal());
    expect(previous).toMatchObject({ revision: 1, serial: one.serial, chainPem: one.chainPem });
    expect(previous?.key.reveal()).toBe(one.key.reveal());
    const stages = await stagesOf(name);
    expect(Object.entries(stages).sort()).toEqual([
      [expect.stringMatching(/^r0000000001-certificate-/), ['AWSPREVIOUS']],
      [expect.stringMatching(/^r0000000002-certificate-/), ['AWSCURRENT']],
    ]);
  });

  it('treats the same revision twice as the same version: one key, one certificate version, no extra writes', async () => {
    const certificates = store();
    const name = certificates.secretName('c2');
    const m = await issue('c2', 1);
    const other = await issue('c2', 1);
    const counter = countAwsRequests(client);
    try {
      expect((await certificates.putPending('c2', 1, m.key)).reveal()).toBe(m.key.reveal());
      // A retry after a crash (or a duplicate worker) with a freshly generated key gets the stored one back.
      expect((await certificates.putPending('c2', 1, other.key)).reveal()).toBe(m.key.reveal());
      expect(counter.count('PutSecretValueCommand')).toBe(1);

      await certificates.promote('c2', 1, m.chainPem, facts(m));
      const writes = counter.count('PutSecretValueCommand') + counter.count('UpdateSecretVersionStageCommand');
      await certificates.promote('c2', 1, m.chainPem, facts(m));
      expect(counter.count('PutSecretValueCommand') + counter.count('UpdateSecretVersionStageCommand')).toBe(writes);
      expect(counter.count('TagResourceCommand')).toBe(1);
    } finally {
      counter.detach();
    }
    const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    expect((versions.Versions ?? []).map((v) => v.VersionId?.replace(/-[0-9a-f]{24}$/, '')).sort()).toEqual([
      'r0000000001-certificate',
      'r0000000001-key',
    ]);
  });

  it('finishes a promotion that crashed between writing the version and moving AWSCURRENT', async () => {
    const certificates = store();
    const m = await issue('c3', 1);
    await certificates.putPending('c3', 1, m.key);
    // Failure path moto cannot produce: the process dies after PutSecretValue, before UpdateSecretVersionStage.
    const crash = new Error('simulated crash before UpdateSecretVersionStage');
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateSecretVersionStageCommand') throw crash;
        return next(args);
      },
      { step: 'initialize', name: 'crash-once' },
    );
    try {
      await expect(certificates.promote('c3', 1, m.chainPem, facts(m))).rejects.toThrow();
    } finally {
      client.middlewareStack.remove('crash-once');
    }
    expect(await certificates.describeCurrent('c3')).toBeUndefined();
    await certificates.promote('c3', 1, m.chainPem, facts(m));
    expect((await certificates.getCurrent('c3'))?.serial).toBe(m.serial);
  });

  it('tags the secret with its certificate id, names (wildcards as _), expiry, serial and revision', async () => {
    const certificates = store();
    const m = await issue('c4', 1, ['tags.example.test', '*.tags.example.test']);
    await certificates.putPending('c4', 1, m.key);
    await certificates.promote('c4', 1, m.chainPem, facts(m));
    const secret = await client.send(new DescribeSecretCommand({ SecretId: certificates.secretName('c4') }));
    const tags = Object.fromEntries((secret.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toEqual({
      [TagKey.ManagedBy]: 'portcullis',
      [TagKey.CertificateId]: 'c4',
      [TagKey.Names]: facts(m)
        .names.map((n) => n.replace('*', '_'))
        .join(' '),
      [TagKey.NotAfter]: m.notAfter,
      [TagKey.Serial]: m.serial,
      [TagKey.Revision]: '1',
    });
    expect(tags[TagKey.Names]).toContain('_.tags.example.test');
  });

  it('refuses a stale revision, a promotion without a pending key, and a chain for another key', async () => {
    const certificates = store();
    const one = await issue('c5', 1);
    const stranger = await issue('c5', 2);
    await expect(certificates.promote('c5', 1, one.chainPem, facts(one))).rejects.toBeInstanceOf(NotFoundError);
    await certificates.putPending('c5', 1, one.key);
    await certificates.promote('c5', 1, one.chainPem, facts(one));
    await expect(certificates.putPending('c5', 1, one.key)).rejects.toBeInstanceOf(ConflictError);

    await certificates.putPending('c5', 2, one.key);
    const refused = await certificates.promote('c5', 2, stranger.chainPem, facts(stranger)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).rule).toBe('fits-key');
    expect(inspect(refused, { depth: 5 })).not.toContain('PRIVATE KEY');
    expect((await certificates.getCurrent('c5'))?.revision).toBe(1);
  });

  it('deletes the secret, and deleting an absent one succeeds', async () => {
    const certificates = store();
    const m = await issue('c6', 1);
    await certificates.putPending('c6', 1, m.key);
    await certificates.promote('c6', 1, m.chainPem, facts(m));
    await certificates.delete('c6');
    await certificates.delete('c6');
    expect(await certificates.getCurrent('c6')).toBeUndefined();
    // Deleted at once by default, so the id can start over.
    await certificates.putPending('c6', 1, m.key);
  });

  it('refuses bad options and ids before calling AWS', () => {
    expect(() => new SecretsManagerCertificateStore({ client, prefix: 'no-slash' })).toThrow(ValidationError);
    expect(() => new SecretsManagerCertificateStore({ client, recoveryWindowDays: 3 })).toThrow(/7 to 30/);
    expect(() => store().secretName('/abs')).toThrow(ValidationError);
    expect(() => store().secretName('white space')).toThrow(ValidationError);
  });
});
