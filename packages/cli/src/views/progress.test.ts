import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';
import type { ViewIo } from './terminal.js';

function capture(tty: boolean) {
  const lines: string[] = [];
  const raw: string[] = [];
  const io: ViewIo = {
    out: () => {},
    err: (text) => lines.push(text),
    errRaw: (text) => raw.push(text),
    env: {},
    stderrIsTty: tty,
  };
  return { io, lines, raw };
}

describe('createProgress', () => {
  it('prints one plain line per new step when stderr is not a terminal, and no repeats', () => {
    const { io, lines, raw } = capture(false);
    const progress = createProgress(io, 'renew c1', { elapsedMs: () => 1500 });
    progress.update('issuing');
    progress.update('issuing');
    progress.update('delivering');
    progress.done('Ready');
    progress.done('again');
    expect(lines).toEqual(['renew c1: issuing (+1.5s)', 'renew c1: delivering (+1.5s)', 'renew c1: Ready (+1.5s)']);
    expect(raw).toEqual([]);
  });

  it('rewrites one line in place on a terminal and clears it at the end', () => {
    const { io, lines, raw } = capture(true);
    const progress = createProgress(io, 'fetching', { elapsedMs: () => 200, repaintMs: 0 });
    progress.update('1 page');
    progress.update('2 pages');
    progress.done('done');
    expect(raw.every((text) => text.startsWith('\r\u001b[2K') && !text.includes('\n'))).toBe(true);
    expect(raw.map((text) => text.slice('\r\u001b[2K'.length))).toEqual([
      '⠙ fetching: 1 page (0.2s)',
      '⠹ fetching: 2 pages (0.2s)',
      '',
    ]);
    expect(lines).toEqual(['fetching: done (0.2s)']);
  });

  it('shows nothing when the io has no stderr', () => {
    const progress = createProgress({ out: () => {}, env: {} }, 'x');
    expect(() => {
      progress.update('a');
      progress.done('b');
    }).not.toThrow();
  });
});
