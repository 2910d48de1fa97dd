/** Markdown tables of the issuance benchmark (stdout and docs/benchmarks.md). Pure formatting. */
import type { BenchOptions } from './options.js';
import { legoRoute53MinimumCalls, type Route53OrderCount, route53Columns } from './route53-model.js';
import { type Ratios, ratiosToPortcullis, type ToolRun, type ToolSummary } from './stats.js';

/** Seconds with 3 decimals below 1 s, 2 above: 0.152 s, 5.71 s. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return seconds < 1 ? seconds.toFixed(3) : seconds.toFixed(2);
}

/** CPU in milliseconds: one decimal below 10 ms. */
export function formatCpuMs(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return ms < 10 ? ms.toFixed(1) : ms.toFixed(0);
}

/** A ratio to Portcullis: ×0.05, ×1.20, ×12.3, ×140. */
export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 100) return `×${value.toFixed(0)}`;
  if (value >= 10) return `×${value.toFixed(1)}`;
  return `×${value.toFixed(2)}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: number): string {
  const align = header.map((_, i) => (i < rightAligned ? '---' : '---:'));
  return [row(header), row(align), ...rows.map(row)].join('\n');
}

/** The side-by-side table: one row per tool, ratios relative to Portcullis. */
export function formatIssuanceTable(summaries: readonly ToolSummary[]): string {
  const header = [
    'tool',
    'ok / N',
    'median s',
    'p90 s',
    'min s',
    'max s',
    'total s',
    'certs/s',
    'client CPU ms/cert',
    'pebble+bind9 CPU ms/cert',
    'median ÷ ours',
    'certs/s ÷ ours',
    'CPU ÷ ours',
  ];
  const rows = summaries.map((s) => {
    const d = s.distribution;
    const r: Ratios | undefined = ratiosToPortcullis(s, summaries);
    return [
      s.tool,
      `${s.succeeded} / ${s.attempted}`,
      d === undefined ? '–' : formatSeconds(d.medianMs),
      d === undefined ? '–' : formatSeconds(d.p90Ms),
      d === undefined ? '–' : formatSeconds(d.minMs),
      d === undefined ? '–' : formatSeconds(d.maxMs),
      formatSeconds(s.totalWallMs),
      s.throughput.toFixed(2),
      formatCpuMs(s.clientCpuMsPerCert),
      formatCpuMs(s.serverCpuMsPerCert),
      formatRatio(r?.median),
      formatRatio(r?.throughput),
      formatRatio(r?.clientCpu),
    ];
  });
  return table(header, rows, 1);
}

/** Every successful issuance's wall time per tool, sorted: the distribution itself (lego's is bimodal). */
export function formatDistributions(runs: readonly ToolRun[]): string {
  return runs
    .map((run) => {
      const times = run.samples
        .filter((s) => s.ok)
        .map((s) => s.wallMs)
        .sort((a, b) => a - b)
        .map(formatSeconds);
      const slow = run.samples.filter((s) => s.ok && s.wallMs >= 5000).length;
      return `- ${run.tool} (${times.length} ok, ${slow} at ≥ 5 s): ${times.join(', ') || 'none'}`;
    })
    .join('\n');
}

/** Failed issuances, one line each (empty string when there were none). */
export function formatFailures(runs: readonly ToolRun[]): string {
  const lines = runs.flatMap((run) =>
    run.samples
      .filter((s) => !s.ok)
      .map((s) => `- ${run.tool} #${s.index} (${s.names.join(', ')}): ${oneLine(s.error ?? 'failed')}`),
  );
  return lines.join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** Route53 API calls per order, by operation, with lego's per-name count from its source for comparison. */
export function formatRoute53Table(counts: readonly Route53OrderCount[]): string {
  const header = [
    'names in order',
    'provider',
    'ChangeResourceRecordSets',
    'GetChange',
    'ListHostedZones*',
    'ListResourceRecordSets',
    'other',
    'total (ours)',
    'lego 4.9.1, from source (minimum)',
  ];
  const rows = counts.map((count) => {
    const c = route53Columns(count.byOperation);
    return [
      String(count.names),
      count.ok ? count.provider : `${count.provider} (FAILED: ${oneLine(count.error ?? '')})`,
      String(c.changeResourceRecordSets),
      String(c.getChange),
      String(c.listHostedZones),
      String(c.listResourceRecordSets),
      String(c.other),
      String(c.total),
      String(legoRoute53MinimumCalls(count.names)),
    ];
  });
  return table(header, rows, 2);
}

/** The command that reproduces a run. */
export function formatCommand(options: BenchOptions): string {
  const flags = [
    `--certs ${options.certs}`,
    `--concurrency ${options.concurrency}`,
    `--tools ${options.tools.join(',')}`,
    `--timeout ${options.timeoutSeconds}`,
    ...(options.route53 ? [] : ['--no-route53']),
  ];
  return `npm run bench -- ${flags.join(' ')}`;
}
