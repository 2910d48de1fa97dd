import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { formatAlerts, parseAlertKind, parseAlertState, sortAlerts } from './alerts-view.js';
import { alertView, daysFromNow } from './view-fixtures.js';

describe('formatAlerts', () => {
  it('lists the most severe first with kind, subject, names, threshold, times and runbook', () => {
    const out = formatAlerts([
      alertView({ key: 'w', severity: 'warning' }),
      alertView({
        key: 'c',
        severity: 'critical',
        kind: 'drift',
        subject: 'cert-2',
        names: ['a.test', 'b.test'],
        threshold: undefined,
        location: 'endpoint:a.test:443',
        runbook: 'docs/runbooks/drift.md',
        summary: 'drift',
      }),
    ]);
    const [header, first, second] = out.split('\n').map((line) => line.split(/\s{2,}/));
    expect(header).toEqual([
      'SEVERITY',
      'KIND',
      'STATE',
      'SUBJECT',
      'LOCATION',
      'NAMES',
      'THRESHOLD',
      'OPENED',
      'LAST SEEN',
      'RUNBOOK',
      'SUMMARY',
    ]);
    expect(first).toEqual([
      'critical',
      'drift',
      'open',
      'cert-2',
      'endpoint:a.test:443',
      'a.test,b.test',
      '-',
      daysFromNow(-1),
      daysFromNow(0),
      'docs/runbooks/drift.md',
      'drift',
    ]);
    expect(second?.[0]).toBe('warning');
  });

  it('says so when there are none', () => {
    expect(formatAlerts([])).toBe('no alerts');
  });

  it('orders equal severities by when they opened, then by key', () => {
    const sorted = sortAlerts([
      alertView({ key: 'b', openedAt: daysFromNow(-1) }),
      alertView({ key: 'a', openedAt: daysFromNow(-1) }),
      alertView({ key: 'c', openedAt: daysFromNow(-3) }),
    ]);
    expect(sorted.map((a) => a.key)).toEqual(['c', 'a', 'b']);
  });
});

describe('alert filters', () => {
  it('accept the alert kinds and states and refuse others naming the flag', () => {
    expect(parseAlertKind('dlq-not-empty')).toBe('dlq-not-empty');
    expect(() => parseAlertKind('expired')).toThrow(ValidationError);
    expect(() => parseAlertKind('expired')).toThrow(/^--kind: /);
    expect(parseAlertState('resolved')).toBe('resolved');
    expect(() => parseAlertState('closed')).toThrow(/^--state: "closed" must be open or resolved/);
  });
});
