/**
 * `PATCH /certificates/{id}`: changes a certificate's spec with JSON merge-patch semantics (RFC 7396) — an absent
 * field keeps its value, `null` clears an optional one. The names and the tenant never change (a certificate IS its
 * names: ask for a new one instead), nor does the challenge type (the names were checked against it).
 *
 * Written like the request markers (certificate-commands.ts): conditional update, re-read and re-applied when
 * reconcile wrote in between, refused while a deletion is pending. What happens next depends on what changed:
 * - the certificate's shape (issuer, key type, profile: `specHash`) → reconcile reissues (`SpecChanged`);
 * - targets, renewal policy, preferred chain → reconcile delivers / re-plans;
 * both wake the record now (`nextWakeAt`) and enqueue it. Endpoints only concern the monitor: an endpoints-only
 * change is written without waking anything.
 */
import { type CertificateSpec, ConflictError, specHash, toIsoTime } from '@portcullis/core';
import {
  endpointsOf,
  enqueue,
  ownCertificate,
  refuseWhenDeleting,
  requireKnownIssuer,
  validateRequestSpec,
} from './certificate-commands.js';
import type { ApiCertificateRecord, ApiDependencies } from './dependencies.js';
import { type FieldProblem, invalidRequest } from './errors.js';
import type { UpdateCertificateBody } from './schemas.js';
import type { Caller } from './tenants.js';

/** Re-reads and re-applies the patch this many times when reconcile wrote the record in between. */
const UPDATE_ATTEMPTS = 3;

/** Fields of the spec a patch may not touch, and why (shown to the caller). */
export const IMMUTABLE_FIELDS: Readonly<Record<string, string>> = {
  names: 'the names of a certificate never change: request a new certificate (POST /certificates) instead',
  tenant: 'a certificate belongs to the tenant that requested it',
  challenge: 'the challenge type the names were checked against cannot change: request a new certificate instead',
};

/** 400 for every immutable field present in a patch body (checked before the schema, so the rule is specific). */
export function refuseImmutableFields(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const problems: FieldProblem[] = Object.keys(body)
    .filter((field) => Object.hasOwn(IMMUTABLE_FIELDS, field))
    .map((field) => ({ field, rule: 'immutable', message: IMMUTABLE_FIELDS[field] as string }));
  if (problems.length > 0) throw invalidRequest(problems);
}

/** The spec after the patch (merge-patch: undefined keeps, null clears). */
export function patchSpec(spec: CertificateSpec, patch: UpdateCertificateBody): CertificateSpec {
  const { profile, renewal, endpoints, preferredChain, ...rest } = spec;
  const keep = <T>(change: T | null | undefined, current: T | undefined): T | undefined =>
    change === undefined ? current : change === null ? undefined : change;
  const nextProfile = keep(patch.profile, profile);
  const nextRenewal = keep(patch.renewal, renewal);
  const patchedEndpoints =
    patch.endpoints === undefined || patch.endpoints === null ? patch.endpoints : endpointsOf(patch.endpoints);
  const nextEndpoints = keep(patchedEndpoints, endpoints);
  const nextChain = keep(patch.preferredChain, preferredChain);
  return {
    ...rest,
    ...(patch.issuer === undefined ? {} : { issuer: patch.issuer }),
    ...(patch.keyType === undefined ? {} : { keyType: patch.keyType }),
    ...(patch.targets === undefined
      ? {}
      : { targets: patch.targets.map((t) => ({ id: t.id, type: t.type, options: t.options ?? {} })) }),
    ...(nextProfile === undefined ? {} : { profile: nextProfile }),
    ...(nextRenewal === undefined ? {} : { renewal: { ...nextRenewal } }),
    ...(nextEndpoints === undefined || nextEndpoints.length === 0 ? {} : { endpoints: nextEndpoints }),
    ...(nextChain === undefined ? {} : { preferredChain: nextChain }),
  };
}

/** Deterministic JSON (sorted keys) to tell whether a patch changed anything. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** Whether reconcile must look at the record after this change (everything but endpoints concerns it). */
function concernsReconcile(before: CertificateSpec, after: CertificateSpec): boolean {
  const { endpoints: _before, ...restBefore } = before;
  const { endpoints: _after, ...restAfter } = after;
  return canonical(restBefore) !== canonical(restAfter);
}

export async function updateCertificate(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
  patch: UpdateCertificateBody,
): Promise<ApiCertificateRecord> {
  if (patch.issuer !== undefined) requireKnownIssuer(deps, patch.issuer);
  for (let attempt = 1; ; attempt++) {
    const record = await ownCertificate(deps, caller, id);
    refuseWhenDeleting(record);
    const spec = patchSpec(record.spec, patch);
    if (canonical(spec) === canonical(record.spec)) return record;
    validateRequestSpec(spec);
    const now = toIsoTime(deps.clock.now());
    const wake = concernsReconcile(record.spec, spec);
    const reshaped = specHash(spec) !== specHash(record.spec);
    const nextWakeAt = wake && (record.nextWakeAt === undefined || record.nextWakeAt > now) ? now : record.nextWakeAt;
    const next: ApiCertificateRecord = {
      ...record,
      spec,
      ...(nextWakeAt === undefined ? {} : { nextWakeAt }),
    };
    try {
      const written = await deps.certificates.update(next);
      deps.logger.info('certificate spec updated', {
        certificateId: id,
        fields: Object.keys(patch),
        reshaped,
        by: caller.principal,
      });
      if (wake) await enqueue(deps, id);
      return written;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= UPDATE_ATTEMPTS) throw error;
    }
  }
}
