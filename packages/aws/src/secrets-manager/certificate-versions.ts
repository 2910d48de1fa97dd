/**
 * How one certificate's secret is laid out in versions (see certificate-store.ts for the flow).
 *
 * Each revision writes two versions, because a version's value is immutable and the key must be stored before the
 * CSR goes out while the chain only exists after download:
 *   - `key`:         { privateKey }                    staged AWSPENDING before finalize;
 *   - `certificate`: { privateKey, chainPem, facts }   written at promotion, then staged AWSCURRENT;
 *   - `restored`:    { privateKey, chainPem, facts }   a copy of an earlier certificate version made current as a NEW
 *                    revision (`promoteExisting`); its id also hashes the serial, so a restore never collides with
 *                    a `certificate` version a failed promotion of that revision may have left behind.
 *
 * Version ids ARE the ClientRequestTokens, derived from (certificate id, revision, kind), so writing the same thing
 * twice is the same version, and readable, so `DescribeSecret` alone tells which revision each stage holds (no key
 * is read to decide anything): `r0000000042-certificate-<24 hex of sha256(id, revision, kind)>` (32–64 chars, as
 * Secrets Manager requires).
 */
import { createHash } from 'node:crypto';
import type { CertificateFacts } from '@portcullis/core';

export const VersionKind = {
  /** The pending key of a revision, stored before the CSR is sent. */
  Key: 'key',
  /** Key and chain of a revision together: the version that becomes AWSCURRENT. */
  Certificate: 'certificate',
  /** An earlier certificate (key and chain) copied as a new revision by a restore. */
  Restored: 'restored',
} as const;
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind];

/** Secrets Manager's staging labels. */
export const Stage = {
  Pending: 'AWSPENDING',
  Current: 'AWSCURRENT',
  Previous: 'AWSPREVIOUS',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

const VERSION_ID = /^r(\d{10})-(key|certificate|restored)-[0-9a-f]{24}$/;

/** `serial` only for `restored` versions (which certificate was copied). */
export function versionIdFor(certificateId: string, revision: number, kind: VersionKind, serial?: string): string {
  const input = `${certificateId}\n${revision}\n${kind}${serial === undefined ? '' : `\n${serial}`}`;
  const digest = createHash('sha256').update(input).digest('hex').slice(0, 24);
  return `r${String(revision).padStart(10, '0')}-${kind}-${digest}`;
}

/** Revision and kind of a version id we wrote; undefined for any other version (written by someone else). */
export function parseVersionId(versionId: string): { revision: number; kind: VersionKind } | undefined {
  const match = VERSION_ID.exec(versionId);
  if (match === null) return undefined;
  return { revision: Number(match[1]), kind: match[2] as VersionKind };
}

/** The JSON stored in a version. `format` lets a later layout be told apart. */
export interface StoredVersion {
  readonly format: typeof VERSION_FORMAT;
  readonly certificateId: string;
  readonly revision: number;
  readonly privateKey: string;
  /** Only in `certificate` and `restored` versions. */
  readonly chainPem?: string;
  readonly facts?: CertificateFacts;
}

export const VERSION_FORMAT = 'portcullis.certificate/v1';

/** The parsed value, or undefined when it is not our JSON (the caller reports a corrupt secret). */
export function parseStoredVersion(secretString: string | undefined): StoredVersion | undefined {
  if (secretString === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.format !== VERSION_FORMAT || typeof v.privateKey !== 'string' || typeof v.revision !== 'number') {
    return undefined;
  }
  if (typeof v.certificateId !== 'string') return undefined;
  if (v.chainPem !== undefined && typeof v.chainPem !== 'string') return undefined;
  if (v.facts !== undefined && !isFacts(v.facts)) return undefined;
  return v as unknown as StoredVersion;
}

function isFacts(value: unknown): value is CertificateFacts {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.serial === 'string' &&
    Array.isArray(f.names) &&
    f.names.every((name) => typeof name === 'string') &&
    typeof f.notBefore === 'string' &&
    typeof f.notAfter === 'string'
  );
}
