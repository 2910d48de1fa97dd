/**
 * Command line of the lifecycle benchmark (`npx tsx bench/lifecycle.bench.ts`). Parsed by hand like the issuance
 * benchmark's options: six flags do not justify a dependency, and every value is checked before the stack starts.
 */
import { ValidationError } from '@portcullis/core';

export const LifecycleTarget = {
  /** One ACM target per certificate (moto ACM, region us-east-1): issuance + import. */
  Acm: 'acm',
  /** No target: issuance and storage only. */
  None: 'none',
} as const;
export type LifecycleTarget = (typeof LifecycleTarget)[keyof typeof LifecycleTarget];

export interface LifecycleBenchOptions {
  /** Certificates requested through the API (and issued by the obtainCertificate baseline). */
  readonly certs: number;
  /** Reconcile pollers (Lambda concurrency) and baseline issuances in flight. */
  readonly concurrency: number;
  readonly target: LifecycleTarget;
  /** Inventory sizes of the planning-cost part; empty skips it. */
  readonly inventories: readonly number[];
  /** Largest inventory the naive Scan peer runs on; absent = all. */
  readonly scanMax?: number;
  /** Records due among each inventory. */
  readonly due: number;
  /** Timed repetitions of each planning query (median reported). */
  readonly runs: number;
  /** Give up on the lifecycle part after this many seconds. */
  readonly timeoutSeconds: number;
  readonly help: boolean;
}

export const USAGE = `usage: npx tsx bench/lifecycle.bench.ts [--certs 100] [--concurrency 10] [--target acm|none]
       [--inventories 10000,30000] [--scan-max N] [--due 10] [--runs 3] [--timeout 600]`;

const DEFAULTS: LifecycleBenchOptions = {
  certs: 100,
  concurrency: 10,
  target: LifecycleTarget.Acm,
  // 100,000 loads in moto (~140 s) but its paginated Scan restarts from the first item on every page, so the naive
  // peer alone runs for many minutes there; 10k and 30k keep the run a few minutes long (docs/benchmarks.md).
  inventories: [10_000, 30_000],
  due: 10,
  runs: 3,
  timeoutSeconds: 600,
  help: false,
};

function positiveInt(flag: string, raw: string | undefined, max: number): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ValidationError(flag, 'range', `must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseLifecycleArgs(argv: readonly string[]): LifecycleBenchOptions {
  let options: LifecycleBenchOptions = DEFAULTS;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--help' || flag === '-h') {
      options = { ...options, help: true };
      continue;
    }
    const value = argv[++i];
    switch (flag) {
      case '--certs':
        options = { ...options, certs: positiveInt(flag, value, 1000) };
        break;
      case '--concurrency':
        options = { ...options, concurrency: positiveInt(flag, value, 100) };
        break;
      case '--target':
        if (value !== LifecycleTarget.Acm && value !== LifecycleTarget.None) {
          throw new ValidationError(flag, 'enum', `must be acm or none, got ${JSON.stringify(value)}`);
        }
        options = { ...options, target: value };
        break;
      case '--inventories':
        options = {
          ...options,
          inventories:
            value === 'none' ? [] : (value ?? '').split(',').map((part) => positiveInt(flag, part, 1_000_000)),
        };
        break;
      case '--scan-max':
        options = { ...options, scanMax: positiveInt(flag, value, 1_000_000) };
        break;
      case '--due':
        options = { ...options, due: positiveInt(flag, value, 1000) };
        break;
      case '--runs':
        options = { ...options, runs: positiveInt(flag, value, 20) };
        break;
      case '--timeout':
        options = { ...options, timeoutSeconds: positiveInt(flag, value, 3600) };
        break;
      default:
        throw new ValidationError('argv', 'unknown-flag', `${JSON.stringify(flag)} is not a flag of this benchmark`);
    }
  }
  if (options.inventories.some((size) => size < options.due)) {
    throw new ValidationError('--due', 'range', 'must not exceed the smallest inventory');
  }
  return options;
}

/** The command that reproduces a run with these options. */
export function formatLifecycleCommand(o: LifecycleBenchOptions): string {
  const inventories = o.inventories.length === 0 ? 'none' : o.inventories.join(',');
  return `npx tsx bench/lifecycle.bench.ts --certs ${o.certs} --concurrency ${o.concurrency} --target ${o.target} --inventories ${inventories}${o.scanMax === undefined ? '' : ` --scan-max ${o.scanMax}`} --due ${o.due} --runs ${o.runs}`;
}
