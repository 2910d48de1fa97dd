/**
 * What the API returns for a record and an event: an explicit projection (openapi.yaml `Certificate`, `Event`),
 * so internal lifecycle fields (claims, order URLs, presentation details) never leak into the contract.
 */
import type { AlertRecord, LifecycleEvent, Observation } from '@portcullis/core';
import type { ApiCertificateRecord } from './dependencies.js';

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * `observations` (the monitor's last look at every target and endpoint) only for `GET /certificates/{id}`:
 * listings and write answers stay lean (one extra read per certificate otherwise).
 */
export function certificateView(record: ApiCertificateRecord, observations?: readonly Observation[]) {
  const { spec, status } = record;
  const ready = status.conditions.find((condition) => condition.type === 'Ready')?.status ?? 'Unknown';
  return {
    id: record.id,
    tenant: spec.tenant,
    version: record.version,
    createdAt: record.createdAt,
    spec: defined({
      names: [...spec.names],
      keyType: spec.keyType,
      challenge: spec.challenge,
      issuer: spec.issuer,
      profile: spec.profile,
      targets: spec.targets.map((target) => ({ id: target.id, type: target.type, options: { ...target.options } })),
      renewal: spec.renewal === undefined ? undefined : { ...spec.renewal },
      endpoints: (spec.endpoints ?? []).map((endpoint) =>
        defined({ host: endpoint.host, port: endpoint.port, serverName: endpoint.serverName }),
      ),
      preferredChain: spec.preferredChain,
    }),
    status: defined({
      ready,
      conditions: status.conditions.map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionAt: c.lastTransitionAt,
      })),
      revision: status.revision,
      serial: status.serial,
      notBefore: status.notBefore,
      notAfter: status.notAfter,
      renewalAt: status.renewal?.at,
      renewalSource: status.renewal?.source,
      // The answer to the last restore request (`revision` when restored, `refused` with why otherwise).
      restore: status.restore === undefined ? undefined : defined({ ...status.restore }),
      phase: status.issuance?.phase,
      failures:
        status.failures === undefined
          ? undefined
          : {
              count: status.failures.count,
              backoffUntil: status.failures.backoffUntil,
              reason: status.failures.last.reason,
              message: status.failures.last.message,
            },
      deliveries: Object.fromEntries(
        Object.entries(status.deliveries).map(([id, d]) => [
          id,
          defined({
            state: d.state,
            revision: d.revision,
            serial: d.serial,
            location: d.location,
            deliveredAt: d.deliveredAt,
            message: d.message,
          }),
        ]),
      ),
    }),
    requests: defined({
      renewRequestedAt: record.renewRequestedAt,
      revoke: record.revokeRequest === undefined ? undefined : { ...record.revokeRequest },
      delete: record.deleteRequest === undefined ? undefined : { ...record.deleteRequest },
      restore: record.restoreRequest === undefined ? undefined : { ...record.restoreRequest },
    }),
    ...(observations === undefined ? {} : { observations: observations.map(observationView) }),
  };
}

export function eventView(event: LifecycleEvent) {
  return defined({
    id: event.id,
    type: event.type,
    at: event.at,
    revision: event.revision,
    reason: event.reason,
    message: event.message,
    serial: event.serial,
    notAfter: event.notAfter,
    targetId: event.targetId,
  });
}

/** openapi.yaml `Alert`: the stored record without its `version` (and nothing an adapter may add). */
export function alertView(record: AlertRecord) {
  return defined({
    key: record.key,
    kind: record.kind,
    severity: record.severity,
    state: record.state,
    certificateId: record.certificateId,
    tenant: record.tenant,
    subject: record.subject,
    names: [...record.names],
    location: record.location,
    threshold: record.threshold,
    summary: record.summary,
    details: { ...record.details },
    runbook: record.runbook,
    fingerprint: record.fingerprint,
    openedAt: record.openedAt,
    lastSeenAt: record.lastSeenAt,
    notifiedAt: record.notifiedAt,
    resolvedAt: record.resolvedAt,
  });
}

/** openapi.yaml `Observation`. */
export function observationView(observation: Observation) {
  return defined({
    location: observation.location,
    source: observation.source,
    observedAt: observation.observedAt,
    serial: observation.serial,
    notAfter: observation.notAfter,
    address: observation.address,
    error: observation.error,
  });
}
