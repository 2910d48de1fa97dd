/** Markdown of the lifecycle benchmark (stdout, pasted into docs/benchmarks.md). Pure formatting. */
import { formatCpuMs, formatRatio, formatSeconds } from '../issuance/report.js';
import { distributionOf } from '../issuance/stats.js';
import type { InventoryResult } from './inventory.js';
import type { LifecycleRun } from './lifecycle-run.js';

/** The obtainCertificate baseline, reduced to what the comparison needs. */
export interface BaselineSummary {
  readonly ok: number;
  readonly attempted: number;
  readonly wallMs: readonly number[];
  readonly totalWallMs: number;
  readonly clientCpuMs: number;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], leftAligned: number): string {
  const align = header.map((_, i) => (i < leftAligned ? '---' : '---:'));
  return [row(header), row(align), ...rows.map(row)].join('\n');
}

const int = (n: number) => n.toLocaleString('en-US');

/** Serverless form vs the waiting form: one row each, ratios to the baseline (>1 = slower / more). */
export function formatLifecycleTable(run: LifecycleRun, baseline: BaselineSummary | undefined): string {
  const readyMs = run.requests.flatMap((r) => (r.readyMs === undefined ? [] : [r.readyMs]));
  const ours = distributionOf(readyMs);
  const base = baseline === undefined ? undefined : distributionOf(baseline.wallMs);
  const ready = readyMs.length;
  const throughput = ready / (run.totalWallMs / 1000);
  const baseThroughput = baseline === undefined ? undefined : baseline.ok / (baseline.totalWallMs / 1000);
  const header = [
    'form',
    'Ready / N',
    'median s',
    'p90 s',
    'min s',
    'max s',
    'time to all-Ready s',
    'certs/s',
    'CPU ms/cert',
    'ACME orders',
    'median ÷ baseline',
    'all-Ready ÷ baseline',
    'certs/s ÷ baseline',
  ];
  const rows: string[][] = [
    [
      'serverless (API → SQS → reconcile)',
      `${ready} / ${run.requests.length}`,
      ours === undefined ? '–' : formatSeconds(ours.medianMs),
      ours === undefined ? '–' : formatSeconds(ours.p90Ms),
      ours === undefined ? '–' : formatSeconds(ours.minMs),
      ours === undefined ? '–' : formatSeconds(ours.maxMs),
      formatSeconds(run.totalWallMs),
      throughput.toFixed(2),
      formatCpuMs(run.clientCpuMs / run.requests.length),
      String(run.ordersMade),
      formatRatio(ours === undefined || base === undefined ? undefined : ours.medianMs / base.medianMs),
      formatRatio(baseline === undefined ? undefined : run.totalWallMs / baseline.totalWallMs),
      formatRatio(baseThroughput === undefined ? undefined : throughput / baseThroughput),
    ],
  ];
  if (baseline !== undefined && base !== undefined) {
    rows.push([
      'baseline: obtainCertificate',
      `${baseline.ok} / ${baseline.attempted}`,
      formatSeconds(base.medianMs),
      formatSeconds(base.p90Ms),
      formatSeconds(base.minMs),
      formatSeconds(base.maxMs),
      formatSeconds(baseline.totalWallMs),
      (baseThroughput as number).toFixed(2),
      formatCpuMs(baseline.clientCpuMs / baseline.attempted),
      String(baseline.attempted),
      '×1.00',
      '×1.00',
      '×1.00',
    ]);
  }
  return table(header, rows, 1);
}

/** Where the serverless run's time and calls went. */
export function formatLifecycleDetails(run: LifecycleRun): string {
  const api = distributionOf(run.requests.map((r) => r.apiMs));
  const statuses = new Map<number, number>();
  for (const r of run.requests) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const sortedReady = run.requests
    .flatMap((r) => (r.readyMs === undefined ? [] : [r.readyMs]))
    .sort((a, b) => a - b)
    .map(formatSeconds);
  return [
    `- API answers: ${[...statuses].map(([status, n]) => `${n} × ${status}`).join(', ')}; POST latency median ${api === undefined ? '–' : formatSeconds(api.medianMs)} s, max ${api === undefined ? '–' : formatSeconds(api.maxMs)} s`,
    `- Worker: ${run.worker.messages} messages (reconcile steps, ${(run.worker.messages / Math.max(1, run.requests.length)).toFixed(1)} per certificate) in ${run.worker.batches} batches, ${run.worker.failures} batch item failures, ${run.worker.emptyReceives} empty receives`,
    `- ACME orders made: ${run.ordersMade}; ACM imports: ${run.acmImports}; records read back Ready with a serial: ${run.readyWithSerial}`,
    `- Per-certificate POST → Ready, sorted (s): ${sortedReady.join(', ')}`,
  ].join('\n');
}

/** listDue (the plan) vs a filtered Scan, per inventory size. */
export function formatPlanningTable(results: readonly InventoryResult[]): string {
  const header = [
    'records',
    'due',
    'plan: items read',
    'plan: Query pages',
    'plan: median ms',
    'scan: items read',
    'scan: pages',
    'scan: median ms',
    'found (plan / scan)',
    'items read: scan ÷ plan',
    'time: scan ÷ plan',
  ];
  const rows = results.map((r) => [
    int(r.size),
    String(r.due),
    int(r.plan.itemsRead),
    String(r.plan.requests),
    r.plan.medianMs.toFixed(0),
    r.scan === undefined ? 'not run' : int(r.scan.itemsRead),
    r.scan === undefined ? '-' : String(r.scan.requests),
    r.scan === undefined ? '-' : r.scan.medianMs.toFixed(0),
    `${r.plan.found} / ${r.scan?.found ?? '-'}${r.planFoundExactlyTheDue ? '' : ' (plan missed or added ids!)'}`,
    formatRatio(r.scan === undefined || r.plan.itemsRead === 0 ? undefined : r.scan.itemsRead / r.plan.itemsRead),
    formatRatio(r.scan === undefined ? undefined : r.scan.medianMs / r.plan.medianMs),
  ]);
  return table(header, rows, 0);
}
