/**
 * Support for the Secrets Manager and ACM integration tests: real certificates from pebble (DNS-01 through bind9
 * by RFC 2136), shaped as the lifecycle hands them to stores and targets, plus AWS clients on the stack's moto.
 */
import type { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateKeyFactory, createAcmeClient, FileKeyStore } from '@portcullis/acme';
import { type AwsClients, createAwsClients } from '@portcullis/aws';
import {
  type CertificateFacts,
  type CertificateMaterial,
  type KeyType,
  normalizeIdentifiers,
  obtainCertificate,
  serialHex,
  splitPemChain,
  systemClock,
  toIsoTime,
} from '@portcullis/core';
import { DnsResolver, Rfc2136Provider } from '@portcullis/dns';
import { type LocalStack, startLocalStack } from '@portcullis/local';

export interface DeliveryStack {
  readonly stack: LocalStack;
  readonly clients: AwsClients;
  /** A fresh certificate from pebble for `names`, as `CertificateMaterial` of (certificateId, revision). */
  issue(options: IssueOptions): Promise<CertificateMaterial>;
  stop(): Promise<void>;
}

export interface IssueOptions {
  readonly certificateId: string;
  readonly revision: number;
  readonly names: readonly string[];
  readonly keyType?: KeyType;
}

/** Starts pebble + bind9 + moto and an ACME client with its account key in a temp dir. */
export async function startDeliveryStack(options: { validitySeconds?: number } = {}): Promise<DeliveryStack> {
  const stack = await startLocalStack(
    options.validitySeconds === undefined ? {} : { pebble: { validitySeconds: options.validitySeconds } },
  );
  const work = await mkdtemp(join(tmpdir(), 'portcullis-delivery-'));
  const clients = createAwsClients({ region: 'us-east-1', endpoint: stack.moto?.endpoint as string });
  const acme = createAcmeClient({
    issuer: 'pebble',
    directoryUrl: stack.pebble.directoryUrl,
    httpsAgent: stack.httpsAgent,
    keyStore: new FileKeyStore(join(work, 'keys')),
    backoffMinMs: 50,
    backoffMaxMs: 500,
  });
  const dns = {
    provider: new Rfc2136Provider({ server: { host: stack.bind.host, port: stack.bind.port }, tsig: stack.bind.tsig }),
    resolver: new DnsResolver({
      servers: [{ host: stack.bind.host, port: stack.bind.port }],
      nameserverPort: stack.bind.port,
    }),
  };
  return {
    stack,
    clients,
    async issue({ certificateId, revision, names, keyType = 'ec-p256' }) {
      const identifiers = normalizeIdentifiers(names, { challenge: 'dns-01' });
      const obtained = await obtainCertificate(
        { identifiers, challenge: 'dns-01', keyType },
        { acme, keys: certificateKeyFactory, clock: systemClock, dns },
      );
      return { certificateId, revision, chainPem: obtained.chainPem, key: obtained.key, ...factsOf(obtained.chainPem) };
    },
    async stop() {
      clients.destroy();
      await stack.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** The facts a promotion records, read from the chain's leaf. */
export function factsOf(chainPem: string): CertificateFacts {
  const leaf = splitPemChain(chainPem)[0] as X509Certificate;
  return {
    serial: serialHex(leaf),
    names: (leaf.subjectAltName ?? '')
      .split(', ')
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4)),
    notBefore: toIsoTime(new Date(leaf.validFrom)),
    notAfter: toIsoTime(new Date(leaf.validTo)),
  };
}
