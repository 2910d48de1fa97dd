/**
 * Summaries of one tool's run: per-issuance distribution, throughput, CPU per certificate, and ratios relative
 * to Portcullis. Pure functions over recorded samples (no clock here), so the table can be tested.
 */
import { BenchTool } from './options.js';

/** One issuance attempt as measured. */
export interface IssuanceSample {
  readonly index: number;
  readonly names: readonly string[];
  /** True only when the certificate was found, parsed, chains to pebble's root and carries exactly `names`. */
  readonly ok: boolean;
  /** Start to finish of the issuance (CLIs: spawn to exit, process start included). */
  readonly wallMs: number;
  /** CLIs: user + system CPU of the process and the children it waited for; in-process runs leave it out. */
  readonly cpuMs?: number;
  readonly error?: string;
}

/** One tool's measured phase. */
export interface ToolRun {
  readonly tool: BenchTool;
  readonly samples: readonly IssuanceSample[];
  /** From the first start to the last finish of the phase. */
  readonly totalWallMs: number;
  /** CPU of the client over the phase (user + system). */
  readonly clientCpuMs: number;
  /** How `clientCpuMs` was measured. */
  readonly cpuMethod: string;
  /** CPU pebble and named spent during the phase (from /proc/<pid>/stat), or undefined when unreadable. */
  readonly serverCpuMs: number | undefined;
  /** TXT values left at the phase's `_acme-challenge` names afterwards (beyond what was there before). */
  readonly leftoverTxt: number;
}

export interface Distribution {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface ToolSummary {
  readonly tool: BenchTool;
  readonly attempted: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Over successful issuances; undefined when none succeeded. */
  readonly distribution: Distribution | undefined;
  readonly totalWallMs: number;
  /** Successful certificates per second of phase wall time. */
  readonly throughput: number;
  /** Client CPU per attempted issuance. */
  readonly clientCpuMsPerCert: number;
  readonly serverCpuMsPerCert: number | undefined;
  readonly leftoverTxt: number;
  readonly cpuMethod: string;
}

/** A tool's figures divided by Portcullis's (median: >1 is slower; throughput: <1 is fewer certs/s). */
export interface Ratios {
  readonly median: number | undefined;
  readonly throughput: number | undefined;
  readonly clientCpu: number | undefined;
}

/** Median of sorted values (mean of the middle two for an even count). */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) throw new RangeError('median of no values');
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile of sorted values: the smallest value with at least `p` % of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function distributionOf(valuesMs: readonly number[]): Distribution | undefined {
  if (valuesMs.length === 0) return undefined;
  const sorted = [...valuesMs].sort((a, b) => a - b);
  return {
    medianMs: median(sorted),
    p90Ms: percentile(sorted, 90),
    minMs: sorted[0] as number,
    maxMs: sorted.at(-1) as number,
    meanMs: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
  };
}

export function summarizeRun(run: ToolRun): ToolSummary {
  const succeeded = run.samples.filter((s) => s.ok);
  const attempted = run.samples.length;
  return {
    tool: run.tool,
    attempted,
    succeeded: succeeded.length,
    failed: attempted - succeeded.length,
    distribution: distributionOf(succeeded.map((s) => s.wallMs)),
    totalWallMs: run.totalWallMs,
    throughput: run.totalWallMs > 0 ? succeeded.length / (run.totalWallMs / 1000) : 0,
    clientCpuMsPerCert: attempted > 0 ? run.clientCpuMs / attempted : 0,
    serverCpuMsPerCert: run.serverCpuMs === undefined || attempted === 0 ? undefined : run.serverCpuMs / attempted,
    leftoverTxt: run.leftoverTxt,
    cpuMethod: run.cpuMethod,
  };
}

function ratio(tool: number | undefined, ours: number | undefined): number | undefined {
  if (tool === undefined || ours === undefined || ours === 0) return undefined;
  return tool / ours;
}

/** Ratios of `summary` to the Portcullis summary among `all` (undefined when Portcullis did not run). */
export function ratiosToPortcullis(summary: ToolSummary, all: readonly ToolSummary[]): Ratios | undefined {
  const ours = all.find((s) => s.tool === BenchTool.Portcullis);
  if (ours === undefined) return undefined;
  return {
    median: ratio(summary.distribution?.medianMs, ours.distribution?.medianMs),
    throughput: ratio(summary.throughput, ours.throughput),
    clientCpu: ratio(summary.clientCpuMsPerCert, ours.clientCpuMsPerCert),
  };
}
