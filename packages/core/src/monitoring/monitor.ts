/**
 * The `monitor` schedule's use case: look at every place every certificate is deployed, evaluate the alert rules,
 * deduplicate against the open alerts and notify. Also lists ACM certificates Portcullis does not manage, the
 * dead-letter queue's depth and the rate-limit ledger, and records metrics (EMF in Lambda).
 *
 *   certificates.list (pages) ──▶ per certificate, ≤ concurrency at once:
 *       observe targets + probe endpoints ─▶ observations.put ─▶ rules ─▶ alerts found
 *   ACM inventory per region ─▶ unmanaged-expiring      DLQ depth ─▶ dlq-not-empty      ledger ─▶ headroom metrics
 *   alerts.list(open) ─▶ decideAlerts ─▶ notify, then write (publish.ts)
 *
 * Nothing a single place does can abort the run: each failure becomes an `errors` entry, and what could not be
 * looked at keeps its alerts exactly as stored (never resolved by absence of evidence).
 */
import { ValidationError } from '../errors.js';
import type { CertificateRecord } from '../lifecycle/types.js';
import { toIsoTime } from '../lifecycle/types.js';
import { ms } from '../policies/time.js';
import type { CertificateRepository } from '../ports/certificate-repository.js';
import type { Clock } from '../ports/clock.js';
import type { RateLimitLedger } from '../ports/ledger.js';
import type { MetricPoint, Metrics } from '../ports/metrics.js';
import type {
  AcmInventory,
  AlertRepository,
  DeadLetterQueue,
  EndpointProber,
  Notifier,
  ObservationStore,
} from '../ports/monitoring.js';
import type { TargetFactory } from '../ports/target.js';
import { deadLetterAlerts, unmanagedExpiringAlerts } from './account-rules.js';
import { budgetMetrics, headroomScopes } from './budget-metrics.js';
import { decideAlerts } from './dedup.js';
import { observeCertificate } from './observe.js';
import { type MonitorLog, mapConcurrent, publishAlertDecisions } from './publish.js';
import { evaluateCertificate } from './rules.js';
import { type Alert, AlertKind, type AlertRecord, DEFAULT_MONITOR_POLICY, type MonitorPolicy } from './types.js';

export interface MonitorDependencies {
  readonly certificates: CertificateRepository;
  readonly targets: TargetFactory;
  readonly alerts: AlertRepository;
  readonly observations: ObservationStore;
  readonly notifier: Notifier;
  readonly prober?: EndpointProber;
  readonly acm?: { readonly inventory: AcmInventory; readonly regions: readonly string[] };
  readonly deadLetterQueue?: DeadLetterQueue;
  readonly ledger?: RateLimitLedger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly policy?: MonitorPolicy;
  readonly log?: MonitorLog;
}

export interface MonitorOptions {
  /** Certificates per listing page (1..1000, default 100). */
  readonly pageSize?: number;
  /** Certificates observed at once (default 8). */
  readonly concurrency?: number;
  /** Called after each certificate; `total` is known only at the end. */
  readonly onProgress?: (done: number, total?: number) => void;
}

export interface MonitorResult {
  /** Certificates observed and evaluated (records being deleted are skipped). */
  readonly certificates: number;
  readonly observations: number;
  readonly opened: number;
  readonly changed: number;
  readonly resolved: number;
  /** Alerts open after the run. */
  readonly open: number;
  readonly notified: number;
  readonly errors: readonly string[];
}

