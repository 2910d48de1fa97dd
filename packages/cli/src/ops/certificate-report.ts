/**
 * What `inspect` says about a certificate chain, wherever it came from (a file, a TLS server, Secrets Manager,
 * ACM): each certificate's facts, whether the chain is signed link by link and ends in a trusted root (core's
 * `verifyChain`), validity, the leaf's names against the name asked for, and whether a private key found next to
 * it matches the leaf. A key is only ever reported as "present" and "matches" — never printed, never logged.
 */
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { type Redacted, redact, serialHex, splitPemChain, ValidationError, verifyChain } from '@portcullis/core';
import { renderTable } from '../runtime/format.js';
import { type CheckResult, CheckStatus } from './checks.js';
import { daysBetween } from './io.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_PRIVATE_KEY =
  /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

export interface PemBundle {
  readonly certificates: readonly X509Certificate[];
  /** A private key found in the same text, kept redacted. */
  readonly key?: Redacted<string>;
}

/** Certificates (in order) and the first private key of a PEM text; no certificate is an error naming `source`. */
export function parsePemBundle(text: string, source: string): PemBundle {
  if ((text.match(PEM_CERTIFICATE) ?? []).length === 0) {
    throw new ValidationError(source, 'pem-certificates', 'holds no PEM certificate');
  }
  const key = PEM_PRIVATE_KEY.exec(text)?.[0];
  return { certificates: splitPemChain(text), ...(key === undefined ? {} : { key: redact(key) }) };
}

