/**
 * The ACM target against moto_server with real certificates from pebble: first import with tags, re-import on the
 * same ARN, a refused re-import decided before calling ACM (new ARN, old one kept), observe, and listing ECDSA.
 *
 * moto accepts re-imports AWS refuses (another key type, tags on re-import, a mismatched key) and never throttles:
 * these tests count what we SEND, so they prove the decisions were ours, not moto's.
 */
import {
  type ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import { AcmTarget, countAwsRequests, ReimportRefusal, TagKey } from '@portcullis/aws';
import type { DeliveryContext } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryStack, startDeliveryStack } from './acm-support.js';

let delivery: DeliveryStack;
let acm: ACMClient;

beforeAll(async () => {
  delivery = await startDeliveryStack();
  acm = delivery.clients.acm;
});

afterAll(async () => {
  await delivery?.stop();
});

afterEach(async () => {
  await delivery.stack.moto?.reset();
});

const context: DeliveryContext = { certificateId: 'web', targetId: 'acm-main', tenant: 'tenant-a' };

function target(): AcmTarget {
  return new AcmTarget({ client: acm, region: 'us-east-1' });
}

/** What ImportCertificate calls carried, minus the key: the ARN (absent = new ARN) and whether tags were sent. */
function recordImports(client: ACMClient): { imports: { arn?: string; tagged: boolean }[]; detach(): void } {
  const imports: { arn?: string; tagged: boolean }[] = [];
  const name = `record-imports-${Math.random()}`;
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === 'ImportCertificateCommand') {
        const input = args.input as { CertificateArn?: string; Tags?: unknown[] };
        imports.push({
          ...(input.CertificateArn === undefined ? {} : { arn: input.CertificateArn }),
          tagged: (input.Tags?.length ?? 0) > 0,
        });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { imports, detach: () => client.middlewareStack.remove(name) };
}

