/**
 * Command line of the issuance benchmark (`npm run bench -- --certs 20 --concurrency 5 --tools portcullis,lego`).
 * Pure: parses and validates before anything starts, so a typo never leaves a half-started local stack behind.
 */
import { parseArgs } from 'node:util';
import { ValidationError } from '@portcullis/core';

/** The clients the benchmark can drive, each against the same pebble + bind9. */
export const BenchTool = {
  /** Ours, in-process: `setupIssuance` + `obtainCertificate`, one ACME account shared by every issuance. */
  Portcullis: 'portcullis',
  /** lego 4.9.1 (Debian), one process per certificate, `--dns rfc2136`. */
  Lego: 'lego',
  /** certbot 2.1 (Debian) with python3-certbot-dns-rfc2136, one process per certificate. */
  Certbot: 'certbot',
} as const;
export type BenchTool = (typeof BenchTool)[keyof typeof BenchTool];

export interface BenchOptions {
  /** Certificates per tool (each an apex + wildcard pair). */
  readonly certs: number;
  /** Issuances in flight at once, per tool. */
  readonly concurrency: number;
  /** Tools in the order they run. */
  readonly tools: readonly BenchTool[];
  /** Limit for one issuance (a CLI child is killed, an in-process one counted as failed). */
  readonly timeoutSeconds: number;
  /** Also count Route53 API calls per order (needs moto). */
  readonly route53: boolean;
  /** Where the JSON result goes. */
  readonly resultsDir: string;
  readonly help: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  certs: 20,
  concurrency: 5,
  tools: [BenchTool.Portcullis, BenchTool.Lego, BenchTool.Certbot],
  timeoutSeconds: 60,
  route53: true,
  resultsDir: 'bench/results',
  help: false,
};

/** Upper bounds that keep a run on a 2-core machine bounded (and bind9 below its 100 TXT values per name). */
const LIMITS = { certs: 500, concurrency: 32, timeoutSeconds: 600 } as const;

export const USAGE = `usage: npm run bench -- [options]
  --certs N            certificates per tool, each an apex + wildcard pair (default ${DEFAULT_OPTIONS.certs}, max ${LIMITS.certs})
  --concurrency C      issuances in flight per tool (default ${DEFAULT_OPTIONS.concurrency}, max ${LIMITS.concurrency})
  --tools LIST         comma-separated, run in this order: portcullis,lego,certbot (default all three)
  --timeout SECONDS    limit per issuance; a CLI child is killed after it (default ${DEFAULT_OPTIONS.timeoutSeconds})
  --no-route53         skip the Route53 API-calls-per-order section
  --results-dir DIR    where the JSON result is written (default ${DEFAULT_OPTIONS.resultsDir})
  --help               this text`;

function integer(flag: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ValidationError(flag, 'range', `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function parseTools(raw: string | undefined): BenchTool[] {
  if (raw === undefined) return [...DEFAULT_OPTIONS.tools];
  const known: readonly string[] = Object.values(BenchTool);
  const tools = raw
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (tools.length === 0) throw new ValidationError('--tools', 'required', `name at least one of ${known.join(', ')}`);
  const seen = new Set<string>();
  for (const tool of tools) {
    if (!known.includes(tool)) {
      throw new ValidationError('--tools', 'known-tool', `"${tool}" is none of ${known.join(', ')}`);
    }
    if (seen.has(tool)) throw new ValidationError('--tools', 'duplicate', `"${tool}" is listed twice`);
    seen.add(tool);
  }
  return tools as BenchTool[];
}

/** Parses `process.argv.slice(2)`; unknown flags and bad values throw `ValidationError` naming the flag. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ValidationError('arguments', 'known-flag', (error as Error).message);
  }
  const { values } = parsed;
  const resultsDir = values['results-dir'] ?? DEFAULT_OPTIONS.resultsDir;
  if (resultsDir.trim() === '') throw new ValidationError('--results-dir', 'required', 'must not be empty');
  return {
    certs: integer('--certs', values.certs, 1, LIMITS.certs, DEFAULT_OPTIONS.certs),
    concurrency: integer('--concurrency', values.concurrency, 1, LIMITS.concurrency, DEFAULT_OPTIONS.concurrency),
    tools: parseTools(values.tools),
    timeoutSeconds: integer('--timeout', values.timeout, 1, LIMITS.timeoutSeconds, DEFAULT_OPTIONS.timeoutSeconds),
    route53: values['no-route53'] !== true,
    resultsDir,
    help: values.help === true,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      certs: { type: 'string' },
      concurrency: { type: 'string' },
      tools: { type: 'string' },
      timeout: { type: 'string' },
      'no-route53': { type: 'boolean' },
      'results-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The names of certificate `index`: an apex and its wildcard, distinct per index and the same for every tool. */
export function certificateNames(index: number): [string, string] {
  const apex = `b${index}.example.test`;
  return [apex, `*.${apex}`];
}

/** Names of the unmeasured warm-up issuance each tool makes first (it also registers the tool's ACME account). */
export const WARMUP_NAMES: readonly [string, string] = ['warmup.example.test', '*.warmup.example.test'];
