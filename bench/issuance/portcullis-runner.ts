/**
 * Portcullis in-process: the wiring `portcullis issue` uses (`setupIssuance`, RFC 2136 against the stack's bind9)
 * and `obtainCertificate`, with ONE ACME engine — one account — shared by every issuance, as a deployment runs.
 * CPU is `process.cpuUsage()` over the measured part: nothing else runs in this process meanwhile (certificate
 * checks happen after the clock stops), and it covers every thread (libuv's crypto pool included).
 */
import { performance } from 'node:perf_hooks';
import type { IssuanceSetup } from '@portcullis/cli';
import { normalizeIdentifiers, obtainCertificate } from '@portcullis/core';
import { certificateNames, WARMUP_NAMES } from './options.js';
import type { Attempt, MeasuredPart, WarmupResult } from './phase.js';
import { runPool } from './pool.js';

/** Throws when the issuance is not done in `timeoutMs`; the issuance itself keeps running and is abandoned. */
async function issueWithin(setup: IssuanceSetup, names: readonly string[], timeoutMs: number): Promise<string> {
  if (setup.dns === undefined) throw new Error('bench: the Portcullis setup has no DNS provider');
  const issuance = obtainCertificate(
    { identifiers: normalizeIdentifiers(names, { challenge: 'dns-01' }), challenge: 'dns-01', keyType: 'ec-p256' },
    { acme: setup.acme, keys: setup.keys, clock: setup.clock, dns: setup.dns },
  );
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  issuance.catch(() => {}); // an abandoned issuance must not surface as an unhandled rejection
  try {
    return (await Promise.race([issuance, limit])).chainPem;
  } finally {
    clearTimeout(timer);
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export async function warmUpPortcullis(setup: IssuanceSetup, timeoutMs: number): Promise<WarmupResult> {
  const started = performance.now();
  try {
    await issueWithin(setup, WARMUP_NAMES, timeoutMs);
    return { ok: true, wallMs: performance.now() - started };
  } catch (error) {
    return { ok: false, wallMs: performance.now() - started, error: describe(error) };
  }
}

export async function measurePortcullis(
  setup: IssuanceSetup,
  certs: number,
  concurrency: number,
  timeoutMs: number,
): Promise<MeasuredPart> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const attempts = await runPool(certs, concurrency, async (index): Promise<Attempt> => {
    const names = certificateNames(index);
    const t0 = performance.now();
    try {
      const pem = await issueWithin(setup, names, timeoutMs);
      return { index, names, wallMs: performance.now() - t0, certificate: { pem } };
    } catch (error) {
      return { index, names, wallMs: performance.now() - t0, error: describe(error) };
    }
  });
  const totalWallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    attempts,
    totalWallMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    cpuMethod: 'process.cpuUsage() of the benchmark process over the measured part (all threads)',
  };
}