describe('AcmTarget on moto', () => {
  it('imports first with tags, then re-imports on the same ARN without tags: one ARN, new serial', async () => {
    const acmTarget = target();
    const one = await delivery.issue({ certificateId: 'web', revision: 1, names: ['acm.example.test'] });
    const two = await delivery.issue({ certificateId: 'web', revision: 2, names: ['acm.example.test'] });
    const recorder = recordImports(acm);
    try {
      const first = await acmTarget.publish(one, context);
      expect(first).toMatchObject({ serial: one.serial, imported: true, supersededLocations: [] });
      const second = await acmTarget.publish(two, { ...context, location: first.location });
      expect(second).toEqual({ location: first.location, serial: two.serial, supersededLocations: [], imported: true });
      expect(recorder.imports).toEqual([{ tagged: true }, { arn: first.location, tagged: false }]);

      const observed = await acmTarget.observe({ ...context, location: first.location });
      expect(observed).toEqual({ location: first.location, serial: two.serial, notAfter: two.notAfter });
      // ACM keeps tags across re-imports; moto drops them, and the target re-asserts them (AddTagsToCertificate).
      const tags = await acm.send(new ListTagsForCertificateCommand({ CertificateArn: first.location }));
      expect(Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value]))).toMatchObject({
        [TagKey.CertificateId]: 'web',
        [TagKey.TargetId]: 'acm-main',
        [TagKey.Tenant]: 'tenant-a',
        [TagKey.ManagedBy]: 'portcullis',
      });
      const listed = await acm.send(new ListCertificatesCommand({}));
      expect(listed.CertificateSummaryList).toHaveLength(1);
    } finally {
      recorder.detach();
    }
  });

  it('reads moto’s decimal serial as our hex serial when observing', async () => {
    const acmTarget = target();
    const m = await delivery.issue({ certificateId: 'web', revision: 1, names: ['serial.example.test'] });
    const { location } = await acmTarget.publish(m, context);
    const described = await acm.send(new DescribeCertificateCommand({ CertificateArn: location }));
    expect(described.Certificate?.Serial).toMatch(/^\d+$/); // moto's form; AWS's colon hex is unit-tested
    expect(BigInt(described.Certificate?.Serial as string).toString(16)).toBe(m.serial);
    expect((await acmTarget.observe({ ...context, location }))?.serial).toBe(m.serial);
  });

  it('imports a NEW ARN when the key type changes (EC → RSA), decided before calling ACM', async () => {
    const acmTarget = target();
    const ec = await delivery.issue({ certificateId: 'web', revision: 1, names: ['swap.example.test'] });
    const rsa = await delivery.issue({
      certificateId: 'web',
      revision: 2,
      names: ['swap.example.test'],
      keyType: 'rsa-2048',
    });
    const first = await acmTarget.publish(ec, context);
    const recorder = recordImports(acm);
    try {
      const result = await acmTarget.publish(rsa, { ...context, location: first.location });
      expect(result.location).not.toBe(first.location);
      expect(result).toMatchObject({ serial: rsa.serial, imported: true, supersededLocations: [first.location] });
      expect(result.reimportRefusal?.reason).toBe(ReimportRefusal.KeyAlgorithmChanged);
      // Exactly one import, on a new ARN with tags: nothing was ever sent with the old ARN.
      expect(recorder.imports).toEqual([{ tagged: true }]);
    } finally {
      recorder.detach();
    }
    // The old ARN still serves the EC certificate (the operator moves its associations) and says who replaced it.
    expect((await acmTarget.observe({ ...context, location: first.location }))?.serial).toBe(ec.serial);
    const oldTags = await acm.send(new ListTagsForCertificateCommand({ CertificateArn: first.location }));
    expect(oldTags.Tags).toContainEqual({ Key: TagKey.SupersededBy, Value: expect.stringMatching(/^arn:aws:acm:/) });
    // Without a recorded location, the replacement is the one found by its tags.
    const replayed = await acmTarget.publish(rsa, context);
    expect(replayed).toMatchObject({ serial: rsa.serial, imported: false });
    expect(replayed.location).not.toBe(first.location);
  });

  it('imports a new ARN when an RSA certificate loses keyEncipherment (LE classic → tlsserver)', async () => {
    const acmTarget = target();
    // pebble's RSA leaves carry digitalSignature + keyEncipherment, like LE `classic`.
    const classic = await delivery.issue({
      certificateId: 'web',
      revision: 1,
      names: ['profile.example.test'],
      keyType: 'rsa-2048',
    });
    // pebble has no profiles: a self-signed RSA 2048 leaf without key usages stands in for `tlsserver`.
    const tlsserver = await createTestMaterial({
      certificateId: 'web',
      revision: 2,
      names: ['profile.example.test'],
      keyType: 'rsa-2048',
    });
    const first = await acmTarget.publish(classic, context);
    const counter = countAwsRequests(acm);
    try {
      const result = await acmTarget.publish(tlsserver, { ...context, location: first.location });
      expect(result.reimportRefusal?.reason).toBe(ReimportRefusal.KeyUsageRemoved);
      expect(result.supersededLocations).toEqual([first.location]);
      expect(counter.count('ImportCertificateCommand')).toBe(1);
    } finally {
      counter.detach();
    }
  });

  it('changes nothing when the ARN already holds the serial', async () => {
    const acmTarget = target();
    const m = await delivery.issue({ certificateId: 'web', revision: 1, names: ['same.example.test'] });
    const first = await acmTarget.publish(m, context);
    const counter = countAwsRequests(acm);
    try {
      expect(await acmTarget.publish(m, { ...context, location: first.location })).toEqual({
        location: first.location,
        serial: m.serial,
        supersededLocations: [],
        imported: false,
      });
      expect(counter.count('ImportCertificateCommand')).toBe(0);
    } finally {
      counter.detach();
    }
  });

  it('imports again, on a new ARN, when the recorded one was deleted out of band; observe says absent', async () => {
    const acmTarget = target();
    const m = await delivery.issue({ certificateId: 'web', revision: 1, names: ['gone.example.test'] });
    const gone = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000';
    expect(await acmTarget.observe({ ...context, location: gone })).toBeUndefined();
    const result = await acmTarget.publish(m, { ...context, location: gone });
    expect(result).toMatchObject({ imported: true, supersededLocations: [gone] });
    expect(result.location).not.toBe(gone);
  });

  it('lists an ECDSA certificate, sending every key type', async () => {
    const acmTarget = target();
    const ec = await delivery.issue({ certificateId: 'web', revision: 1, names: ['list.example.test'] });
    const { location } = await acmTarget.publish(ec, context);
    const sent: unknown[] = [];
    acm.middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName === 'ListCertificatesCommand') sent.push((args.input as { Includes?: unknown }).Includes);
        return next(args);
      },
      { step: 'initialize', name: 'record-list' },
    );
    try {
      const listed = await acmTarget.listCertificates();
      expect(listed.map((s) => [s.CertificateArn, s.KeyAlgorithm])).toEqual([[location, 'EC_prime256v1']]);
    } finally {
      acm.middlewareStack.remove('record-list');
    }
    expect(sent).toEqual([
      {
        keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'],
      },
    ]);
  });
});
