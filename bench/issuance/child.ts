/**
 * Runs one peer CLI (lego, certbot) with a time limit and measures its wall time and CPU time.
 *
 * CPU: Node cannot read a child's rusage (`process.resourceUsage()` covers only this process), so each CLI runs
 * under bash's `time` keyword with `TIMEFORMAT='%3R %3U %3S'`: bash takes the child's user + system time from
 * `getrusage(RUSAGE_CHILDREN)` after `wait()`, which includes every descendant the CLI itself waited for, and
 * prints it in milliseconds. (GNU `/usr/bin/time -f %U` truncates to 10 ms — coarser than lego's ~20 ms per run.)
 *
 * Each child runs in its own process group (`detached`), so a time limit, Ctrl-C or an early exit of the benchmark
 * kills the whole group by its id: bash and the CLI under it. Nothing outlives the benchmark.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** stdout + stderr of the CLI. */
  readonly logFile: string;
  /** Where bash writes `<real> <user> <sys>` in seconds. */
  readonly timeFile: string;
  readonly timeoutMs: number;
}

export interface ChildResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Spawn to exit, measured here (process start included). */
  readonly wallMs: number;
  /** User + system CPU of the CLI; undefined when it was killed before bash could report it. */
  readonly cpuMs: number | undefined;
}

// $1 = log file, $2 = time file, the rest = the command. The brace group's status is the command's status.
const TIMED_RUN = `TIMEFORMAT='%3R %3U %3S'; log=$1; timefile=$2; shift 2; { time "$@" >"$log" 2>&1 ; } 2>"$timefile"`;

/** Process groups of children still running (their leaders' PIDs). */
const running = new Set<number>();

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone: nothing to do.
  }
}

let cleanupInstalled = false;
const endHooks: (() => void)[] = [];

/**
 * Runs `hook` (synchronously) when the process ends in any way but SIGKILL: normal exit, uncaught error, Ctrl-C,
 * SIGTERM, SIGHUP. Running children are always killed first. On a signal the process then exits with 128 + n;
 * the local stack's own exit hook stops pebble, bind9 and moto.
 */
export function onProcessEnd(hook: () => void): void {
  endHooks.push(hook);
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const runHooks = () => {
    for (const pgid of running) killGroup(pgid);
    running.clear();
    for (const end of endHooks.splice(0)) {
      try {
        end();
      } catch {
        // Best effort while exiting.
      }
    }
  };
  process.on('exit', runHooks);
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [name, code] of Object.entries(codes)) {
    process.on(name as NodeJS.Signals, () => {
      process.stderr.write(`\nbench: ${name}, stopping children\n`);
      runHooks();
      process.exit(code);
    });
  }
}

export function runTimedChild(spec: ChildSpec): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      'bash',
      ['-c', TIMED_RUN, 'bench-child', spec.logFile, spec.timeFile, spec.command, ...spec.args],
      {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: 'ignore',
      },
    );
    const pgid = child.pid;
    // Without a PID the spawn failed; 'error' follows and rejects.
    if (pgid !== undefined) running.add(pgid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pgid !== undefined) killGroup(pgid);
    }, spec.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      if (pgid !== undefined) running.delete(pgid);
      reject(new Error(`bench: could not run ${spec.command} under bash: ${error.message}`, { cause: error }));
    });
    child.once('exit', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      if (pgid !== undefined) {
        // Stragglers: anything the CLI started in the background and did not wait for dies with the group.
        killGroup(pgid);
        running.delete(pgid);
      }
      resolve({ exitCode, signal, timedOut, wallMs, cpuMs: timedOut ? undefined : readCpuMs(spec.timeFile) });
    });
  });
}

/** `<real> <user> <sys>` (seconds, 3 decimals) → user + sys in ms; undefined if absent or malformed. */
export function parseTimeLine(text: string): number | undefined {
  const match = /(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s*$/.exec(text.trim());
  if (match === null) return undefined;
  // Three decimals: whole milliseconds, added as integers so no float noise creeps in.
  return Math.round(Number(match[2]) * 1000) + Math.round(Number(match[3]) * 1000);
}

function readCpuMs(file: string): number | undefined {
  try {
    return parseTimeLine(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Last `lines` lines of a CLI's log, for failure reports. */
export function tailOf(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no output at ${file})`;
  }
}
