import type { Alert } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import {
  alertBody,
  alertSubject,
  joinNames,
  renderAlertMessage,
  runbookLink,
  SUBJECT_MAX,
  toSubjectText,
} from './alert-message.js';

const expiring: Alert = {
  key: 'expiring:cert-1:acm-eu',
  kind: 'expiring',
  severity: 'critical',
  certificateId: 'cert-1',
  tenant: 'team-a',
  subject: 'cert-1',
  names: ['www.example.com', 'example.com'],
  location: 'acm-eu',
  threshold: '7d',
  summary: 'cert-1 expires in 6 days at acm-eu.',
  details: { serial: '3a4f', notAfter: '2026-05-01T12:00:00Z', daysLeft: '6' },
  runbook: 'docs/runbooks/expiring.md',
  fingerprint: 'f1',
};

const dlq: Alert = {
  key: 'dlq-not-empty:portcullis-reconcile-dlq',
  kind: 'dlq-not-empty',
  severity: 'warning',
  subject: 'portcullis-reconcile-dlq',
  names: [],
  summary: 'The dead-letter queue portcullis-reconcile-dlq holds 3 messages.',
  details: { depth: '3' },
  runbook: 'docs/runbooks/dlq-not-empty.md',
  fingerprint: '3',
};

describe('alertSubject', () => {
  it.each([
    [
      'an opened alert shows severity, kind, first name, more names and threshold',
      expiring,
      'opened',
      '[critical] expiring: www.example.com +1 (7d)',
    ],
    [
      'a resolved alert says resolved and drops the threshold',
      expiring,
      'resolved',
      '[resolved] expiring: www.example.com +1',
    ],
    ['an alert without names shows its subject', dlq, 'opened', '[warning] dlq-not-empty: portcullis-reconcile-dlq'],
  ] as const)('%s', (_name, alert, transition, expected) => {
    expect(alertSubject(alert, transition)).toBe(expected);
  });

  it('keeps the tag and threshold when a long name is cut, within the SNS limit', () => {
    const subject = alertSubject({ ...expiring, names: [`${'a'.repeat(120)}.example.com`] }, 'opened');
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject.startsWith('[critical] expiring: aaaa')).toBe(true);
    expect(subject.endsWith('... (7d)')).toBe(true);
  });
});

describe('toSubjectText', () => {
  it.each([
    ['accents are dropped, other non-ASCII becomes ?', 'café ☃ ok', 'cafe ? ok'],
    ['line breaks and runs of spaces become one space', 'a\n\tb   c', 'a b c'],
    ['text over the limit is cut with an ellipsis', 'x'.repeat(120), `${'x'.repeat(SUBJECT_MAX - 3)}...`],
  ])('%s', (_name, input, expected) => {
    expect(toSubjectText(input)).toBe(expected);
  });
});

describe('joinNames', () => {
  it.each([
    ['names that fit are comma-joined', ['a.test', 'b.test'], 100, 'a.test,b.test'],
    ['whole names are kept and the rest counted', ['aaaa.test', 'bbbb.test', 'cccc.test'], 20, 'aaaa.test,+2 more'],
    ['a first name too long for the limit leaves only the count', ['a'.repeat(50)], 20, '+1 more'],
  ] as const)('%s', (_name, names, max, expected) => {
    const joined = joinNames(names, max);
    expect(joined).toBe(expected);
    expect(joined.length).toBeLessThanOrEqual(max);
  });
});

describe('runbookLink', () => {
  it.each([
    ['without a base URL the repository path is the link', undefined, 'docs/runbooks/drift.md'],
    [
      'a base URL gets exactly one slash',
      'https://git.example/repo/blob/main/',
      'https://git.example/repo/blob/main/docs/runbooks/drift.md',
    ],
    ['a base URL without a trailing slash', 'https://git.example/r', 'https://git.example/r/docs/runbooks/drift.md'],
  ])('%s', (_name, base, expected) => {
    expect(runbookLink('docs/runbooks/drift.md', base)).toBe(expected);
  });
});

describe('alertBody', () => {
  it('has the summary, the facts as key: value lines, sorted details, the runbook link and the dedup key', () => {
    expect(alertBody(expiring, 'opened', 'https://runbooks.example')).toBe(
      [
        'cert-1 expires in 6 days at acm-eu.',
        '',
        'kind: expiring',
        'severity: critical',
        'transition: opened',
        'certificate: cert-1',
        'tenant: team-a',
        'subject: cert-1',
        'names: www.example.com, example.com',
        'location: acm-eu',
        'threshold: 7d',
        '',
        'details:',
        '  daysLeft: 6',
        '  notAfter: 2026-05-01T12:00:00Z',
        '  serial: 3a4f',
        '',
        'runbook: https://runbooks.example/docs/runbooks/expiring.md',
        '',
        'alert key: expiring:cert-1:acm-eu',
        'fingerprint: f1',
        '',
      ].join('\n'),
    );
  });

  it('marks a resolved alert in its first line', () => {
    expect(alertBody(dlq, 'resolved').split('\n')[0]).toBe(`RESOLVED: ${dlq.summary}`);
  });
});

describe('renderAlertMessage', () => {
  it.each([
    [
      'a certificate alert names the certificate id',
      expiring,
      {
        kind: 'expiring',
        severity: 'critical',
        certificate: 'cert-1',
        names: 'www.example.com,example.com',
        transition: 'changed',
      },
    ],
    [
      'an account-wide alert names its subject and has no names',
      dlq,
      {
        kind: 'dlq-not-empty',
        severity: 'warning',
        certificate: 'portcullis-reconcile-dlq',
        names: undefined,
        transition: 'changed',
      },
    ],
  ] as const)('%s', (_name, alert, attributes) => {
    expect(renderAlertMessage(alert, 'changed').attributes).toEqual(attributes);
  });
});
