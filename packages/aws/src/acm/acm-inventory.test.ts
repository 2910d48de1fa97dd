/**
 * Unit tests with a scripted ACM client — for what moto cannot show: moto ignores MaxItems (so never pages), never
 * throttles, and lists every key type even without Includes.keyTypes. The moto integration test is
 * test/aws/monitoring-acm-inventory.test.ts.
 */
import type { ACMClient } from '@aws-sdk/client-acm';
import { ManualClock, SeededRandom } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { AcmCertificateInventory } from './acm-inventory.js';

const ARN = (n: number) => `arn:aws:acm:eu-west-1:123456789012:certificate/${n}`;

interface Sent {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} from the script`), { name, $metadata: { httpStatusCode: status } });
}

/** Answers by command name; `throttleFirst` throttles the first call of that command. */
function scriptedClient(options: { throttleFirst?: string; deleted?: string } = {}) {
  const sent: Sent[] = [];
  let throttled = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name;
      sent.push({ command: name, input: command.input });
      if (name === options.throttleFirst && !throttled) {
        throttled = true;
        throw awsError('ThrottlingException', 400);
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      const arn = command.input.CertificateArn as string | undefined;
      if (arn !== undefined && arn === options.deleted) throw awsError('ResourceNotFoundException', 400);
      switch (name) {
        case 'ListCertificatesCommand':
          return command.input.NextToken === undefined
            ? { CertificateSummaryList: [1, 2, 3].map((n) => ({ CertificateArn: ARN(n) })), NextToken: 'page-2' }
            : { CertificateSummaryList: [4, 5].map((n) => ({ CertificateArn: ARN(n) })) };
        case 'DescribeCertificateCommand': {
          const n = Number(arn?.split('/').at(-1));
          return {
            Certificate: {
              CertificateArn: arn,
              DomainName: `site${n}.example.test`,
              SubjectAlternativeNames: [`site${n}.example.test`, `www.site${n}.example.test`],
              // AWS's colon hex with a leading zero byte.
              Serial: `00:0${n}:ab`,
              NotAfter: new Date(`2026-0${n}-01T12:00:00.500Z`),
              KeyAlgorithm: n % 2 === 0 ? 'EC_prime256v1' : 'RSA_2048',
              Type: 'IMPORTED',
              Status: 'ISSUED',
              InUseBy: n === 1 ? ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1'] : [],
            },
          };
        }
        case 'ListTagsForCertificateCommand':
          return { Tags: arn === ARN(2) ? [{ Key: 'portcullis:certificate-id', Value: 'cert-2' }] : [] };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  };
  return { client: client as unknown as ACMClient, sent, maxInFlight: () => maxInFlight };
}

function inventory(client: ACMClient, concurrency = 2) {
  return new AcmCertificateInventory({
    clientFor: () => client,
    concurrency,
    clock: new ManualClock(),
    random: new SeededRandom(7),
  });
}

describe('AcmCertificateInventory', () => {
  it('asks for every key type on every page and follows NextToken to the end', async () => {
    const { client, sent } = scriptedClient();
    const listed = await inventory(client).list('eu-west-1');
    const lists = sent.filter((call) => call.command === 'ListCertificatesCommand');
    expect(lists.map((call) => call.input.NextToken)).toEqual([undefined, 'page-2']);
    for (const call of lists) {
      expect((call.input.Includes as { keyTypes: string[] }).keyTypes).toEqual([
        'RSA_1024',
        'RSA_2048',
        'RSA_3072',
        'RSA_4096',
        'EC_prime256v1',
        'EC_secp384r1',
        'EC_secp521r1',
      ]);
    }
    expect(listed.map((summary) => summary.arn)).toEqual([1, 2, 3, 4, 5].map(ARN));
  });

  it('normalizes the serial, truncates notAfter to seconds, and tells managed from unmanaged by the tag', async () => {
    const { client } = scriptedClient();
    const [first, second] = await inventory(client).list('eu-west-1');
    expect(first).toEqual({
      arn: ARN(1),
      region: 'eu-west-1',
      domainName: 'site1.example.test',
      names: ['site1.example.test', 'www.site1.example.test'],
      serial: '1ab',
      notAfter: '2026-01-01T12:00:00Z',
      keyAlgorithm: 'RSA_2048',
      type: 'IMPORTED',
      status: 'ISSUED',
      managed: false,
      inUseBy: ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1'],
    });
    expect(second).toMatchObject({ managed: true, certificateId: 'cert-2', keyAlgorithm: 'EC_prime256v1' });
  });

  it('rides out throttling with the ACM retry policy', async () => {
    const { client, sent } = scriptedClient({ throttleFirst: 'DescribeCertificateCommand' });
    expect(await inventory(client).list('eu-west-1')).toHaveLength(5);
    expect(sent.filter((call) => call.command === 'DescribeCertificateCommand')).toHaveLength(6);
  });

  it('leaves out a certificate deleted between listing and describing', async () => {
    const { client } = scriptedClient({ deleted: ARN(3) });
    expect((await inventory(client).list('eu-west-1')).map((summary) => summary.arn)).toEqual([1, 2, 4, 5].map(ARN));
  });

  it('keeps at most `concurrency` certificates in flight (two calls each)', async () => {
    const { client, maxInFlight } = scriptedClient();
    await inventory(client, 1).list('eu-west-1');
    expect(maxInFlight()).toBeLessThanOrEqual(2);
  });

  it.each([['a region that is not one', () => inventory(scriptedClient().client).list('Mars-1'), 'region']])(
    'refuses %s before any call',
    async (_name, run, field) => {
      await expect(run()).rejects.toMatchObject({ field });
    },
  );

  it.each([
    ['no client function', {}, 'acmInventory.clientFor'],
    ['a concurrency of 0', { clientFor: () => scriptedClient().client, concurrency: 0 }, 'acmInventory.concurrency'],
  ])('refuses %s at construction', (_name, options, field) => {
    expect(() => new AcmCertificateInventory(options as never)).toThrow(expect.objectContaining({ field }));
  });
});
