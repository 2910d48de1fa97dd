/**
 * Would ACM refuse to re-import `next` over `current` on the same ARN? Decided BEFORE calling ACM, so a refused
 * re-import never costs a call, a quota unit or a half-done rotation: the target imports a new ARN instead and
 * keeps the old one on record for the operator (its associations — ALB, CloudFront — must be moved by hand).
 *
 * ACM's rules (facts.md, "AWS Certificate Manager"): on re-import the key type and size may not change, and no
 * existing key usage or extended key usage may be removed — except the ClientAuth EKU (CAs are dropping it) and
 * keyEncipherment on an ECDSA key (meaningless there). Names may change. An RSA `classic` certificate carries
 * keyEncipherment and an RSA `tlsserver` one does not, so that profile switch needs a new ARN.
 *
 * A chain of small pure checks, first violation wins (style.md).
 */
import type { KeyProfile } from './key-profile.js';

export const ReimportRefusal = {
  /** RSA ↔ ECDSA: ACM keeps the key algorithm of an ARN for its whole life. */
  KeyAlgorithmChanged: 'KeyAlgorithmChanged',
  /** Same algorithm, other size or curve (RSA 2048 → 3072, P-256 → P-384): refused like an algorithm change. */
  KeySizeChanged: 'KeySizeChanged',
  /** A Key Usage of the imported certificate is absent from the new one (e.g. RSA keyEncipherment, classic → tlsserver). */
  KeyUsageRemoved: 'KeyUsageRemoved',
  /** An Extended Key Usage other than ClientAuth is absent from the new certificate. */
  ExtendedKeyUsageRemoved: 'ExtendedKeyUsageRemoved',
} as const;
export type ReimportRefusal = (typeof ReimportRefusal)[keyof typeof ReimportRefusal];

export interface ReimportViolation {
  readonly reason: ReimportRefusal;
  /** One sentence for the delivery record and the operator. */
  readonly message: string;
}

type ReimportCheck = (current: KeyProfile, next: KeyProfile) => ReimportViolation | undefined;

/** Removing these is accepted by ACM (facts.md). */
const REMOVABLE_EXTENDED_KEY_USAGES = new Set(['clientAuth']);

function keyName(profile: KeyProfile): string {
  return profile.algorithm === 'rsa' ? `RSA ${profile.size}` : `ECDSA P-${profile.size}`;
}

const keyAlgorithmKept: ReimportCheck = (current, next) =>
  current.algorithm === next.algorithm
    ? undefined
    : {
        reason: ReimportRefusal.KeyAlgorithmChanged,
        message: `the key changes from ${keyName(current)} to ${keyName(next)}; ACM refuses another key algorithm on re-import`,
      };

const keySizeKept: ReimportCheck = (current, next) =>
  current.size === next.size
    ? undefined
    : {
        reason: ReimportRefusal.KeySizeChanged,
        message: `the key changes from ${keyName(current)} to ${keyName(next)}; ACM refuses another key size on re-import`,
      };

const keyUsagesKept: ReimportCheck = (current, next) => {
  const removed = current.keyUsages.filter(
    (usage) => !next.keyUsages.includes(usage) && !(usage === 'keyEncipherment' && current.algorithm === 'ec'),
  );
  return removed.length === 0
    ? undefined
    : {
        reason: ReimportRefusal.KeyUsageRemoved,
        message: `the new certificate lacks the key usage ${removed.join(', ')} of the imported one; ACM refuses removing key usages on re-import`,
      };
};

const extendedKeyUsagesKept: ReimportCheck = (current, next) => {
  const removed = current.extendedKeyUsages.filter(
    (usage) => !next.extendedKeyUsages.includes(usage) && !REMOVABLE_EXTENDED_KEY_USAGES.has(usage),
  );
  return removed.length === 0
    ? undefined
    : {
        reason: ReimportRefusal.ExtendedKeyUsageRemoved,
        message: `the new certificate lacks the extended key usage ${removed.join(', ')} of the imported one; ACM refuses removing it on re-import`,
      };
};

/** In order: the algorithm message is clearer than the size one, and both explain a usage difference too. */
export const reimportChecks: readonly ReimportCheck[] = [
  keyAlgorithmKept,
  keySizeKept,
  keyUsagesKept,
  extendedKeyUsagesKept,
];

/** The first reason ACM would refuse the re-import, or undefined when re-importing on the same ARN is fine. */
export function checkReimport(current: KeyProfile, next: KeyProfile): ReimportViolation | undefined {
  for (const check of reimportChecks) {
    const violation = check(current, next);
    if (violation !== undefined) return violation;
  }
  return undefined;
}
