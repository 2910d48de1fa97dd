/**
 * What the API returns for a record and an event: an explicit projection (openapi.yaml `Certificate`, `Event`),
 * so internal lifecycle fields (claims, order URLs, presentation details) never leak into the contract.
 */
import type { LifecycleEvent } from '@portcullis/core';
import type { ApiCertificateRecord } from './dependencies.js';

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function certificateView(record: ApiCertificateRecord) {
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
    }),
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
