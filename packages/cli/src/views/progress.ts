/**
 * Progress of long operations on stderr (stdout stays the command's answer, for scripts). On a terminal one line is
 * rewritten in place with a spinner and the elapsed time, repainted while waiting so a slow step still looks alive;
 * elsewhere (CI logs, pipes, the runbook tests) each new step is one plain line and nothing is repainted.
 */
import type { ViewIo } from './terminal.js';

export interface Progress {
  /** The current step; a repeat of the same text is not printed again. */
  update(text: string): void;
  /** Ends the progress; `text` (if any) is the last line. Idempotent. */
  done(text?: string): void;
}

export interface ProgressOptions {
  /** Milliseconds since start (tests fix it). */
  readonly elapsedMs?: () => number;
  /** Repaint interval on a terminal (ms); 0 disables the timer. Default 250. */
  readonly repaintMs?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

export function createProgress(io: ViewIo, label: string, options: ProgressOptions = {}): Progress {
  const err = io.err;
  if (err === undefined) return { update: () => {}, done: () => {} };
  const started = Date.now();
  const elapsedMs = options.elapsedMs ?? (() => Date.now() - started);
  const seconds = () => `${(elapsedMs() / 1000).toFixed(1)}s`;
  let current = '';
  let finished = false;

  const raw = io.errRaw;
  if (io.stderrIsTty !== true || raw === undefined) {
    return {
      update: (text) => {
        if (finished || text === current) return;
        current = text;
        err(`${label}: ${text} (+${seconds()})`);
      },
      done: (text) => {
        if (finished) return;
        finished = true;
        if (text !== undefined) err(`${label}: ${text} (+${seconds()})`);
      },
    };
  }

  let frame = 0;
  const paint = () => {
    frame = (frame + 1) % SPINNER.length;
    raw(`${CLEAR_LINE}${SPINNER[frame]} ${label}: ${current} (${seconds()})`);
  };
  const repaintMs = options.repaintMs ?? 250;
  const timer = repaintMs > 0 ? setInterval(paint, repaintMs) : undefined;
  // Never keep the process alive for a spinner.
  timer?.unref();
  return {
    update: (text) => {
      if (finished) return;
      current = text;
      paint();
    },
    done: (text) => {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearInterval(timer);
      raw(CLEAR_LINE);
      if (text !== undefined) err(`${label}: ${text} (${seconds()})`);
    },
  };
}
