/**
 * The ACM inventory on real moto_server: RSA and ECDSA certificates, ours (tagged portcullis:certificate-id at
 * import, as the ACM target does) and someone else's, and one that expires during the test — generated at test
 * time. The moto
 * `Serial` is decimal; the summary must carry the same lower-case hex as the certificate itself.
 */
import { X509Certificate } from 'node:crypto';
import { ImportCertificateCommand } from '@aws-sdk/client-acm';
import {
  AcmCertificateInventory,
  type AwsClients,
  acmClientForRegion,
  createAwsClients,
  TagKey,
} from '@portcullis/aws';
import { serialHex, toIsoTime } from '@portcullis/core';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificate, type TestKey } from '../../packages/aws/src/acm/test-certificates.js';

let stack: LocalStack;
let clients: AwsClients;

beforeAll(async () => {
  stack = await startLocalStack({});
  clients = createAwsClients({ region: 'us-east-1', endpoint: stack.moto?.endpoint as string });
});

afterAll(async () => {
  clients?.destroy();
  await stack?.stop();
});

interface Imported {
  readonly arn: string;
  readonly serial: string;
  readonly notAfter: string;
  readonly names: readonly string[];
}

async function importCertificate(
  acm: AwsClients['acm'],
  options: { key: TestKey; names: string[]; notAfter?: Date; certificateId?: string },
): Promise<Imported> {
  const certificate = await makeTestCertificate({
    key: options.key,
    names: options.names,
    ...(options.notAfter === undefined ? {} : { notAfter: options.notAfter }),
  });
  const { CertificateArn: arn } = await acm.send(
    new ImportCertificateCommand({
      Certificate: Buffer.from(certificate.certificatePem),
      PrivateKey: Buffer.from(certificate.privateKeyPem),
      ...(options.certificateId === undefined
        ? {}
        : {
            Tags: [
              { Key: TagKey.ManagedBy, Value: 'portcullis' },
              { Key: TagKey.CertificateId, Value: options.certificateId },
            ],
          }),
    }),
  );
  const parsed = new X509Certificate(certificate.certificatePem);
  return {
    arn: arn as string,
    serial: serialHex(parsed),
    notAfter: toIsoTime(new Date(parsed.validTo)),
    names: options.names,
  };
}

describe('AcmCertificateInventory', () => {
  it('lists every key type, ours and others, with hex serials, notAfter and status, in two regions', async () => {
    const regional = acmClientForRegion(clients);
    try {
      const acm = regional('us-east-1');
      const managedRsa = await importCertificate(acm, {
        key: 'rsa-2048',
        names: ['rsa.example.test'],
        certificateId: 'web',
      });
      const unmanagedEc = await importCertificate(acm, {
        key: 'ec-p256',
        names: ['legacy.example.test', 'www.legacy.example.test'],
      });
      const managedEc384 = await importCertificate(acm, {
        key: 'ec-p384',
        names: ['p384.example.test'],
        certificateId: 'api',
      });
      // moto refuses to import an expired certificate: import one about to expire and let it.
      const expiresAt = Date.now() + 3_000;
      const expired = await importCertificate(acm, {
        key: 'rsa-3072',
        names: ['expired.example.test'],
        notAfter: new Date(expiresAt),
      });
      const elsewhere = await importCertificate(regional('eu-west-1'), { key: 'ec-p256', names: ['eu.example.test'] });

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 1_500)));

      const inventory = new AcmCertificateInventory({ clientFor: regional });
      const listed = await inventory.list('us-east-1');
      const byArn = new Map(listed.map((summary) => [summary.arn, summary]));
      expect(listed.map((summary) => summary.arn)).toEqual(
        [managedRsa, unmanagedEc, managedEc384, expired].map((imported) => imported.arn).sort(),
      );
      const expectations: [Imported, object][] = [
        [managedRsa, { keyAlgorithm: 'RSA_2048', managed: true, certificateId: 'web', status: 'ISSUED' }],
        [unmanagedEc, { keyAlgorithm: 'EC_prime256v1', managed: false, status: 'ISSUED' }],
        [managedEc384, { keyAlgorithm: 'EC_secp384r1', managed: true, certificateId: 'api' }],
        [expired, { keyAlgorithm: 'RSA_3072', managed: false, status: 'EXPIRED' }],
      ];
      for (const [imported, extra] of expectations) {
        expect(byArn.get(imported.arn)).toMatchObject({
          region: 'us-east-1',
          domainName: imported.names[0],
          names: imported.names,
          serial: imported.serial,
          notAfter: imported.notAfter,
          type: 'IMPORTED',
          ...extra,
        });
      }
      expect(byArn.get(unmanagedEc.arn)?.certificateId).toBeUndefined();

      expect((await inventory.list('eu-west-1')).map((summary) => [summary.arn, summary.serial])).toEqual([
        [elsewhere.arn, elsewhere.serial],
      ]);
    } finally {
      regional.destroy();
      await stack.moto?.reset();
    }
  });

  it('answers an empty list for a region without certificates', async () => {
    const regional = acmClientForRegion(clients);
    try {
      expect(await new AcmCertificateInventory({ clientFor: regional }).list('ap-southeast-2')).toEqual([]);
    } finally {
      regional.destroy();
    }
  });
});
