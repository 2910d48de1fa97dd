/**
 * Lifecycle benchmark: the serverless form of issuance (HTTP API → DynamoDB → SQS → reconcile worker, one step per
 * call) against our own waiting form (`obtainCertificate`, the same certificates at the same concurrency), then the
 * planning cost of the `plan` schedule against a naive filtered Scan for large inventories with few due.
 * ONE local stack (pebble with PEBBLE_VA_NOSLEEP=1 and no nonce rejection, bind9 + RFC 2136 + TSIG, moto).
 *
 *   npx tsx bench/lifecycle.bench.ts --certs 100 --concurrency 10 --target acm --inventories 10000,30000
 *
 * Markdown goes to stdout, progress to stderr, the full result to bench/results/lifecycle-<timestamp>.json
 * (gitignored). Exit code 1 when a certificate did not get Ready or the plan found other ids than the due ones.
 * No numbers here are asserted anywhere: this reports, it does not test.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAwsClients } from '@portcullis/aws';
import { setupIssuance } from '@portcullis/cli';
import type { CertificateRecord } from '@portcullis/core';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { checkChain } from './issuance/check.js';
import { certificateNames } from './issuance/options.js';
import { measurePortcullis, warmUpPortcullis } from './issuance/portcullis-runner.js';
import { machineInfo, toolVersions } from './issuance/probes.js';
import { type InventoryResult, measurePlanningCost } from './lifecycle/inventory.js';
import { type LifecycleRun, runLifecycle } from './lifecycle/lifecycle-run.js';
import { formatLifecycleCommand, type LifecycleBenchOptions, parseLifecycleArgs, USAGE } from './lifecycle/options.js';
import {
  type BaselineSummary,
  formatLifecycleDetails,
  formatLifecycleTable,
  formatPlanningTable,
} from './lifecycle/report.js';
import { createServerlessForm } from './lifecycle/serverless.js';
import { out, parseOrExit, progress, REPO_ROOT } from './support/cli.js';

async function runBaseline(
  stack: LocalStack,
  options: LifecycleBenchOptions,
  work: string,
): Promise<BaselineSummary & { errors: string[] }> {
  const env = { ...stack.env(), PORTCULLIS_STATE_DIR: join(work, 'portcullis-state') };
  const setup = await setupIssuance({ env, challenge: 'dns-01', dns: 'rfc2136', localBind: stack.bind });
  try {
    const timeoutMs = options.timeoutSeconds * 1000;
    const warmup = await warmUpPortcullis(setup, timeoutMs);
    if (!warmup.ok) throw new Error(`bench: baseline warm-up failed: ${warmup.error}`);
    const part = await measurePortcullis(setup, options.certs, options.concurrency, timeoutMs);
    const roots = await stack.pebble.roots();
    const errors: string[] = [];
    const wallMs: number[] = [];
    for (const attempt of part.attempts) {
      const pem = attempt.certificate !== undefined && 'pem' in attempt.certificate ? attempt.certificate.pem : '';
      const problem = attempt.error ?? checkChain(pem, certificateNames(attempt.index), roots);
      if (problem === undefined) wallMs.push(attempt.wallMs);
      else errors.push(`b${attempt.index}: ${problem}`);
    }
    return {
      ok: wallMs.length,
      attempted: part.attempts.length,
      wallMs,
      totalWallMs: part.totalWallMs,
      clientCpuMs: part.clientCpuMs,
      errors,
    };
  } finally {
    await setup.close();
  }
}

/** A real Ready record of the lifecycle part: the inventory is cloned from it (production item size). */
async function readyTemplate(
  run: LifecycleRun,
  get: (id: string) => Promise<CertificateRecord | undefined>,
): Promise<CertificateRecord | undefined> {
  const id = run.requests.find((r) => r.readyMs !== undefined)?.id;
  return id === undefined ? undefined : get(id);
}

function writeResults(document: Record<string, unknown>, startedAt: Date): string {
  const dir = resolve(REPO_ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
  const file = join(dir, `lifecycle-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const options = parseOrExit(parseLifecycleArgs, USAGE);
  // Powertools' JSON logs and EMF lines go to stdout, which carries the markdown: silenced, still executed.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const startedAt = new Date();
  const meta = { machine: machineInfo(), versions: toolVersions() };
  const work = mkdtempSync(join(tmpdir(), 'portcullis-bench-lifecycle-'));
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  progress(`bench: starting pebble + bind9 + moto (work dir ${work})`);
  const stack = await startLocalStack({ pebble: { nonceRejectPercent: 0 } });
  const moto = stack.moto;
  if (moto === undefined) throw new Error('local stack: moto_server did not start');
  const admin = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
  let failed = false;
  try {
    progress(`bench: baseline obtainCertificate: ${options.certs} certificates at concurrency ${options.concurrency}`);
    const baseline = await runBaseline(stack, options, work);
    failed ||= baseline.errors.length > 0;

    progress(`bench: serverless: ${options.certs} POST /certificates + ${options.concurrency} SQS pollers`);
    const form = await createServerlessForm(stack, admin, prefix);
    let run: LifecycleRun;
    let template: CertificateRecord | undefined;
    try {
      run = await runLifecycle(form, options);
      template = await readyTemplate(run, (id) => form.wiring.deps.certificates.get(id));
    } finally {
      form.close();
    }
    failed ||= run.requests.some((r) => r.readyMs === undefined);

    let planning: InventoryResult[] = [];
    if (options.inventories.length > 0) {
      planning = await measurePlanningCost({
        admin,
        env: form.env,
        prefix,
        sizes: options.inventories,
        due: options.due,
        runs: options.runs,
        ...(options.scanMax === undefined ? {} : { scanMax: options.scanMax }),
        template,
        progress,
      });
      failed ||= planning.some((p) => !p.planFoundExactlyTheDue);
    }

    out(`## Lifecycle: ${options.certs} certificates through the API, concurrency ${options.concurrency}\n`);
    out(`Command: \`${formatLifecycleCommand(options)}\``);
    const m = meta.machine;
    out(`Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}`);
    out(`Target per certificate: ${options.target === 'acm' ? 'one ACM target (moto, us-east-1)' : 'none'}\n`);
    out(formatLifecycleTable(run, baseline));
    out();
    out(formatLifecycleDetails(run));
    out(`- Baseline failures: ${baseline.errors.length === 0 ? 'none' : baseline.errors.join('; ')}`);
    if (planning.length > 0) {
      out(`\n## Planning cost: plan (listDue) vs a filtered Scan, ${options.due} due, median of ${options.runs}\n`);
      out(formatPlanningTable(planning));
      out(
        `\nLoad (BatchWriteItem, 25 per request, 16 in flight): ${planning.map((p) => `${p.size.toLocaleString('en-US')} in ${(p.loadMs / 1000).toFixed(1)} s`).join(', ')} (cumulative table)`,
      );
    }
    const file = writeResults(
      {
        benchmark: 'lifecycle',
        command: formatLifecycleCommand(options),
        startedAt: startedAt.toISOString(),
        options,
        ...meta,
        lifecycle: run,
        baseline,
        planning,
        inventoryTemplate: template === undefined ? 'synthetic' : 'a Ready record of the lifecycle part',
      },
      startedAt,
    );
    progress(`bench: wrote ${file}`);
  } finally {
    admin.destroy();
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
