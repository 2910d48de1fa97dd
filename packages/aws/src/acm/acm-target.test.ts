/**
 * AcmTarget paths moto cannot produce, with a stubbed client (moto never throttles, answers serials in decimal
 * only, and ignores MaxItems): AWS's colon-hex serial, throttling and its jittered backoff, a first import that
 * must not be repeated, quota exhaustion, pagination, and AWS echoing PEM in an error.
 */
import type { ACMClient } from '@aws-sdk/client-acm';
import type { CertificateMaterial, Clock, DeliveryContext } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { AcmTarget } from './acm-target.js';
import { AcmError, AcmErrorCode } from './errors.js';
import { toAcmColonHex } from './serial.js';

type Handler = (input: Record<string, unknown>) => unknown;

/** Answers commands by name; a handler that throws makes `send` reject with that error. */
class StubAcm {
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];
  constructor(readonly handlers: Record<string, Handler>) {}

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    this.calls.push({ command: name, input: command.input });
    const handler = this.handlers[name];
    if (handler === undefined) throw new Error(`stub: no handler for ${name}`);
    return handler(command.input);
  }

  count(command: string): number {
    return this.calls.filter((call) => call.command === command).length;
  }
}

function awsError(name: string, message = name, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/** Fails `times` times with `error`, then answers `answer`. */
function failing(times: number, error: () => Error, answer: unknown): Handler {
  let left = times;
  return () => {
    if (left-- > 0) throw error();
    return answer;
  };
}

const ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-4333-8444-555555555555';
const context: DeliveryContext = { certificateId: 'c1', targetId: 'acm', tenant: 't', location: ARN };

let material: CertificateMaterial;
beforeAll(async () => {
  material = await createTestMaterial({ certificateId: 'c1', revision: 1, names: ['unit.example.test'] });
});

function subject(handlers: Record<string, Handler>) {
  const stub = new StubAcm(handlers);
  const sleeps: number[] = [];
  const clock: Clock = { now: () => new Date('2026-06-01T00:00:00Z'), sleep: async (ms) => void sleeps.push(ms) };
  const target = new AcmTarget({
    client: stub as unknown as ACMClient,
    region: 'eu-west-1',
    clock,
    random: { next: () => 0.5 },
  });
  return { stub, sleeps, target };
}

function described(serial: string) {
  return { Certificate: { CertificateArn: ARN, Serial: serial, NotAfter: new Date(material.notAfter) } };
}

describe('AcmTarget with a stubbed ACM client', () => {
  it('reads the colon-separated hex serial real ACM returns', async () => {
    const { target } = subject({ DescribeCertificate: () => described(toAcmColonHex(material.serial)) });
    expect(await target.observe(context)).toEqual({
      location: ARN,
      serial: material.serial,
      notAfter: material.notAfter,
    });
  });

  it('treats the colon-hex serial of the material as already deployed (no import)', async () => {
    const { target, stub } = subject({ DescribeCertificate: () => described(toAcmColonHex(material.serial)) });
    expect(await target.publish(material, context)).toMatchObject({ location: ARN, imported: false });
    expect(stub.count('ImportCertificate')).toBe(0);
  });

  it('rides out throttling with growing, jittered waits', async () => {
    const throttled = () => awsError('ThrottlingException', 'Rate exceeded');
    const { target, stub, sleeps } = subject({
      DescribeCertificate: failing(3, throttled, described(toAcmColonHex(material.serial))),
    });
    expect((await target.observe(context))?.serial).toBe(material.serial);
    expect(stub.count('DescribeCertificate')).toBe(4);
    // random 0.5 → three quarters of 250, 500, 1000 ms.
    expect(sleeps).toEqual([188, 375, 750]);
  });

  it('gives up after the attempts with a retryable AcmThrottled error naming region and ARN', async () => {
    const { target, stub } = subject({
      DescribeCertificate: () => {
        throw awsError('ThrottlingException', 'Rate exceeded');
      },
    });
    const error = await target.observe(context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcmError);
    expect(error).toMatchObject({ code: AcmErrorCode.Throttled, retryable: true, awsCode: 'ThrottlingException' });
    expect((error as Error).message).toContain(`acm: eu-west-1 ${ARN}: DescribeCertificate: ThrottlingException`);
    expect(stub.count('DescribeCertificate')).toBe(6);
  });

  it('retries a throttled first import, which never ran, and ends with one ARN', async () => {
    const { target, stub } = subject({
      ListCertificates: () => ({ CertificateSummaryList: [] }),
      ImportCertificate: failing(2, () => awsError('ThrottlingException'), { CertificateArn: ARN }),
    });
    const { location: _location, ...firstDelivery } = context;
    const result = await target.publish(material, firstDelivery);
    expect(result).toMatchObject({ location: ARN, imported: true });
    expect(stub.count('ImportCertificate')).toBe(3);
  });

  it('does not repeat a first import that failed with a 5xx (it may have landed): retryable error instead', async () => {
    const { target, stub } = subject({
      ListCertificates: () => ({ CertificateSummaryList: [] }),
      ImportCertificate: () => {
        throw awsError('InternalFailure', 'We encountered an internal error', 500);
      },
    });
    const { location: _location, ...firstDelivery } = context;
    const error = await target.publish(material, firstDelivery).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: AcmErrorCode.Throttled, retryable: true });
    expect((error as Error).message).toContain('not repeated');
    expect(stub.count('ImportCertificate')).toBe(1);
  });

  it('reports an exhausted import quota as AcmQuotaExceeded, not retryable', async () => {
    const { target } = subject({
      ListCertificates: () => ({ CertificateSummaryList: [] }),
      ImportCertificate: () => {
        throw awsError('LimitExceededException', 'the import quota is exceeded');
      },
    });
    const { location: _location, ...firstDelivery } = context;
    await expect(target.publish(material, firstDelivery)).rejects.toMatchObject({
      code: AcmErrorCode.QuotaExceeded,
      retryable: false,
    });
  });

  it('cuts PEM blocks out of an AWS message, so a key can never reach an error', async () => {
    const echoed = `The private key is not valid: ${material.key.reveal()}`;
    const { target } = subject({
      ListCertificates: () => ({ CertificateSummaryList: [] }),
      ImportCertificate: () => {
        throw awsError('ValidationException', echoed);
      },
    });
    const { location: _location, ...firstDelivery } = context;
    const error = (await target.publish(material, firstDelivery).catch((e: unknown) => e)) as AcmError;
    expect(error.code).toBe(AcmErrorCode.ImportRefused);
    expect(error.message).toContain('The private key is not valid: [pem]');
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('follows every ListCertificates page and sends every key type on each', async () => {
    const pages: Record<string, { CertificateSummaryList: { CertificateArn: string }[]; NextToken?: string }> = {
      first: { CertificateSummaryList: [{ CertificateArn: 'arn:1' }], NextToken: 'p2' },
      p2: { CertificateSummaryList: [{ CertificateArn: 'arn:2' }], NextToken: 'p3' },
      p3: { CertificateSummaryList: [{ CertificateArn: 'arn:3' }] },
    };
    const { target, stub } = subject({
      ListCertificates: (input) => pages[(input.NextToken as string | undefined) ?? 'first'],
    });
    expect((await target.listCertificates()).map((s) => s.CertificateArn)).toEqual(['arn:1', 'arn:2', 'arn:3']);
    const inputs = stub.calls.map((call) => call.input);
    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'p2', 'p3']);
    for (const input of inputs) {
      expect((input.Includes as { keyTypes: string[] }).keyTypes).toEqual([
        'RSA_1024',
        'RSA_2048',
        'RSA_3072',
        'RSA_4096',
        'EC_prime256v1',
        'EC_secp384r1',
        'EC_secp521r1',
      ]);
    }
  });

  it('refuses material whose key does not fit the leaf before calling ACM', async () => {
    const other = await createTestMaterial({ certificateId: 'c1', revision: 2, names: ['unit.example.test'] });
    const { target, stub } = subject({});
    await expect(target.publish({ ...material, key: other.key }, context)).rejects.toMatchObject({ rule: 'fits-key' });
    expect(stub.calls).toEqual([]);
  });
});
