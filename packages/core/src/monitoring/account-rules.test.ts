import { describe, expect, it } from 'vitest';
import { toIsoTime } from '../lifecycle/types.js';
import { deadLetterAlerts, unmanagedExpiringAlerts } from './account-rules.js';
import { type AcmCertificateSummary, type Alert, DEFAULT_MONITOR_POLICY } from './types.js';

const NOW = '2026-06-01T00:00:00Z';
const DAY = 86_400;
const at = (seconds: number) => toIsoTime(Date.parse(NOW) + seconds * 1000);

const brief = (alerts: readonly Alert[]) =>
  alerts.map((a) => ({ key: a.key, severity: a.severity, threshold: a.threshold, fingerprint: a.fingerprint }));

const acm = (changes: Partial<AcmCertificateSummary>): AcmCertificateSummary => ({
  arn: 'arn:aws:acm:eu-west-1:123:certificate/u1',
  region: 'eu-west-1',
  domainName: 'legacy.test',
  names: ['legacy.test'],
  serial: '0a',
  notAfter: at(10 * DAY),
  managed: false,
  ...changes,
});

describe('unmanagedExpiringAlerts', () => {
  const cases: Record<string, { summaries: AcmCertificateSummary[]; want: ReturnType<typeof brief> }> = {
    'alerts an unmanaged certificate crossing a day threshold': {
      summaries: [acm({})],
      want: [
        {
          key: 'unmanaged-expiring:arn:aws:acm:eu-west-1:123:certificate/u1',
          severity: 'warning',
          threshold: '14d',
          fingerprint: 'serial:0a',
        },
      ],
    },
    'leaves managed certificates to the expiring rule': { summaries: [acm({ managed: true })], want: [] },
    'raises nothing far from expiry': { summaries: [acm({ notAfter: at(60 * DAY) })], want: [] },
    'leaves out an expired certificate ACM reports as used by nothing': {
      summaries: [acm({ notAfter: at(-DAY), inUseBy: [] })],
      want: [],
    },
    'alerts an expired certificate still in use as critical': {
      summaries: [acm({ notAfter: at(-DAY), inUseBy: ['arn:aws:elasticloadbalancing:lb'] })],
      want: [
        {
          key: 'unmanaged-expiring:arn:aws:acm:eu-west-1:123:certificate/u1',
          severity: 'critical',
          threshold: 'expired',
          fingerprint: 'serial:0a',
        },
      ],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { summaries, want }) => {
    expect(brief(unmanagedExpiringAlerts(summaries, NOW, DEFAULT_MONITOR_POLICY))).toEqual(want);
  });

  it('is account-wide: no certificate id or tenant, the ARN as subject', () => {
    const [alert] = unmanagedExpiringAlerts([acm({})], NOW, DEFAULT_MONITOR_POLICY);
    expect(alert?.certificateId).toBeUndefined();
    expect(alert?.tenant).toBeUndefined();
    expect(alert?.subject).toBe('arn:aws:acm:eu-west-1:123:certificate/u1');
    expect(alert?.runbook).toBe('docs/runbooks/unmanaged-expiring.md');
  });
});

describe('deadLetterAlerts', () => {
  it('raises nothing for an empty queue', () => {
    expect(deadLetterAlerts('reconcile-dlq', 0)).toEqual([]);
  });

  it('alerts with an empty fingerprint so a changing depth is not news, depth in the details', () => {
    const [alert] = deadLetterAlerts('reconcile-dlq', 4);
    expect(alert).toMatchObject({
      key: 'dlq-not-empty:reconcile-dlq',
      fingerprint: '',
      details: { depth: '4' },
      runbook: 'docs/runbooks/dlq-not-empty.md',
    });
    expect(deadLetterAlerts('reconcile-dlq', 9)[0]?.fingerprint).toBe(alert?.fingerprint);
  });
});
