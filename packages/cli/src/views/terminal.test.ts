import { describe, expect, it } from 'vitest';
import { colourEnabled, coloursFor } from './terminal.js';

describe('colourEnabled', () => {
  const cases: Record<string, { color?: boolean; env?: Record<string, string>; tty?: boolean; want: boolean }> = {
    'colours a terminal': { tty: true, want: true },
    'leaves a pipe plain': { tty: false, want: false },
    'obeys --no-color on a terminal': { color: false, tty: true, want: false },
    'obeys NO_COLOR on a terminal': { env: { NO_COLOR: '1' }, tty: true, want: false },
    'ignores an empty NO_COLOR': { env: { NO_COLOR: '' }, tty: true, want: true },
    'obeys FORCE_COLOR in a pipe': { env: { FORCE_COLOR: '1' }, tty: false, want: true },
    'treats FORCE_COLOR=0 as not forcing': { env: { FORCE_COLOR: '0' }, tty: false, want: false },
    'lets --no-color win over FORCE_COLOR': { color: false, env: { FORCE_COLOR: '1' }, want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { color, env, tty, want }) => {
    const flags = color === undefined ? {} : { color };
    expect(colourEnabled(flags, { env: env ?? {}, stdoutIsTty: tty ?? false })).toBe(want);
  });

  it('gives ANSI colours only when enabled', () => {
    expect(coloursFor({}, { env: {}, stdoutIsTty: true }).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(coloursFor({}, { env: {}, stdoutIsTty: false }).red('x')).toBe('x');
  });
});