const DAY_MS = 86_400_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkOptions(pageSize: number, concurrency: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new ValidationError('pageSize', 'range', `must be an integer from 1 to 1000, got ${pageSize}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError('concurrency', 'range', `must be a positive integer, got ${concurrency}`);
  }
}

/** What the run learnt, for `covers` (which stored alerts it may resolve) and the metrics. */
class RunState {
  readonly found: Alert[] = [];
  readonly errors: string[] = [];
  readonly points: MetricPoint[] = [];
  /** Per evaluated certificate: the locations it could not look at. */
  readonly evaluated = new Map<string, ReadonlySet<string>>();
  readonly failed = new Set<string>();
  readonly headroom = new Set<string>();
  readonly quotaScopes = new Set<string>();
  readonly failingReasons = new Map<string, number>();
  readonly listedRegions = new Set<string>();
  listingComplete = false;
  deadLetterSeen = false;
  certificates = 0;
  observations = 0;
  done = 0;

  countFailing(record: CertificateRecord): void {
    const add = (reason: string) => this.failingReasons.set(reason, (this.failingReasons.get(reason) ?? 0) + 1);
    if (record.status.failures !== undefined) add(record.status.failures.last.reason);
    for (const delivery of Object.values(record.status.deliveries))
      if (delivery.state === 'failed') add('DeliveryFailed');
  }
}

export async function runMonitor(deps: MonitorDependencies, options: MonitorOptions = {}): Promise<MonitorResult> {
  const pageSize = options.pageSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  checkOptions(pageSize, concurrency);
  const policy = deps.policy ?? DEFAULT_MONITOR_POLICY;
  const now = toIsoTime(deps.clock.now());
  const run = new RunState();

  const monitorCertificate = async (record: CertificateRecord) => {
    try {
      if (record.deleteRequest !== undefined) {
        // Being deleted: nothing to watch; its alerts resolve.
        run.evaluated.set(record.id, new Set());
        return;
      }
      const seen = await observeCertificate(deps, record, now);
      try {
        await deps.observations.put(record.id, seen.observations);
      } catch (error) {
        run.errors.push(`observation store: writing ${record.id} failed: ${messageOf(error)}`);
      }
      run.found.push(...evaluateCertificate({ record, observations: seen.observations, now, policy }));
      run.evaluated.set(record.id, new Set(seen.unobserved));
      run.certificates += 1;
      run.observations += seen.observations.length;
      run.countFailing(record);
      for (const scope of headroomScopes(record)) run.headroom.add(scope);
      for (const scope of seen.quotaScopes) run.quotaScopes.add(scope);
      const expiries = [record.status.notAfter, ...seen.observations.map((o) => o.notAfter)].filter(
        (t): t is string => t !== undefined,
      );
      if (expiries.length > 0) {
        const days = (Math.min(...expiries.map(ms)) - ms(now)) / DAY_MS;
        run.points.push({
          name: 'DaysToExpiry',
          value: Math.round(days * 100) / 100,
          unit: 'None',
          dimensions: { certificate: record.id },
        });
      }
    } catch (error) {
      run.failed.add(record.id);
      run.errors.push(`monitor: certificate ${record.id} failed: ${messageOf(error)}`);
    } finally {
      run.done += 1;
      options.onProgress?.(run.done);
    }
  };

  let cursor: string | undefined;
  try {
    do {
      const page = await deps.certificates.list({}, { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
      await mapConcurrent(page.items, concurrency, monitorCertificate);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    run.listingComplete = true;
  } catch (error) {
    run.errors.push(`certificate repository: listing failed: ${messageOf(error)}`);
  }
  options.onProgress?.(run.done, run.done);

  await Promise.all([lookAtAccount(deps, run, now, policy), lookAtLedger(deps, run, now, concurrency)]);

  const stored = await openAlerts(deps.alerts).catch((error: unknown) => {
    run.errors.push(`alert store: listing open alerts failed: ${messageOf(error)}`);
    return undefined;
  });
  let outcome = { opened: 0, changed: 0, resolved: 0, notified: 0, open: run.found.length };
  if (stored !== undefined) {
    const decisions = decideAlerts(run.found, stored, now, { covers: (r) => covers(deps, run, r) });
    const published = await publishAlertDecisions(deps, decisions, now, concurrency);
    run.errors.push(...published.errors);
    for (const [kind, count] of Object.entries(published.openByKind)) {
      run.points.push({ name: 'OpenAlerts', value: count, unit: 'Count', dimensions: { kind } });
    }
    outcome = { ...published, open: Object.values(published.openByKind).reduce((a, b) => a + b, 0) };
  }
  for (const [reason, count] of [...run.failingReasons].sort()) {
    run.points.push({ name: 'FailingRenewals', value: count, unit: 'Count', dimensions: { reason } });
  }
  for (const point of run.points) deps.metrics.record(point);

  const result: MonitorResult = {
    certificates: run.certificates,
    observations: run.observations,
    opened: outcome.opened,
    changed: outcome.changed,
    resolved: outcome.resolved,
    open: outcome.open,
    notified: outcome.notified,
    errors: run.errors,
  };
  deps.log?.({
    level: run.errors.length === 0 ? 'info' : 'warn',
    message: 'monitor run finished',
    ...result,
    errors: run.errors.length,
  });
  return result;
}

/** Unmanaged ACM certificates per region and the dead-letter queue. */
async function lookAtAccount(deps: MonitorDependencies, run: RunState, now: string, policy: MonitorPolicy) {
  const acm = deps.acm;
  const regions =
    acm === undefined
      ? []
      : acm.regions.map(async (region) => {
          try {
            run.found.push(...unmanagedExpiringAlerts(await acm.inventory.list(region), now, policy));
            run.listedRegions.add(region);
          } catch (error) {
            run.errors.push(`acm inventory: ${region}: ${messageOf(error)}`);
          }
        });
  const queue = deps.deadLetterQueue;
  const deadLetters = async () => {
    if (queue === undefined) return;
    try {
      const depth = await queue.depth();
      run.points.push({ name: 'DeadLetterMessages', value: depth, unit: 'Count' });
      run.found.push(...deadLetterAlerts(queue.name, depth));
      run.deadLetterSeen = true;
    } catch (error) {
      run.errors.push(`dead-letter queue ${queue.name}: ${messageOf(error)}`);
    }
  };
  await Promise.all([...regions, deadLetters()]);
}

async function lookAtLedger(deps: MonitorDependencies, run: RunState, now: string, concurrency: number) {
  if (deps.ledger === undefined) return;
  const quotaScopes = [...run.quotaScopes, ...(deps.acm?.regions ?? []).map((r) => `acm:${r}`)];
  const { points, errors } = await budgetMetrics(deps.ledger, {
    headroom: run.headroom,
    quotaScopes,
    now,
    concurrency,
  });
  run.points.push(...points);
  run.errors.push(...errors);
}

/** Every open alert, all pages. */
async function openAlerts(alerts: AlertRepository): Promise<AlertRecord[]> {
  const all: AlertRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await alerts.list({ state: 'open' }, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

/** Whether this run looked at what `record` is about, so that not finding it again means it is over. */
function covers(deps: MonitorDependencies, run: RunState, record: AlertRecord): boolean {
  if (record.kind === AlertKind.UnmanagedExpiring) {
    return record.details.region !== undefined && run.listedRegions.has(record.details.region);
  }
  if (record.kind === AlertKind.DeadLetterQueueNotEmpty) {
    return run.deadLetterSeen && record.subject === deps.deadLetterQueue?.name;
  }
  const id = record.certificateId;
  if (id === undefined || run.failed.has(id)) return false;
  const unobserved = run.evaluated.get(id);
  // Not listed although the listing completed: the certificate is gone.
  if (unobserved === undefined) return run.listingComplete;
  const placeBound = record.kind === AlertKind.Expiring || record.kind === AlertKind.Drift;
  return !(placeBound && record.location !== undefined && unobserved.has(record.location));
}
