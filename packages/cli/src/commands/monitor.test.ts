import type { MonitorResult } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { formatMonitorResult, formatPlanResult } from './monitor.js';

const quiet: MonitorResult = {
  certificates: 3,
  observations: 7,
  opened: 0,
  changed: 0,
  resolved: 0,
  open: 0,
  notified: 0,
  errors: [],
};

describe('monitor run summary', () => {
  const cases: Record<string, { result: MonitorResult; text: string }> = {
    'says what was observed and that nothing changed': {
      result: quiet,
      text: [
        'observed 3 certificate(s) at 7 place(s)',
        'alerts: 0 opened, 0 changed, 0 resolved; 0 open',
        'notifications sent: 0',
      ].join('\n'),
    },
    'counts transitions and lists the errors': {
      result: { ...quiet, opened: 2, resolved: 1, open: 4, notified: 3, errors: ['endpoint 10.0.0.1:443: timeout'] },
      text: [
        'observed 3 certificate(s) at 7 place(s)',
        'alerts: 2 opened, 0 changed, 1 resolved; 4 open',
        'notifications sent: 3',
        'errors (1):',
        '  - endpoint 10.0.0.1:443: timeout',
      ].join('\n'),
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { result, text }) => {
    expect(formatMonitorResult(result)).toBe(text);
  });
});

describe('plan run summary', () => {
  const cases: Record<string, { enqueued: string[]; truncated: boolean; text: string }> = {
    'says when nothing is due': { enqueued: [], truncated: false, text: 'enqueued 0 certificate(s)' },
    'lists the enqueued ids': { enqueued: ['a', 'b'], truncated: false, text: 'enqueued 2 certificate(s):\n  a\n  b' },
    'says when the limit was reached': {
      enqueued: ['a'],
      truncated: true,
      text: 'enqueued 1 certificate(s):\n  a\nmore may be due: the limit was reached (the next run continues)',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { enqueued, truncated, text }) => {
    expect(formatPlanResult({ enqueued, truncated })).toBe(text);
  });
});
