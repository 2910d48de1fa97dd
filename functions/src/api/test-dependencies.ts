/**
 * Unit-test support: `ApiDependencies` over the in-memory fakes of `@portcullis/core/testing` (records, events,
 * queue, alerts, observations) with a manual clock. The resolver and the idempotency store are left out: no unit
 * test reaches pre-flight or sends an Idempotency-Key (test/api covers both against real servers).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  ManualClock,
  MemoryAlertRepository,
  MemoryCertificateRepository,
  MemoryCertificateStore,
  MemoryEventLog,
  MemoryObservationStore,
  MemoryQueue,
} from '@portcullis/core/testing';
import type { ApiDependencies } from './dependencies.js';
import type { Caller } from './tenants.js';
import { TenantDirectory } from './tenants.js';

export const unitTenants = {
  tenants: [
    { id: 'acme', zones: ['example.test'], principals: ['111111111111'] },
    { id: 'globex', zones: ['globex.test'], principals: ['222222222222'] },
    { id: 'platform', zones: ['platform.test'], principals: ['333333333333'], operator: true },
  ],
};

export const callerOf = (tenant: string): Caller => ({
  tenant,
  principal: `arn:aws:iam::111111111111:role/${tenant}`,
  accountId: '111111111111',
});

export interface UnitApi {
  readonly deps: ApiDependencies;
  readonly certificates: MemoryCertificateRepository;
  readonly queue: MemoryQueue;
  readonly alerts: MemoryAlertRepository;
  readonly observations: MemoryObservationStore;
  readonly clock: ManualClock;
}

export function unitApi(): UnitApi {
  const certificates = new MemoryCertificateRepository();
  const queue = new MemoryQueue();
  const alerts = new MemoryAlertRepository();
  const observations = new MemoryObservationStore();
  const clock = new ManualClock(new Date('2026-06-01T12:00:00Z'));
  let sequence = 0;
  const deps: ApiDependencies = {
    certificates,
    events: new MemoryEventLog(),
    queue,
    alerts,
    observations,
    store: new MemoryCertificateStore(),
    resolver: {} as ApiDependencies['resolver'],
    tenants: new TenantDirectory(unitTenants),
    clock,
    newId: () => `cert-${++sequence}`,
    logger: new Logger({ serviceName: 'portcullis-api-test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Portcullis', serviceName: 'portcullis-api-test' }),
    defaultIssuer: 'letsencrypt',
    issuers: ['letsencrypt', 'zerossl'],
    caIdentities: ['letsencrypt.org'],
  };
  return { deps, certificates, queue, alerts, observations, clock };
}
