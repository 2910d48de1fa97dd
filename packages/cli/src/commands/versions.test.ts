import { describe, expect, it } from 'vitest';
import type { CertificateView } from '../runtime/api-client.js';
import { restoreAnswered } from './restore.js';
import { formatVersions } from './versions.js';

describe('formatVersions', () => {
  it('shows one row per stored version, newest first as given, and marks the current one', () => {
    const text = formatVersions(
      [
        {
          revision: 2,
          serial: 'b2',
          notBefore: '2026-06-01T00:00:00Z',
          notAfter: '2026-08-30T00:00:00Z',
          current: true,
        },
        {
          revision: 1,
          serial: 'a1',
          notBefore: '2026-05-01T00:00:00Z',
          notAfter: '2026-07-30T00:00:00Z',
          current: false,
        },
      ],
      new Date('2026-06-10T00:00:00Z'),
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^REVISION\s+SERIAL\s+NOT BEFORE\s+NOT AFTER\s+DAYS LEFT\s+CURRENT/);
    expect(lines[1]).toMatch(/^2\s+b2\s+2026-06-01T00:00:00Z\s+2026-08-30T00:00:00Z\s+81\s+yes/);
    expect(lines[2]).toMatch(/^1\s+a1\s+2026-05-01T00:00:00Z\s+2026-07-30T00:00:00Z\s+50\s*$/);
  });

  it('says so when nothing is stored yet', () => {
    expect(formatVersions([], new Date())).toBe('no stored certificate yet');
  });
});

describe('restoreAnswered', () => {
  const view = (restore?: CertificateView['status']['restore']) =>
    ({ status: { restore } }) as unknown as CertificateView;
  const request = { at: '2026-06-10T00:00:00Z', serial: 'a1' };
  const cases: Record<string, { restore?: CertificateView['status']['restore']; want: boolean }> = {
    'is false before the lifecycle answered anything': { want: false },
    'is false while status answers an earlier request': {
      restore: { requestedAt: '2026-06-09T00:00:00Z', restoredAt: '2026-06-09T00:00:01Z', serial: 'a1', revision: 3 },
      want: false,
    },
    'is true once this request was restored': {
      restore: { requestedAt: request.at, restoredAt: '2026-06-10T00:00:02Z', serial: 'a1', revision: 3 },
      want: true,
    },
    'is true once this request was refused': {
      restore: { requestedAt: request.at, restoredAt: '2026-06-10T00:00:02Z', serial: 'a1', refused: 'expired' },
      want: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { restore, want }) => {
    expect(restoreAnswered(view(restore), request)).toBe(want);
  });
});
