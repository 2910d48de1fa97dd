/**
 * What the benchmark observes around each phase: CPU the servers (pebble, named) spent, TXT values left behind at
 * the challenge names, and the machine and tool versions that go with the numbers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { challengeRecordName } from '@portcullis/core';
import { queryServer, txtValues } from '@portcullis/dns';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux unless the kernel says otherwise). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process in ms (10 ms resolution), or undefined when it cannot be read. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** Summed CPU of the given processes; undefined if any is unreadable. */
export function totalCpuMs(pids: readonly number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

/** How many TXT values bind serves at the `_acme-challenge` names of `apexes` right now. */
export async function countChallengeTxt(
  server: { host: string; port: number },
  apexes: readonly string[],
): Promise<number> {
  let total = 0;
  for (let i = 0; i < apexes.length; i += 20) {
    const counts = await Promise.all(
      apexes.slice(i, i + 20).map(async (apex) => {
        const name = challengeRecordName(apex);
        return txtValues(await queryServer(server, name, 'TXT'), name).length;
      }),
    );
    total += counts.reduce((sum, n) => sum + n, 0);
  }
  return total;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
}

function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** Debian package versions (lego's own `--version` says "dev") and moto's Python package version. */
export function toolVersions(): Record<string, string> {
  const packages = ['lego', 'certbot', 'python3-certbot-dns-rfc2136', 'pebble', 'bind9'];
  const versions: Record<string, string> = {};
  // dpkg-query's own format syntax, not a template placeholder.
  const format = '-f=$' + '{Version}';
  for (const name of packages) versions[name] = run('dpkg-query', ['-W', format, name]);
  versions.moto = run('python3', ['-c', 'import moto; print(moto.__version__)']);
  versions.node = process.version;
  return versions;
}

/** Whether a program is on PATH (checked before the stack starts, so a missing peer fails fast). */
export function isInstalled(program: string): boolean {
  return run('sh', ['-c', 'command -v "$1"', 'sh', program]) !== 'unknown';
}
