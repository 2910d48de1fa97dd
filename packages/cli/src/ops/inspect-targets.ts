/**
 * The four things `portcullis inspect <target>` can look at, each read into the same shape — facts about where the
 * certificate lives, the chain, a private key (redacted) if one sits next to it, and target-specific checks:
 *
 *   arn:aws:acm:<region>:<account>:certificate/<id>   DescribeCertificate + GetCertificate + ListTagsForCertificate
 *   secret:<name or ARN>                              GetSecretValue (AWSCURRENT) + DescribeSecret
 *   a file path                                       PEM bundle (certificates, maybe a key)
 *   host[:port]  ([v6]:port)                          TLS handshake (port 443 by default), SNI = --sni or the host
 */
import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DescribeCertificateCommand, GetCertificateCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { type AwsClients, acmSerialMatches, normalizeAcmSerial, TagKey } from '@portcullis/aws';
import { type EndpointProber, type Redacted, redact, serialHex, splitPemChain } from '@portcullis/core';
import { parsePemBundle } from './certificate-report.js';
import { type CheckResult, CheckStatus } from './checks.js';
import { OpsError, OpsErrorCode } from './errors.js';
import { daysBetween } from './io.js';
import { readPresentedChain } from './tls-chain.js';

export type InspectTarget =
  | { readonly kind: 'acm'; readonly arn: string; readonly region: string }
  | { readonly kind: 'secret'; readonly id: string; readonly region?: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'endpoint'; readonly host: string; readonly port: number };

