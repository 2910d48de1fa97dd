/**
 * One tool's phase, the same frame for every tool: an unmeasured warm-up issuance (it registers the tool's one ACME
 * account, which every measured issuance then reuses), then N measured issuances, then the checks. The servers'
 * CPU is read around the measured part only; certificates are checked after the clock stopped, so the checking
 * costs no tool any time or CPU.
 */
import { checkChain, checkChainFile } from './check.js';
import type { BenchTool } from './options.js';
import type { IssuanceSample, ToolRun } from './stats.js';

/** One measured issuance before its certificate was checked. */
export interface Attempt {
  readonly index: number;
  readonly names: readonly string[];
  readonly wallMs: number;
  readonly cpuMs?: number;
  /** Why the issuance itself failed (non-zero exit, timeout, thrown error). */
  readonly error?: string;
  /** The chain to check: in memory (in-process) or the file a CLI wrote. */
  readonly certificate?: { readonly pem: string } | { readonly file: string };
}

export interface MeasuredPart {
  readonly attempts: readonly Attempt[];
  readonly totalWallMs: number;
  readonly clientCpuMs: number;
  readonly cpuMethod: string;
}

export interface WarmupResult {
  readonly ok: boolean;
  readonly wallMs: number;
  readonly error?: string;
}

export interface PhaseProbes {
  /** CPU pebble + named have used so far (ms), undefined when unreadable. */
  serverCpuMs(): number | undefined;
  /** TXT values currently at the phase's `_acme-challenge` names. */
  challengeTxtCount(): Promise<number>;
  /** pebble's roots (PEM), to check chains against. */
  readonly roots: readonly string[];
}

export interface PhaseResult {
  readonly run: ToolRun;
  readonly warmup: WarmupResult;
}

export async function measurePhase(
  tool: BenchTool,
  probes: PhaseProbes,
  steps: { warmup(): Promise<WarmupResult>; measure(): Promise<MeasuredPart> },
): Promise<PhaseResult> {
  const txtBefore = await probes.challengeTxtCount();
  const warmup = await steps.warmup();
  const serverBefore = probes.serverCpuMs();
  const measured = await steps.measure();
  const serverAfter = probes.serverCpuMs();
  const txtAfter = await probes.challengeTxtCount();
  const samples = await Promise.all(measured.attempts.map((attempt) => checkAttempt(attempt, probes.roots)));
  return {
    warmup,
    run: {
      tool,
      samples,
      totalWallMs: measured.totalWallMs,
      clientCpuMs: measured.clientCpuMs,
      cpuMethod: measured.cpuMethod,
      serverCpuMs: serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore,
      leftoverTxt: Math.max(0, txtAfter - txtBefore),
    },
  };
}

async function checkAttempt(attempt: Attempt, roots: readonly string[]): Promise<IssuanceSample> {
  const base = {
    index: attempt.index,
    names: attempt.names,
    wallMs: attempt.wallMs,
    ...(attempt.cpuMs === undefined ? {} : { cpuMs: attempt.cpuMs }),
  };
  if (attempt.error !== undefined) return { ...base, ok: false, error: attempt.error };
  const certificate = attempt.certificate;
  const problem =
    certificate === undefined
      ? 'no certificate was returned'
      : 'pem' in certificate
        ? checkChain(certificate.pem, attempt.names, roots)
        : await checkChainFile(certificate.file, attempt.names, roots);
  return problem === undefined ? { ...base, ok: true } : { ...base, ok: false, error: problem };
}
