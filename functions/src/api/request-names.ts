/**
 * Names of a request through core's `normalizeIdentifiers` (lower case, punycode, wildcard and IP rules), with
 * each error re-addressed to the request field (`names[2]`) the caller sent, then the tenant's zone check (403).
 */
import { type AcmeIdentifier, type ChallengeType, normalizeIdentifiers, ValidationError } from '@portcullis/core';
import { invalidRequest } from './errors.js';
import type { TenantDirectory } from './tenants.js';

export function normalizeRequestNames(
  names: readonly string[],
  challenge: ChallengeType,
  field: (index: number) => string,
  listField: string,
): AcmeIdentifier[] {
  try {
    return normalizeIdentifiers(names, { challenge });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Core names the field by the name as given (or `names` for the list itself); the API names the position.
    const index = names.lastIndexOf(error.field);
    const where = error.field === 'names' || index < 0 ? listField : field(index);
    throw invalidRequest([{ field: where, rule: error.rule, message: error.message }]);
  }
}

/** Normalizes and checks that every name lies in a zone of the caller's tenant. */
export function ownedIdentifiers(
  tenants: TenantDirectory,
  tenant: string,
  names: readonly string[],
  challenge: ChallengeType,
  field: (index: number) => string,
  listField: string,
): AcmeIdentifier[] {
  const identifiers = normalizeRequestNames(names, challenge, field, listField);
  tenants.requireOwned(tenant, identifiers, field);
  return identifiers;
}
