/**
 * `@portcullis/core/testing`: in-memory fakes of every lifecycle port, for unit tests and the conformance suites
 * (`test/conformance/*.suite.ts` run against them and against the real adapters). Not for production wiring.
 */

export { fixedRandom, ManualClock, SeededRandom } from './clock.js';
export { FakeAcmeClient, type FakeAcmeOptions } from './fake-acme.js';
export { FakeDnsProvider, FakeResolver, MemoryHttp01TokenStore } from './fake-dns.js';
export { FakeAcmInventory, FakeDeadLetterQueue, FakeEndpointProber, RecordingNotifier } from './fake-monitoring.js';
export { LifecycleWorld, type LifecycleWorldOptions } from './lifecycle-world.js';
export { MemoryAlertRepository, MemoryObservationStore } from './memory-alerts.js';
export { MemoryCertificateRepository, MemoryOrderRepository } from './memory-certificate-repository.js';
export { MemoryCertificateStore } from './memory-certificate-store.js';
export { MemoryEventLog, MemoryQueue, RecordingEventPublisher, RecordingMetrics } from './memory-events.js';
export { MemoryRateLimitLedger } from './memory-ledger.js';
export { MemoryTarget, MemoryTargetFactory } from './memory-target.js';
export { createTestMaterial, FakeKeyFactory, issueTestCertificate, serialOfPem } from './test-certificates.js';
