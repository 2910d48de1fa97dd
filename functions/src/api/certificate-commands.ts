/**
 * Use cases that change a certificate: request, renew now, revoke, delete. Each writes only `spec` or a request
 * marker (never `status`: reconcile is its only writer), with the repository's conditional writes, then enqueues
 * the id for reconcile. Markers also pull `nextWakeAt` to now, so a lost queue message is found by the planner's
 * due index — which is why an enqueue failure after a successful write is logged and not turned into a 5xx (a 5xx
 * would invite a retry that, for a create, makes a second certificate).
 */
import {
  type CertificateSpec,
  ChallengeType,
  ConflictError,
  type EndpointSpec,
  KeyType,
  LifecycleEventType,
  newCertificateRecord,
  toIsoTime,
  ValidationError,
  validateSpec,
} from '@portcullis/core';
import type {
  ApiCertificateRecord,
  ApiDependencies,
  CertificateRequests,
  RevocationReasonName,
} from './dependencies.js';
import { ApiError, ApiErrorCode, invalidRequest } from './errors.js';
import { ownedIdentifiers } from './request-names.js';
import type { CreateCertificateBody } from './schemas.js';
import type { Caller } from './tenants.js';

/** Re-reads and re-applies a marker this many times when reconcile wrote the record in between. */
const UPDATE_ATTEMPTS = 3;

export async function enqueue(deps: ApiDependencies, id: string): Promise<void> {
  try {
    await deps.queue.send(id, 0);
  } catch (error) {
    deps.logger.warn('enqueue failed; the planner will pick the certificate up from the due index', {
      certificateId: id,
      error: error as Error,
    });
  }
}

/** 400 naming `issuer` and the configured ids when the worker has no ACME account for `issuer`. */
export function requireKnownIssuer(deps: ApiDependencies, issuer: string): void {
  if (deps.issuers.includes(issuer)) return;
  throw invalidRequest([
    {
      field: 'issuer',
      rule: 'known-issuer',
      message: `"${issuer}" is not configured; use one of ${deps.issuers.join(', ')}`,
    },
  ]);
}

/** The stored form of request endpoints: host lower-cased (names are case-insensitive; the alert key uses it). */
export function endpointsOf(endpoints: NonNullable<CreateCertificateBody['endpoints']>): EndpointSpec[] {
  return endpoints.map((endpoint) => ({
    host: endpoint.host.toLowerCase(),
    port: endpoint.port,
    ...(endpoint.serverName === undefined ? {} : { serverName: endpoint.serverName.toLowerCase() }),
  }));
}

/** Core's `validateSpec`, its errors re-addressed to the request field (`spec.endpoints[1]` → `endpoints[1]`). */
export function validateRequestSpec(spec: CertificateSpec): void {
  try {
    validateSpec(spec);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.field.startsWith('spec.') ? error.field.slice('spec.'.length) : error.field;
    throw invalidRequest([{ field, rule: error.rule, message: error.message.replace(`${error.field}: `, '') }]);
  }
}

export async function requestCertificate(
  deps: ApiDependencies,
  caller: Caller,
  body: CreateCertificateBody,
): Promise<ApiCertificateRecord> {
  const challenge = body.challenge ?? ChallengeType.Dns01;
  const identifiers = ownedIdentifiers(
    deps.tenants,
    caller.tenant,
    body.names,
    challenge,
    (index) => `names[${index}]`,
    'names',
  );
  const issuer = body.issuer ?? deps.defaultIssuer;
  requireKnownIssuer(deps, issuer);
  const spec: CertificateSpec = {
    names: identifiers.map((identifier) => identifier.value),
    keyType: body.keyType ?? KeyType.EcP256,
    issuer,
    challenge,
    targets: (body.targets ?? []).map((target) => ({
      id: target.id,
      type: target.type,
      options: target.options ?? {},
    })),
    tenant: caller.tenant,
    ...(body.profile === undefined ? {} : { profile: body.profile }),
    ...(body.renewal === undefined ? {} : { renewal: { renewBeforeSeconds: body.renewal.renewBeforeSeconds } }),
    ...(body.endpoints === undefined || body.endpoints.length === 0 ? {} : { endpoints: endpointsOf(body.endpoints) }),
    ...(body.preferredChain === undefined ? {} : { preferredChain: body.preferredChain }),
  };
  validateRequestSpec(spec);
  const now = toIsoTime(deps.clock.now());
  const record = newCertificateRecord(deps.newId(), spec, now);
  await deps.certificates.create(record);
  await deps.events.append({
    id: `${record.id}/0.0/${LifecycleEventType.Requested}`,
    certificateId: record.id,
    type: LifecycleEventType.Requested,
    at: now,
    revision: 0,
    reason: 'Requested',
    message: `requested through the API by ${caller.principal}`,
    tenant: caller.tenant,
  });
  await enqueue(deps, record.id);
  return record;
}

