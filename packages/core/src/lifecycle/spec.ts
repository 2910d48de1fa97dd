/**
 * Structural checks of a stored spec before reconcile acts on it (the API validates requests in full, with zod;
 * this guards against records written by hand or by an older version). Throws `ValidationError` naming the field.
 */
import { ValidationError } from '../errors.js';
import { ChallengeType, KeyType } from '../ports/acme-client.js';
import { type CertificateSpec, TargetType } from './types.js';

const TARGET_ID = /^[a-z0-9-]{1,64}$/;

export function validateSpec(spec: CertificateSpec): void {
  if (!Array.isArray(spec.names) || spec.names.length === 0) {
    throw new ValidationError('spec.names', 'required', 'at least one name is required');
  }
  if (!Object.values(KeyType).includes(spec.keyType)) {
    throw new ValidationError(
      'spec.keyType',
      'enum',
      `"${spec.keyType}" is not one of ${Object.values(KeyType).join(', ')}`,
    );
  }
  if (!Object.values(ChallengeType).includes(spec.challenge)) {
    throw new ValidationError(
      'spec.challenge',
      'enum',
      `"${spec.challenge}" is not one of ${Object.values(ChallengeType).join(', ')}`,
    );
  }
  if (typeof spec.issuer !== 'string' || spec.issuer === '') {
    throw new ValidationError('spec.issuer', 'required', 'an issuer id is required');
  }
  const seen = new Set<string>();
  spec.targets.forEach((target, i) => {
    if (!TARGET_ID.test(target.id)) {
      throw new ValidationError(`spec.targets[${i}].id`, 'pattern', `"${target.id}" must match ${TARGET_ID.source}`);
    }
    if (seen.has(target.id))
      throw new ValidationError(`spec.targets[${i}].id`, 'unique', `"${target.id}" is listed twice`);
    seen.add(target.id);
    if (!Object.values(TargetType).includes(target.type)) {
      throw new ValidationError(
        `spec.targets[${i}].type`,
        'enum',
        `"${target.type}" is not one of ${Object.values(TargetType).join(', ')}`,
      );
    }
  });
}