/** `EC P-256`, `RSA 2048`, `Ed25519`. */
export function keyAlgorithmOf(certificate: X509Certificate): string {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `EC ${curveName(details.namedCurve)}`;
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${details.modulusLength ?? '?'}`;
    default:
      return String(key.asymmetricKeyType ?? 'unknown');
  }
}

function curveName(curve: string | undefined): string {
  const names: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
  return curve === undefined ? '?' : (names[curve] ?? curve);
}

/** DNS names and IP addresses of the subjectAltName (`DNS:a, IP Address:b`). */
export function namesOf(certificate: X509Certificate): string[] {
  return (certificate.subjectAltName ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1])
    .filter((name): name is string => name !== undefined);
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const oneLine = (dn: string) => dn.split('\n').join(', ');

/** The facts of one certificate as rows of a FIELD/VALUE table. */
export function certificateRows(certificate: X509Certificate, now: Date): string[][] {
  const notAfter = certificate.validToDate;
  const days = daysBetween(now, notAfter);
  return [
    ['subject', oneLine(certificate.subject)],
    ['issuer', oneLine(certificate.issuer)],
    ['serial', serialHex(certificate)],
    ['names', namesOf(certificate).join(', ') || '-'],
    ['not before', iso(certificate.validFromDate)],
    ['not after', `${iso(notAfter)} (${days < 0 ? `expired ${-days} days ago` : `${days} days left`})`],
    ['key', keyAlgorithmOf(certificate)],
    ['signature', certificate.signatureAlgorithm ?? '-'],
    ['sha-256', certificate.fingerprint256],
  ];
}

export function renderChain(certificates: readonly X509Certificate[], now: Date): string {
  return certificates
    .map((certificate, index) => {
      const role = index === 0 ? 'leaf' : certificate.checkIssued(certificate) ? 'root (self-signed)' : 'intermediate';
      return `certificate ${index} (${role})\n${indent(renderTable(['FIELD', 'VALUE'], certificateRows(certificate, now)))}`;
    })
    .join('\n\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

export interface ChainCheckOptions {
  readonly now: Date;
  /** PEM roots trusted besides the system's (`--ca`): a private CA, pebble. */
  readonly extraRootsPem?: readonly string[];
  /** The name the certificate must cover (the SNI asked for); absent = not checked. */
  readonly expectedName?: string;
  readonly key?: Redacted<string>;
}

const signs = (parent: X509Certificate, child: X509Certificate) =>
  child.checkIssued(parent) && child.verify(parent.publicKey);

/**
 * The leaf and the certificates after it that each sign the one before — when what follows is unrelated to them
 * (stray: signs none of them, signed by none). A related certificate in the wrong place is an out-of-order chain:
 * then the whole list is returned and the chain check fails on the broken link.
 */
function linkedPrefix(certificates: readonly X509Certificate[]): readonly X509Certificate[] {
  let end = 1;
  while (
    end < certificates.length &&
    signs(certificates[end] as X509Certificate, certificates[end - 1] as X509Certificate)
  ) {
    end++;
  }
  const prefix = certificates.slice(0, end);
  const rest = certificates.slice(end);
  return rest.every((extra) => !prefix.some((c) => signs(extra, c) || signs(c, extra))) ? prefix : certificates;
}

/** Checks of a chain (leaf first); fails on a broken link, expiry, a wrong name or a key that does not match. */
export function checkChain(certificates: readonly X509Certificate[], options: ChainCheckOptions): CheckResult[] {
  const checks: CheckResult[] = [];
  const leaf = certificates[0];
  if (leaf === undefined) return [{ check: 'chain', status: CheckStatus.Fail, message: 'no certificate' }];
  // Certificates after the last one that signs its predecessor are not part of the chain (moto's ACM appends an
  // intermediate of its own; some servers send stray certificates): reported, then the chain is judged without them.
  const linked = linkedPrefix(certificates);
  if (linked.length < certificates.length) {
    checks.push({
      check: 'extra certificates',
      status: CheckStatus.Warn,
      message: certificates
        .slice(linked.length)
        .map((c, i) => `chain[${linked.length + i}] ${oneLine(c.subject)} signs nothing before it`)
        .join('; '),
      hint: 'send only the leaf followed by its own intermediates',
    });
  }
  const chainPem = linked.map((c) => c.toString()).join('\n');
  try {
    const verdict = verifyChain(chainPem, [...rootCertificates, ...(options.extraRootsPem ?? [])]);
    checks.push({
      check: 'chain',
      status: CheckStatus.Pass,
      message: `signed link by link, ends in the trusted root ${oneLine(verdict.root)}`,
    });
  } catch (error) {
    const untrusted = error instanceof ValidationError && error.rule === 'trusted-root';
    checks.push(
      untrusted
        ? {
            check: 'chain',
            status: CheckStatus.Warn,
            message: `signed link by link, but ${oneLine(certificates.at(-1)?.issuer ?? '?')} is not a trusted root here`,
            hint: 'pass --ca <root.pem> for a private CA (pebble: its /roots/0), or serve the missing intermediate',
          }
        : {
            check: 'chain',
            status: CheckStatus.Fail,
            message: oneLine((error as Error).message),
            hint: 'serve the leaf followed by its intermediates, in order (fullchain.pem)',
          },
    );
  }
  const expired = certificates.filter((c) => c.validToDate.getTime() <= options.now.getTime());
  const early = certificates.filter((c) => c.validFromDate.getTime() > options.now.getTime());
  if (expired.length > 0 || early.length > 0) {
    checks.push({
      check: 'validity',
      status: CheckStatus.Fail,
      message: [
        ...expired.map((c) => `${oneLine(c.subject)} expired at ${iso(c.validToDate)}`),
        ...early.map((c) => `${oneLine(c.subject)} is not valid before ${iso(c.validFromDate)}`),
      ].join('; '),
      hint: 'renew (portcullis renew <id>) or deliver the current certificate',
    });
  } else {
    const days = daysBetween(options.now, leaf.validToDate);
    checks.push({
      check: 'validity',
      status: CheckStatus.Pass,
      message: `every certificate is valid now; the leaf for ${days} more days`,
    });
  }
  if (options.expectedName !== undefined) {
    const covered = leaf.checkHost(options.expectedName, { subject: 'never' }) !== undefined;
    checks.push(
      covered
        ? { check: 'name', status: CheckStatus.Pass, message: `the leaf covers ${options.expectedName}` }
        : {
            check: 'name',
            status: CheckStatus.Fail,
            message: `the leaf does not cover ${options.expectedName} (it has ${namesOf(leaf).join(', ') || 'no names'})`,
            hint: 'serve a certificate for this name (check the SNI routing of the server)',
          },
    );
  }
  if (options.key !== undefined) checks.push(keyCheck(leaf, options.key));
  return checks;
}

/** Whether a private key belongs to the leaf. Only the verdict leaves this function. */
export function keyCheck(leaf: X509Certificate, key: Redacted<string>): CheckResult {
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(key.reveal()));
  } catch {
    return { check: 'key', status: CheckStatus.Fail, message: 'a private key is present but cannot be read' };
  }
  return matches
    ? { check: 'key', status: CheckStatus.Pass, message: 'a private key is present and matches the leaf' }
    : {
        check: 'key',
        status: CheckStatus.Fail,
        message: 'a private key is present but does NOT match the leaf',
        hint: 'the key and the certificate were stored from different issuances: re-deliver both together',
      };
}
