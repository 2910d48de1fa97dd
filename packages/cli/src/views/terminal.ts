/**
 * What the view commands (`status`, `list`, `alerts`, `report`, `renew --wait`) need from the terminal beyond
 * `ApiCommandIo`: stderr for progress, and whether stdout/stderr are terminals (colour, rewritten progress lines).
 * Colour follows the usual conventions: `--no-color` and a non-empty `NO_COLOR` turn it off, a non-empty
 * `FORCE_COLOR` (other than `0`) turns it on, otherwise only a terminal on stdout gets colour — so pipes, files and
 * the runbook tests read plain text.
 */
import pc from 'picocolors';
import type { ApiCommandIo } from '../runtime/api-command.js';

export interface ViewIo extends ApiCommandIo {
  /** Progress and notes that are not the command's answer; absent → progress is not shown. */
  err?(text: string): void;
  /** Writes without a newline (a terminal's rewritten progress line). */
  errRaw?(text: string): void;
  readonly stdoutIsTty?: boolean;
  readonly stderrIsTty?: boolean;
}

export const processViewIo: ViewIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  errRaw: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
};

/** The subset of picocolors the views use; `plainColours` leaves text untouched. */
export type Colours = Pick<typeof pc, 'red' | 'yellow' | 'green' | 'cyan' | 'dim' | 'bold' | 'magenta'>;

export const plainColours: Colours = pc.createColors(false);

export interface ColourFlags {
  /** commander's `--no-color` sets this to false. */
  readonly color?: boolean;
}

export function colourEnabled(flags: ColourFlags, io: Pick<ViewIo, 'env' | 'stdoutIsTty'>): boolean {
  if (flags.color === false) return false;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0') return true;
  return io.stdoutIsTty === true;
}

export function coloursFor(flags: ColourFlags, io: Pick<ViewIo, 'env' | 'stdoutIsTty'>): Colours {
  return colourEnabled(flags, io) ? pc.createColors(true) : plainColours;
}
