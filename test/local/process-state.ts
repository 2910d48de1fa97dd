import { readFileSync } from 'node:fs';

/**
 * Whether a PID is a running process. A zombie counts as ended: children reparented to this machine's init are
 * reaped late, and until then kill(pid, 0) still succeeds for them.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
