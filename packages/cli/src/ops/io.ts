/**
 * What the operations commands (`doctor`, `dns check`, `inspect`, `dlq`, `account`) share: where they write, the
 * environment they read, "now", and how they report their exit code. Results go to stdout; progress of long steps
 * goes to stderr, so `portcullis doctor x > report.txt` keeps the report clean.
 *
 * Exit codes (runbooks rely on them): 0 = everything checked is fine; 1 = a check failed / something is wrong
 * (doctor, dns check, inspect, dlq redrive), or the command could not run (bad input, unreachable service: the
 * error is printed by main.ts).
 */
import pc from 'picocolors';

export interface OpsIo {
  /** One line of results (stdout). */
  out(text: string): void;
  /** One line of progress or diagnostics (stderr). */
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal: progress may redraw one line (spinner) instead of printing plain lines. */
  readonly interactive?: boolean;
  /** Raw stderr writes for the spinner (no newline); only used when `interactive`. */
  readonly errRaw?: (text: string) => void;
  /** stdout takes colour (a terminal without NO_COLOR); marks are coloured only then. */
  readonly color?: boolean;
  /** "Now" for days-left (tests may fix it). */
  readonly now?: () => Date;
  /** Sets the process exit code (1 when a check failed); tests record it instead. */
  setExitCode(code: number): void;
}

export const ExitCode = {
  /** Everything checked is fine. */
  Ok: 0,
  /** A check failed, servers disagree, a chain does not verify, a message could not be moved, or an error. */
  Problem: 1,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const processOpsIo: OpsIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  errRaw: (text) => process.stderr.write(text),
  get interactive() {
    return process.stderr.isTTY === true && process.env.CI === undefined;
  },
  env: process.env,
  color: pc.isColorSupported,
  setExitCode: (code) => {
    // Never lower an exit code another part of the run has already raised.
    if (code > (typeof process.exitCode === 'number' ? process.exitCode : 0)) process.exitCode = code;
  },
};

/** Whole days from `now` to `notAfter` (negative once expired). */
export function daysBetween(now: Date, notAfter: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}

/** Colours a check mark on a terminal; plain otherwise. */
export function paintFor(
  io: Pick<OpsIo, 'color'>,
): (status: 'pass' | 'fail' | 'warn' | 'skip', text: string) => string {
  if (io.color !== true) return (_status, text) => text;
  const colours = { pass: pc.green, fail: pc.red, warn: pc.yellow, skip: pc.dim };
  return (status, text) => colours[status](text);
}