/** The caller's certificate, or 404 (a foreign certificate is reported exactly like an absent one). */
export async function ownCertificate(deps: ApiDependencies, caller: Caller, id: string): Promise<ApiCertificateRecord> {
  const record: ApiCertificateRecord | undefined = await deps.certificates.get(id);
  if (record === undefined || record.spec.tenant !== caller.tenant) {
    throw new ApiError(ApiErrorCode.NotFound, 404, `certificate ${id} does not exist`, [
      { field: 'path.id', rule: 'exists', message: `no certificate ${id} for tenant ${caller.tenant}` },
    ]);
  }
  return record;
}

function conflict(message: string, field: string, rule: string): ApiError {
  return new ApiError(ApiErrorCode.Conflict, 409, message, [{ field, rule, message }]);
}

/**
 * Read, apply `change` (which may refuse, or return the record unchanged when the request is already recorded),
 * write conditionally; a lost condition (reconcile wrote meanwhile) re-reads and re-applies.
 */
export async function markCertificate(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
  change: (
    record: ApiCertificateRecord,
    now: string,
  ) => CertificateRequests & Pick<ApiCertificateRecord, 'restoreRequest'> & { renewRequestedAt?: string },
): Promise<ApiCertificateRecord> {
  for (let attempt = 1; ; attempt++) {
    const record = await ownCertificate(deps, caller, id);
    const now = toIsoTime(deps.clock.now());
    const markers = change(record, now);
    if (Object.keys(markers).length === 0) return record;
    const wake = record.nextWakeAt === undefined || record.nextWakeAt > now ? now : record.nextWakeAt;
    const next: ApiCertificateRecord = { ...record, ...markers, nextWakeAt: wake };
    try {
      const written = await deps.certificates.update(next);
      await enqueue(deps, id);
      return written;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= UPDATE_ATTEMPTS) throw error;
    }
  }
}

export function refuseWhenDeleting(record: ApiCertificateRecord): void {
  if (record.deleteRequest !== undefined) {
    throw conflict(`certificate ${record.id} is being deleted`, 'path.id', 'not-deleting');
  }
}

export function requestRenewal(deps: ApiDependencies, caller: Caller, id: string): Promise<ApiCertificateRecord> {
  return markCertificate(deps, caller, id, (record, now) => {
    refuseWhenDeleting(record);
    return { renewRequestedAt: now };
  });
}

export function requestRevocation(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
  reason: RevocationReasonName,
): Promise<ApiCertificateRecord> {
  return markCertificate(deps, caller, id, (record, now) => {
    refuseWhenDeleting(record);
    // A request already carried out for an earlier certificate does not stand in the way of revoking the one that
    // replaced it (a renewed certificate whose key leaked again): it becomes a new request.
    const answered =
      record.revokeRequest !== undefined && record.status.revocation?.requestedAt === record.revokeRequest.at;
    const earlier =
      answered && record.status.revocation?.serial !== record.status.serial ? undefined : record.revokeRequest;
    if (earlier !== undefined && earlier.reason !== reason) {
      throw conflict(`revocation was already requested with reason ${earlier.reason}`, 'reason', 'same-reason');
    }
    return earlier === undefined ? { revokeRequest: { at: now, reason, by: caller.principal } } : {};
  });
}

export function requestDeletion(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
  revoke: boolean,
  reason: RevocationReasonName | undefined,
): Promise<ApiCertificateRecord> {
  return markCertificate(deps, caller, id, (record, now) => {
    const earlier = record.deleteRequest;
    if (earlier !== undefined) {
      if (earlier.revoke !== revoke) {
        throw conflict(`deletion was already requested with revoke=${earlier.revoke}`, 'query.revoke', 'same-request');
      }
      return {};
    }
    return {
      deleteRequest: { at: now, revoke, by: caller.principal, ...(reason === undefined ? {} : { reason }) },
    };
  });
}
