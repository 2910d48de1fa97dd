/**
 * The Secrets Manager export target against moto_server with pebble certificates: what a consumer reads in each
 * format, idempotent versions, tags, and refusing a secret Portcullis did not create.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  ExportFormat,
  SecretsManagerError,
  SecretsManagerErrorCode,
  SecretsManagerExportTarget,
  TagKey,
} from '@portcullis/aws';
import { type DeliveryContext, serialHex, ValidationError, verifyChain } from '@portcullis/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryStack, startDeliveryStack } from './acm-support.js';

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

const context: DeliveryContext = { certificateId: 'web', targetId: 'export', tenant: 'tenant-a' };

async function read(name: string): Promise<string> {
  return (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '';
}

/** The consumer's check: the key in the secret belongs to the first certificate in it. */
function keyFits(certificatePem: string, keyPem: string): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  return fromKey.equals(new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' }));
}

describe('SecretsManagerExportTarget on moto', () => {
  it('writes a PEM bundle: leaf, intermediates, then the key', async () => {
    const target = new SecretsManagerExportTarget({ client, name: 'apps/web/tls.pem', format: ExportFormat.Pem });
    const m = await delivery.issue({ certificateId: 'web', revision: 1, names: ['export.example.test'] });
    const result = await target.publish(m, context);
    expect(result).toMatchObject({ serial: m.serial, imported: true, supersededLocations: [] });
    expect(result.location).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:apps\/web\/tls\.pem-/);

    const bundle = await read('apps/web/tls.pem');
    const blocks = bundle.match(/-----BEGIN [A-Z ]+-----/g);
    expect(blocks).toEqual([
      '-----BEGIN CERTIFICATE-----',
      '-----BEGIN CERTIFICATE-----',
      '-----BEGIN PRIVATE KEY-----',
    ]);
    const chainPem = bundle.slice(0, bundle.indexOf('-----BEGIN PRIVATE KEY-----'));
    expect(verifyChain(chainPem, await delivery.stack.pebble.roots()).serial).toBe(m.serial);
    expect(keyFits(chainPem, bundle.slice(bundle.indexOf('-----BEGIN PRIVATE KEY-----')))).toBe(true);
  });

  it('writes JSON {certificate, chain, privateKey} and observes the serial stored', async () => {
    const target = new SecretsManagerExportTarget({ client, name: 'apps/web/tls.json', format: ExportFormat.Json });
    const m = await delivery.issue({ certificateId: 'web', revision: 1, names: ['json.example.test'] });
    const { location } = await target.publish(m, context);
    const value = JSON.parse(await read('apps/web/tls.json')) as Record<string, string>;
    expect(Object.keys(value).sort()).toEqual(['certificate', 'chain', 'privateKey']);
    expect(serialHex(new X509Certificate(value.certificate as string))).toBe(m.serial);
    expect(value.chain).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(keyFits(value.certificate as string, value.privateKey as string)).toBe(true);
    expect(await target.observe(context)).toEqual({ location, serial: m.serial, notAfter: m.notAfter });
  });

  it('writes one version per serial: the same serial again adds nothing, a renewal adds one', async () => {
    const name = 'apps/web/versions';
    const target = new SecretsManagerExportTarget({ client, name, format: ExportFormat.Pem });
    const one = await delivery.issue({ certificateId: 'web', revision: 1, names: ['versions.example.test'] });
    const two = await delivery.issue({ certificateId: 'web', revision: 2, names: ['versions.example.test'] });
    await target.publish(one, context);
    expect((await target.publish(one, context)).imported).toBe(false);
    await target.publish(two, context);
    const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    expect(versions.Versions?.map((v) => v.VersionStages?.[0]).sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    const secret = await client.send(new DescribeSecretCommand({ SecretId: name }));
    const tags = Object.fromEntries((secret.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({
      [TagKey.CertificateId]: 'web',
      [TagKey.TargetId]: 'export',
      [TagKey.Serial]: two.serial,
      [TagKey.NotAfter]: two.notAfter,
      [TagKey.Names]: 'versions.example.test',
    });
    expect((await target.observe(context))?.serial).toBe(two.serial);
  });

  it('never overwrites a secret it did not create, or one of another certificate', async () => {
    await client.send(new CreateSecretCommand({ Name: 'apps/hand-made', SecretString: 'operator data' }));
    const m = await delivery.issue({ certificateId: 'web', revision: 1, names: ['foreign.example.test'] });
    const handMade = new SecretsManagerExportTarget({ client, name: 'apps/hand-made', format: ExportFormat.Pem });
    const refused = await handMade.publish(m, context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SecretsManagerError);
    expect(refused).toMatchObject({ code: SecretsManagerErrorCode.ForeignSecret });
    expect(await read('apps/hand-made')).toBe('operator data');

    const shared = new SecretsManagerExportTarget({ client, name: 'apps/shared', format: ExportFormat.Pem });
    await shared.publish(m, context);
    await expect(shared.publish(m, { ...context, certificateId: 'other' })).rejects.toMatchObject({
      code: SecretsManagerErrorCode.ForeignSecret,
    });
    expect(await shared.observe({ ...context, certificateId: 'other' })).toBeUndefined();
  });

  it('refuses bad options before calling AWS', () => {
    expect(() => new SecretsManagerExportTarget({ client, name: 'bad name', format: ExportFormat.Pem })).toThrow(
      ValidationError,
    );
    expect(() => new SecretsManagerExportTarget({ client, name: 'ok', format: 'yaml' as ExportFormat })).toThrow(
      /export-format|pem, json/,
    );
  });
});
