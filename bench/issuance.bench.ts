/**
 * Issuance benchmark: Portcullis vs lego vs certbot, side by side in ONE run against ONE local stack (pebble with
 * PEBBLE_VA_NOSLEEP=1 and no nonce rejection, bind9 with RFC 2136 + TSIG, moto for Route53).
 *
 *   npm run bench -- --certs 20 --concurrency 5 --tools portcullis,lego,certbot
 *
 * Every tool issues the same N certificates (`b<i>.example.test` + `*.b<i>.example.test`, P-256 keys, DNS-01 over
 * RFC 2136 against the same bind9 with the same TSIG key), at most C at once, after one unmeasured warm-up issuance
 * that registers the tool's ACME account (reused by all N). Each certificate is checked (chains to pebble's root,
 * exactly the requested names, P-256); a missing or wrong one is a failure and listed. Then Route53 API calls per
 * order (1, 3, 10 names) through our provider against moto. Markdown goes to stdout, progress to stderr, the full
 * result to bench/results/issuance-<timestamp>.json (gitignored). Exit code 1 when any issuance failed.
 * No numbers here are asserted anywhere: this reports, it does not test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type IssuanceSetup, setupIssuance } from '@portcullis/cli';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { onProcessEnd } from './issuance/child.js';
import {
  type BenchOptions,
  BenchTool,
  certificateNames,
  parseBenchArgs,
  USAGE,
  WARMUP_NAMES,
} from './issuance/options.js';
import { measurePeer, type PeerRunConfig, preparePeer, warmUpPeer } from './issuance/peer-runner.js';
import type { PeerContext } from './issuance/peers.js';
import { measurePhase, type PhaseProbes, type PhaseResult } from './issuance/phase.js';
import { measurePortcullis, warmUpPortcullis } from './issuance/portcullis-runner.js';
import { countChallengeTxt, isInstalled, machineInfo, toolVersions, totalCpuMs } from './issuance/probes.js';
import {
  formatCommand,
  formatDistributions,
  formatFailures,
  formatIssuanceTable,
  formatRoute53Table,
  formatSeconds,
} from './issuance/report.js';
import { countRoute53Calls, type Route53Section } from './issuance/route53-calls.js';
import { LEGO_ROUTE53_CALLS_PER_NAME } from './issuance/route53-model.js';
import { ratiosToPortcullis, summarizeRun } from './issuance/stats.js';
import { out, parseOrExit, progress, REPO_ROOT } from './support/cli.js';

function requirePrograms(options: BenchOptions): void {
  const needed = ['bash', ...options.tools.filter((tool) => tool !== BenchTool.Portcullis)];
  const missing = needed.filter((program) => !isInstalled(program));
  if (missing.length > 0) {
    const hint = missing.includes('certbot') ? ' python3-certbot-dns-rfc2136' : '';
    throw new Error(`bench: ${missing.join(', ')} not on PATH (apt-get install -y ${missing.join(' ')}${hint})`);
  }
}

function probesFor(stack: LocalStack, certs: number, roots: readonly string[]): PhaseProbes {
  const serverPids = stack.processes.filter((p) => p.name === 'named' || p.name === 'pebble').map((p) => p.pid);
  const apexes = [WARMUP_NAMES[0], ...Array.from({ length: certs }, (_, i) => certificateNames(i)[0])];
  return {
    serverCpuMs: () => totalCpuMs(serverPids),
    challengeTxtCount: () => countChallengeTxt({ host: stack.bind.host, port: stack.bind.port }, apexes),
    roots,
  };
}

async function runTool(
  tool: BenchTool,
  options: BenchOptions,
  stack: LocalStack,
  setup: IssuanceSetup | undefined,
  work: string,
  probes: PhaseProbes,
): Promise<PhaseResult> {
  const timeoutMs = options.timeoutSeconds * 1000;
  if (tool === BenchTool.Portcullis) {
    const ours = setup as IssuanceSetup;
    return measurePhase(tool, probes, {
      warmup: () => warmUpPortcullis(ours, timeoutMs),
      measure: () => measurePortcullis(ours, options.certs, options.concurrency, timeoutMs),
    });
  }
  const dir = join(work, tool);
  const context: PeerContext = {
    directoryUrl: stack.pebble.directoryUrl,
    caFile: stack.pebble.listenerCaFile,
    bind: stack.bind,
    certbotCredentialsFile: join(dir, 'rfc2136.ini'),
  };
  const config: PeerRunConfig = { tool, context, dir, timeoutMs };
  preparePeer(config);
  return measurePhase(tool, probes, {
    warmup: () => warmUpPeer(config),
    measure: () => measurePeer(config, options.certs, options.concurrency),
  });
}

function report(
  options: BenchOptions,
  results: readonly PhaseResult[],
  route53: Route53Section | undefined,
  meta: { machine: ReturnType<typeof machineInfo>; versions: Record<string, string> },
): void {
  const summaries = results.map((r) => summarizeRun(r.run));
  const { machine, versions } = meta;
  out(`## Issuance: ${options.certs} certificates per tool at concurrency ${options.concurrency}\n`);
  out(`Command: \`${formatCommand(options)}\``);
  out(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}`,
  );
  out(
    `Versions: ${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}\n`,
  );
  out(formatIssuanceTable(summaries));
  out('\nWarm-up (unmeasured, registers the account):');
  for (const r of results) {
    out(`- ${r.run.tool}: ${r.warmup.ok ? 'ok' : `FAILED (${r.warmup.error})`} in ${formatSeconds(r.warmup.wallMs)} s`);
  }
  out('\nPer-issuance wall time, sorted (s):');
  out(formatDistributions(results.map((r) => r.run)));
  out(`\nTXT values left at the challenge names: ${summaries.map((s) => `${s.tool} ${s.leftoverTxt}`).join(', ')}`);
  const failures = formatFailures(results.map((r) => r.run));
  out(`\nFailures: ${failures === '' ? 'none' : `\n${failures}`}`);
  if (route53 !== undefined) {
    out('\n## Route53 API calls per order (ours, counted against moto)\n');
    out(formatRoute53Table(route53.counts));
    out(`\nTXT record sets left in the moto zone afterwards: ${route53.leftoverTxtSets}`);
  }
}

function writeResults(
  options: BenchOptions,
  startedAt: Date,
  results: readonly PhaseResult[],
  route53: Route53Section | undefined,
  meta: { machine: ReturnType<typeof machineInfo>; versions: Record<string, string> },
): string {
  const summaries = results.map((r) => summarizeRun(r.run));
  const document = {
    benchmark: 'issuance',
    command: formatCommand(options),
    startedAt: startedAt.toISOString(),
    options,
    ...meta,
    stack: { pebbleEnv: { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' } },
    tools: results.map((r) => {
      const summary = summarizeRun(r.run);
      const ratios = ratiosToPortcullis(summary, summaries) ?? null;
      return { tool: r.run.tool, warmup: r.warmup, summary, ratiosToPortcullis: ratios, run: r.run };
    }),
    route53:
      route53 === undefined
        ? null
        : { ...route53, legoFromSourcePerName: LEGO_ROUTE53_CALLS_PER_NAME, measured: false },
  };
  const dir = resolve(REPO_ROOT, options.resultsDir);
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
  const file = join(dir, `issuance-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const options = parseOrExit(parseBenchArgs, USAGE);
  requirePrograms(options);
  const startedAt = new Date();
  const meta = { machine: machineInfo(), versions: toolVersions() };
  const work = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  // Private keys of every tool end up in here: removed however the run ends.
  onProcessEnd(() => rmSync(work, { recursive: true, force: true }));

  progress(`bench: starting pebble + bind9${options.route53 ? ' + moto' : ''} (work dir ${work})`);
  const stack = await startLocalStack({ moto: options.route53, pebble: { nonceRejectPercent: 0 } });
  let setup: IssuanceSetup | undefined;
  try {
    const roots = await stack.pebble.roots();
    const env = { ...stack.env(), PORTCULLIS_STATE_DIR: join(work, 'portcullis-state') };
    if (options.tools.includes(BenchTool.Portcullis) || options.route53) {
      setup = await setupIssuance({ env, challenge: 'dns-01', dns: 'rfc2136', localBind: stack.bind });
    }
    const probes = probesFor(stack, options.certs, roots);
    const results: PhaseResult[] = [];
    for (const tool of options.tools) {
      progress(`bench: ${tool}: warm-up, then ${options.certs} certificates at concurrency ${options.concurrency}`);
      const result = await runTool(tool, options, stack, setup, work, probes);
      const s = summarizeRun(result.run);
      progress(
        `bench: ${tool}: ${s.succeeded}/${s.attempted} ok, median ${s.distribution ? formatSeconds(s.distribution.medianMs) : '–'} s, total ${formatSeconds(s.totalWallMs)} s`,
      );
      results.push(result);
    }
    let route53: Route53Section | undefined;
    if (options.route53 && setup !== undefined) {
      progress('bench: Route53 API calls per order (1, 3, 10 names) through our provider against moto');
      route53 = await countRoute53Calls(env, stack.bind, setup);
    }
    report(options, results, route53, meta);
    const file = writeResults(options, startedAt, results, route53, meta);
    progress(`bench: wrote ${file}`);
    const failed = results.some((r) => r.run.samples.some((s) => !s.ok) || !r.warmup.ok);
    if (failed || route53?.counts.some((c) => !c.ok)) process.exitCode = 1;
  } finally {
    await setup?.close();
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
