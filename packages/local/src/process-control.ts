import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Children of the local stack: spawned with stdout + stderr into one log file, stopped by their own PID (SIGTERM,
 * then SIGKILL after a grace period). Stopping works the same for children of this process and for PIDs read
 * from a detached stack's state file, so it polls the PID instead of waiting on a ChildProcess.
 */

export interface ChildSpec {
  /** Short name used in errors and the state file: `named`, `pebble`, `moto`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Own session and unref'd, so the child outlives this process (`portcullis local up`). */
  readonly detached: boolean;
}

export interface SpawnedChild {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with a description ("exit code 1", "signal SIGKILL") when the child exits; never rejects. */
  readonly exited: Promise<string>;
}

export function spawnChild(spec: ChildSpec): SpawnedChild {
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', log, log],
      detached: spec.detached,
    });
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`spawn error: ${error.message}`));
      child.once('exit', (code, signal) => resolve(signal === null ? `exit code ${code}` : `signal ${signal}`));
    });
    if (spec.detached) child.unref();
    if (child.pid === undefined) {
      // spawn failed synchronously (ENOENT and friends): `exited` carries the reason.
      return { name: spec.name, pid: -1, logFile: spec.logFile, exited };
    }
    return { name: spec.name, pid: child.pid, logFile: spec.logFile, exited };
  } finally {
    closeSync(log);
  }
}

/** Alive means signalable and not a zombie (a container's PID 1 may never reap reparented children). */
export function isPidAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 (after the parenthesised command name, which may contain spaces) is the state letter.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The PID's command line, NUL-separated args joined by spaces; undefined when there is no such process. */
export function readCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone between the check and the signal: that is what we wanted.
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isPidAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(15);
  }
  return true;
}

/** SIGTERM, then SIGKILL when the process is still there after `graceMs`. Resolves once it is gone. */
export async function stopPid(pid: number, graceMs = 3_000): Promise<void> {
  if (!isPidAlive(pid)) return;
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return;
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
}

/** Last `lines` lines of a log file, or a note that there is none. */
export function tailFile(file: string, lines = 40): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(log is empty)';
  } catch {
    return `(no log at ${file})`;
  }
}

// --- cleanup when the process ends without calling stop() (aborted test run, Ctrl-C, uncaught error) ---

interface CleanupEntry {
  readonly pids: readonly number[];
  readonly dir: string;
}

const liveStacks = new Set<CleanupEntry>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Blocks the thread (no event loop here: this runs inside 'exit' and signal handlers). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function cleanupNow(): void {
  // Only synchronous work is possible here, so SIGKILL (cannot be ignored) instead of a graceful SIGTERM.
  const pids = [...liveStacks].flatMap((entry) => entry.pids.filter(isPidAlive));
  for (const pid of pids) signal(pid, 'SIGKILL');
  // The kernel ends a killed process asynchronously; wait briefly so that "this process is gone" implies "its
  // children are gone" for whoever waits on us (a test runner, a shell).
  const deadline = Date.now() + 2_000;
  while (pids.some(isPidAlive) && Date.now() < deadline) sleepSync(5);
  for (const entry of liveStacks) rmSync(entry.dir, { recursive: true, force: true });
  liveStacks.clear();
}

function onSignal(name: NodeJS.Signals): void {
  cleanupNow();
  uninstallHandlers();
  // When nobody else listens, re-raise so the process ends the way it would have without us.
  if (process.listenerCount(name) === 0) process.kill(process.pid, name);
}

let installed = false;
const handlers = new Map<NodeJS.Signals, () => void>();

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const name of SIGNALS) {
    const handler = (): void => onSignal(name);
    handlers.set(name, handler);
    process.on(name, handler);
  }
}

function uninstallHandlers(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', cleanupNow);
  for (const [name, handler] of handlers) process.off(name, handler);
  handlers.clear();
}

/** Registers children to kill (and a dir to remove) if the process ends first; returns the unregister function. */
export function registerExitCleanup(pids: readonly number[], dir: string): () => void {
  const entry: CleanupEntry = { pids, dir };
  liveStacks.add(entry);
  installHandlers();
  return () => {
    liveStacks.delete(entry);
    if (liveStacks.size === 0) uninstallHandlers();
  };
}
