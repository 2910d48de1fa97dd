/**
 * A whole lifecycle on fakes: every port of `reconcile` wired to an in-memory fake, a manual clock, and a driver
 * that runs reconcile the way the queue would (advancing the clock by each requeue delay). For unit tests of the
 * lifecycle and, next, of the worker/API handlers.
 */
import type { ReconcileDependencies, ReconcileLogEntry, ReconcileOptions } from '../lifecycle/dependencies.js';
import { type ReconcileResult, reconcile } from '../lifecycle/reconcile.js';
import { type CertificateRecord, type CertificateSpec, newCertificateRecord, toIsoTime } from '../lifecycle/types.js';
import type { LifecycleEventType } from '../ports/events.js';
import type { Issuer } from '../ports/issuer-directory.js';
import { ManualClock, SeededRandom } from './clock.js';
import { FakeAcmeClient, type FakeAcmeOptions } from './fake-acme.js';
import { FakeDnsProvider, FakeResolver, MemoryHttp01TokenStore } from './fake-dns.js';
import { MemoryCertificateRepository, MemoryOrderRepository } from './memory-certificate-repository.js';
import { MemoryCertificateStore } from './memory-certificate-store.js';
import { MemoryEventLog, RecordingEventPublisher, RecordingMetrics } from './memory-events.js';
import { MemoryRateLimitLedger } from './memory-ledger.js';
import { MemoryTargetFactory } from './memory-target.js';
import { FakeKeyFactory } from './test-certificates.js';

export interface LifecycleWorldOptions {
  readonly start?: string;
  readonly acme?: Partial<Omit<FakeAcmeOptions, 'clock'>>;
  readonly resolver?: ConstructorParameters<typeof FakeResolver>[1];
  readonly issuer?: Partial<Omit<Issuer, 'acme'>>;
  readonly options?: ReconcileOptions;
}

export class LifecycleWorld {
  readonly clock: ManualClock;
  readonly certificates = new MemoryCertificateRepository();
  readonly orders = new MemoryOrderRepository();
  readonly ledger = new MemoryRateLimitLedger();
  readonly events = new MemoryEventLog();
  readonly publisher = new RecordingEventPublisher();
  readonly metrics = new RecordingMetrics();
  readonly store = new MemoryCertificateStore();
  readonly keys = new FakeKeyFactory();
  readonly targets = new MemoryTargetFactory();
  readonly dns = new FakeDnsProvider();
  readonly resolver: FakeResolver;
  readonly http01 = new MemoryHttp01TokenStore();
  readonly acme: FakeAcmeClient;
  readonly issuer: Issuer;
  readonly logs: ReconcileLogEntry[] = [];
  readonly deps: ReconcileDependencies;

  constructor(options: LifecycleWorldOptions = {}) {
    this.clock = new ManualClock(options.start ?? '2026-06-01T00:00:00Z');
    this.resolver = new FakeResolver(this.dns, options.resolver);
    this.acme = new FakeAcmeClient({
      clock: this.clock,
      txtLookup: (fqdn) => this.dns.lookup(fqdn),
      httpLookup: (token) => this.http01.tokens.get(token),
      cname: (fqdn) => this.resolver.target(fqdn),
      ...options.acme,
    });
    this.issuer = {
      id: 'letsencrypt',
      caaIdentities: ['letsencrypt.org'],
      letsEncryptLimits: true,
      ...options.issuer,
      acme: this.acme,
    };
    this.deps = {
      certificates: this.certificates,
      orders: this.orders,
      ledger: this.ledger,
      events: this.events,
      publisher: this.publisher,
      metrics: this.metrics,
      store: this.store,
      issuers: { get: (id) => (id === this.issuer.id ? this.issuer : undefined) },
      keys: this.keys,
      targets: this.targets,
      dns: { provider: this.dns, resolver: this.resolver },
      http01: this.http01,
      clock: this.clock,
      random: new SeededRandom(7),
      log: (entry) => this.logs.push(entry),
      ...(options.options === undefined ? {} : { options: options.options }),
    };
  }

  /** Creates a certificate record as the API would. */
  async request(id: string, spec: Partial<CertificateSpec> = {}): Promise<CertificateRecord> {
    const record = newCertificateRecord(
      id,
      {
        names: ['example.test', '*.example.test'],
        keyType: 'ec-p256',
        issuer: this.issuer.id,
        challenge: 'dns-01',
        targets: [{ id: 'acm', type: 'acm', options: { region: 'eu-west-1' } }],
        tenant: 'tenant-a',
        ...spec,
      },
      toIsoTime(this.clock.now()),
    );
    await this.certificates.create(record);
    return record;
  }

  async record(id: string): Promise<CertificateRecord> {
    const record = await this.certificates.get(id);
    if (record === undefined) throw new Error(`test: no record ${id}`);
    return record;
  }

  /** One reconcile call, as one queue message. */
  reconcile(id: string): Promise<ReconcileResult> {
    return reconcile(id, this.deps);
  }

  /**
   * Delivers messages like the queue: reconcile, wait the requeue delay on the clock, repeat — until reconcile asks
   * for no requeue (settled; the planner would wake it at `nextWakeAt`), `until` says stop, or an event of type
   * `untilEvent` was emitted. Returns every result.
   */
  async run(
    id: string,
    options: { maxSteps?: number; until?: (r: ReconcileResult) => boolean; untilEvent?: LifecycleEventType } = {},
  ): Promise<ReconcileResult[]> {
    const results: ReconcileResult[] = [];
    for (let i = 0; i < (options.maxSteps ?? 200); i++) {
      const eventsBefore = this.events.all().length;
      const result = await this.reconcile(id);
      results.push(result);
      const emitted = this.events
        .all()
        .slice(eventsBefore)
        .some((e) => e.type === options.untilEvent);
      if (emitted || options.until?.(result) === true || result.requeueAfterSeconds === undefined) return results;
      this.clock.advance(result.requeueAfterSeconds);
    }
    throw new Error(`test: ${id} did not settle within ${options.maxSteps ?? 200} reconcile calls`);
  }

  /** Moves the clock to the record's `nextWakeAt` (what the planner would do) and runs until settled. */
  async wakeAndRun(id: string): Promise<ReconcileResult[]> {
    const { nextWakeAt } = await this.record(id);
    if (nextWakeAt !== undefined && Date.parse(nextWakeAt) > this.clock.now().getTime()) this.clock.set(nextWakeAt);
    return this.run(id);
  }
}
