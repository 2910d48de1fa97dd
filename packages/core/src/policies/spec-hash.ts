import { createHash } from 'node:crypto';
import type { CertificateSpec } from '../lifecycle/types.js';

/**
 * A short hash of the spec fields that shape the CERTIFICATE itself: the set of names (order-insensitive, but the
 * first name is kept apart because it becomes the CN), key type, profile and issuer. Stored in status when the
 * certificate is issued; a different hash later means `SpecChanged` → reissue. Targets, tenant, challenge type
 * and renewal policy are left out on purpose: changing them never needs a new certificate.
 */
export function specHash(spec: Pick<CertificateSpec, 'names' | 'keyType' | 'profile' | 'issuer'>): string {
  const canonical = JSON.stringify({
    cn: spec.names[0] ?? '',
    names: [...spec.names].sort(),
    keyType: spec.keyType,
    profile: spec.profile ?? '',
    issuer: spec.issuer,
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** A short hash of the sorted name set: the scope of the exact-set bucket (`example.test,www.example.test`). */
export function nameSetHash(names: readonly string[]): string {
  return createHash('sha256')
    .update([...names].sort().join(','))
    .digest('hex')
    .slice(0, 16);
}
