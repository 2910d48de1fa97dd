/**
 * lego and certbot: one process per certificate, each in its own directory, at most C at once. The warm-up run
 * registers the tool's ACME account; its account directory is copied into every measured process's directory
 * beforehand (outside the clock), so the peers reuse one account just as Portcullis does and nobody pays for a
 * registration per certificate.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runTimedChild, tailOf } from './child.js';
import { BenchTool, certificateNames, WARMUP_NAMES } from './options.js';
import { certbotCredentials, type PeerContext, type PeerInvocation, type PeerTool, peerInvocation } from './peers.js';
import type { Attempt, MeasuredPart, WarmupResult } from './phase.js';
import { runPool } from './pool.js';

export interface PeerRunConfig {
  readonly tool: PeerTool;
  readonly context: PeerContext;
  /** This tool's directory in the run's work dir. */
  readonly dir: string;
  readonly timeoutMs: number;
}

/** Writes what the tool needs before its first run (certbot's credentials file, 0600). */
export function preparePeer(config: PeerRunConfig): void {
  mkdirSync(config.dir, { recursive: true, mode: 0o700 });
  if (config.tool !== BenchTool.Certbot) return;
  writeFileSync(config.context.certbotCredentialsFile, certbotCredentials(config.context.bind), { mode: 0o600 });
}

function childEnv(dir: string, invocation: PeerInvocation): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', ...invocation.env };
}

/** Runs one CLI issuance; the certificate is checked later. */
async function runOne(config: PeerRunConfig, index: number, names: readonly string[], dir: string): Promise<Attempt> {
  const invocation = peerInvocation(config.tool, config.context, names, dir);
  const logFile = join(dir, 'output.log');
  const result = await runTimedChild({
    command: invocation.command,
    args: invocation.args,
    env: childEnv(config.dir, invocation),
    cwd: dir,
    logFile,
    timeFile: join(dir, 'time.txt'),
    timeoutMs: config.timeoutMs,
  });
  const base = { index, names, wallMs: result.wallMs, ...(result.cpuMs === undefined ? {} : { cpuMs: result.cpuMs }) };
  if (result.timedOut) {
    return { ...base, error: `killed after the ${config.timeoutMs} ms limit; output: ${tailOf(logFile)}` };
  }
  if (result.exitCode !== 0) {
    const how = result.signal === null ? `exit code ${result.exitCode}` : `signal ${result.signal}`;
    return { ...base, error: `${invocation.command} failed (${how}): ${tailOf(logFile)}` };
  }
  return { ...base, certificate: { file: invocation.certificateFile } };
}

function warmupDir(config: PeerRunConfig): string {
  return join(config.dir, 'warmup');
}

export async function warmUpPeer(config: PeerRunConfig): Promise<WarmupResult> {
  const dir = warmupDir(config);
  mkdirSync(dir, { recursive: true });
  const attempt = await runOne(config, -1, WARMUP_NAMES, dir);
  const missing =
    attempt.certificate !== undefined && 'file' in attempt.certificate && !existsSync(attempt.certificate.file)
      ? `no certificate at ${attempt.certificate.file}`
      : undefined;
  const error = attempt.error ?? missing;
  return error === undefined ? { ok: true, wallMs: attempt.wallMs } : { ok: false, wallMs: attempt.wallMs, error };
}

export async function measurePeer(config: PeerRunConfig, certs: number, concurrency: number): Promise<MeasuredPart> {
  // Directories and the shared account are in place before the clock starts.
  const warmAccount = peerInvocation(config.tool, config.context, WARMUP_NAMES, warmupDir(config)).accountDir;
  const dirs = Array.from({ length: certs }, (_, index) => {
    const dir = join(config.dir, `c${index}`);
    mkdirSync(dir, { recursive: true });
    if (existsSync(warmAccount)) {
      const target = peerInvocation(config.tool, config.context, certificateNames(index), dir).accountDir;
      cpSync(warmAccount, target, { recursive: true });
    }
    return dir;
  });

  const started = performance.now();
  const attempts = await runPool(certs, concurrency, (index) =>
    runOne(config, index, certificateNames(index), dirs[index] as string),
  );
  const totalWallMs = performance.now() - started;
  const cpuKnown = attempts.filter((a) => a.cpuMs !== undefined);
  const unknown = attempts.length - cpuKnown.length;
  return {
    attempts,
    totalWallMs,
    clientCpuMs: cpuKnown.reduce((sum, a) => sum + (a.cpuMs ?? 0), 0),
    cpuMethod:
      "bash `time` (TIMEFORMAT '%3U %3S': getrusage(RUSAGE_CHILDREN) of each CLI and what it waited for), summed" +
      (unknown > 0 ? `; ${unknown} killed process(es) not counted` : ''),
  };
}