const ACM_ARN = /^arn:aws[\w-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/;
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$/;
const ENDPOINT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** What `input` names; `isFile` is asked only for inputs that are not ARNs or `secret:`. */
export function classifyTarget(input: string, isFile: (path: string) => boolean): InspectTarget {
  const value = input.trim();
  const acm = ACM_ARN.exec(value);
  if (acm !== null) return { kind: 'acm', arn: value, region: acm[1] as string };
  if (value.startsWith('secret:')) {
    const id = value.slice('secret:'.length);
    if (id === '') throw new OpsError(OpsErrorCode.UnknownTarget, 'inspect: secret: needs a secret name or ARN');
    const region = SECRET_ARN.exec(id)?.[1];
    return { kind: 'secret', id, ...(region === undefined ? {} : { region }) };
  }
  if (isFile(value)) return { kind: 'file', path: value };
  const endpoint = ENDPOINT.exec(value);
  const port = endpoint?.[2] === undefined ? 443 : Number(endpoint[2]);
  if (endpoint === null || port < 1 || port > 65_535 || value.startsWith('arn:')) {
    throw new OpsError(
      OpsErrorCode.UnknownTarget,
      `inspect: "${value}" is not an ACM certificate ARN, secret:<name>, an existing file or host[:port]`,
    );
  }
  return { kind: 'endpoint', host: endpoint[1] as string, port };
}

export interface InspectedCertificate {
  /** Title line: what was looked at. */
  readonly title: string;
  /** Facts about the place (ACM status, secret versions, TLS protocol...). */
  readonly facts: readonly (readonly [string, string])[];
  readonly certificates: readonly X509Certificate[];
  readonly key?: Redacted<string>;
  /** The name the leaf must cover (endpoint SNI). */
  readonly expectedName?: string;
  /** Checks only this kind of target has (ACM status, serial agreement, what the monitor sees). */
  readonly checks: readonly CheckResult[];
}

const iso = (date: Date | undefined) => (date === undefined ? '-' : date.toISOString().replace(/\.\d{3}Z$/, 'Z'));

export async function inspectFile(path: string): Promise<InspectedCertificate> {
  const bundle = parsePemBundle(await readFile(path, 'utf8'), path);
  return {
    title: `file ${path}`,
    facts: [['private key', bundle.key === undefined ? 'none in the file' : 'present (not shown)']],
    certificates: bundle.certificates,
    ...(bundle.key === undefined ? {} : { key: bundle.key }),
    checks: [],
  };
}

export async function inspectAcm(clients: AwsClients, arn: string, now: Date): Promise<InspectedCertificate> {
  const described = (await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate ?? {};
  const pem = await clients.acm.send(new GetCertificateCommand({ CertificateArn: arn }));
  const tags = (await clients.acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags ?? [];
  const certificates =
    pem.Certificate === undefined ? [] : splitPemChain(`${pem.Certificate}\n${pem.CertificateChain ?? ''}`);
  const serial = described.Serial === undefined ? undefined : normalizeAcmSerial(described.Serial);
  const notAfter = described.NotAfter;
  const certificateId = tags.find((t) => t.Key === TagKey.CertificateId)?.Value;
  const facts: [string, string][] = [
    ['status', described.Status ?? '-'],
    ['type', described.Type ?? '-'],
    ['domain', described.DomainName ?? '-'],
    ['names', (described.SubjectAlternativeNames ?? []).join(', ') || '-'],
    ['serial', serial ?? described.Serial ?? '-'],
    ['not before', iso(described.NotBefore)],
    ['not after', notAfter === undefined ? '-' : `${iso(notAfter)} (${daysBetween(now, notAfter)} days left)`],
    ['key algorithm', described.KeyAlgorithm ?? '-'],
    ['in use by', (described.InUseBy ?? []).join(', ') || 'nothing'],
    ['imported at', iso(described.ImportedAt)],
    ['certificate id', certificateId ?? '- (not managed by Portcullis)'],
    [
      'tags',
      tags
        .map((t) => `${t.Key}=${t.Value ?? ''}`)
        .sort()
        .join(', ') || '-',
    ],
  ];
  const checks: CheckResult[] = [];
  const status = described.Status ?? 'UNKNOWN';
  checks.push(
    status === 'ISSUED'
      ? { check: 'acm status', status: CheckStatus.Pass, message: 'ISSUED' }
      : {
          check: 'acm status',
          status: CheckStatus.Fail,
          message: `${status}${described.FailureReason === undefined ? '' : ` (${described.FailureReason})`}`,
          hint: certificateId === undefined ? 're-import a valid certificate' : `portcullis renew ${certificateId}`,
        },
  );
  const leaf = certificates[0];
  if (leaf !== undefined && described.Serial !== undefined) {
    checks.push(
      acmSerialMatches(described.Serial, serialHex(leaf))
        ? { check: 'serial', status: CheckStatus.Pass, message: 'ACM serial and the PEM leaf agree' }
        : {
            check: 'serial',
            status: CheckStatus.Fail,
            message: `ACM says ${described.Serial}, its PEM leaf is ${serialHex(leaf)}`,
          },
    );
  }
  return { title: `ACM certificate ${arn}`, facts, certificates, checks };
}

/** The certificate and key of a secret's current value, in any of the forms Portcullis writes. */
export function certificateOfSecret(secretString: string, where: string): { chainPem: string; key?: Redacted<string> } {
  if (secretString.trimStart().startsWith('{')) {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(secretString) as Record<string, unknown>;
    } catch {
      throw new OpsError(OpsErrorCode.NoCertificate, `${where}: the value is neither JSON nor PEM`);
    }
    const text = (field: string) => (typeof value[field] === 'string' ? (value[field] as string) : undefined);
    // The certificate store's layout (`portcullis.certificate/v1`) or the JSON export (`certificate`, `chain`).
    const chainPem = text('chainPem') ?? [text('certificate'), text('chain')].filter((s) => s !== undefined).join('\n');
    const key = text('privateKey');
    if (!chainPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new OpsError(
        OpsErrorCode.NoCertificate,
        `${where}: the current version holds no certificate${key === undefined ? '' : ' (only a key: not promoted yet)'}`,
      );
    }
    return { chainPem, ...(key === undefined ? {} : { key: redact(key) }) };
  }
  const bundle = parsePemBundle(secretString, where);
  return {
    chainPem: bundle.certificates.map((c) => c.toString()).join('\n'),
    ...(bundle.key === undefined ? {} : { key: bundle.key }),
  };
}

export async function inspectSecret(clients: AwsClients, id: string): Promise<InspectedCertificate> {
  const value = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: id }));
  const described = await clients.secretsManager.send(new DescribeSecretCommand({ SecretId: id }));
  const where = `secrets manager: ${described.Name ?? id}`;
  if (value.SecretString === undefined) {
    throw new OpsError(OpsErrorCode.NoCertificate, `${where}: the current version has no string value`);
  }
  const { chainPem, key } = certificateOfSecret(value.SecretString, where);
  const versions = Object.entries(described.VersionIdsToStages ?? {})
    .map(([version, stages]) => `${version} (${stages.join(', ')})`)
    .sort();
  const facts: [string, string][] = [
    ['name', described.Name ?? id],
    ['arn', described.ARN ?? '-'],
    ['current version', value.VersionId ?? '-'],
    ['versions', versions.join(', ') || '-'],
    ['certificate id', described.Tags?.find((t) => t.Key === TagKey.CertificateId)?.Value ?? '-'],
    [
      'tags',
      (described.Tags ?? [])
        .map((t) => `${t.Key}=${t.Value ?? ''}`)
        .sort()
        .join(', ') || '-',
    ],
    ['private key', key === undefined ? 'none in the value' : 'present (not shown)'],
  ];
  return {
    title: `secret ${described.Name ?? id}`,
    facts,
    certificates: splitPemChain(chainPem),
    ...(key === undefined ? {} : { key }),
    checks: [],
  };
}

export async function inspectEndpoint(
  prober: EndpointProber,
  target: { host: string; port: number; serverName?: string; timeoutMs?: number },
): Promise<InspectedCertificate> {
  // What the monitor's drift check sees (the port's leaf facts), then the whole chain for the printout.
  const probed = await prober.probe(target);
  const presented = await readPresentedChain(target);
  const leaf = presented.certificates[0] as X509Certificate;
  const name = presented.serverName;
  const checks: CheckResult[] = [
    serialHex(leaf) === probed.serial
      ? { check: 'monitor view', status: CheckStatus.Pass, message: `the monitor's probe sees serial ${probed.serial}` }
      : {
          check: 'monitor view',
          status: CheckStatus.Warn,
          message: `two handshakes got different leaves (${probed.serial}, then ${serialHex(leaf)})`,
          hint: 'servers behind this address serve different certificates: deliver to all of them',
        },
  ];
  return {
    title: `TLS endpoint ${target.host}:${target.port}${name === undefined ? ' (no SNI)' : ` (SNI ${name})`}`,
    facts: [
      ['protocol', presented.protocol],
      ['cipher', presented.cipher],
      ['certificates sent', String(presented.certificates.length)],
    ],
    certificates: presented.certificates,
    ...(name === undefined ? {} : { expectedName: name }),
    checks,
  };
}
