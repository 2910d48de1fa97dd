import { describe, expect, it } from 'vitest';
import { formatStatus } from './status-view.js';
import { certificateView, daysFromNow, FIXED_NOW } from './view-fixtures.js';

/** The cells of the table row whose first cell is `first` (columns are separated by two or more spaces). */
function row(output: string, first: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith(`${first} `));
  if (line === undefined) throw new Error(`no row ${first} in\n${output}`);
  return line.split(/\s{2,}/);
}

describe('formatStatus', () => {
  it('shows expiry with days left, the renewal time with its source, and failures with backoff', () => {
    const out = formatStatus(
      certificateView({
        validity: { from: -80, to: 10 },
        renewalAt: -20,
        renewalSource: 'ari',
        failures: { count: 3, reason: 'RateLimited', message: 'too many', backoffUntil: daysFromNow(0.5) },
      }),
      FIXED_NOW,
    );
    expect(row(out, 'not after')).toEqual(['not after', `${daysFromNow(10)} (10 days left)`]);
    expect(row(out, 'renewal at')).toEqual(['renewal at', `${daysFromNow(-20)} (ari)`]);
    expect(row(out, 'failures')).toEqual(['failures', '3 × RateLimited: too many']);
    expect(row(out, 'backoff until')).toEqual(['backoff until', daysFromNow(0.5)]);
    expect(row(out, 'Ready')).toEqual(['Ready', 'True', 'UpToDate', '-']);
  });

  const targets: Record<string, { observed?: { serial?: string; error?: string }; want: string[] }> = {
    'marks a target serving the current serial as a match': {
      observed: { serial: '00A1B2C3' },
      want: [
        'acm',
        'acm',
        'delivered',
        '1',
        'a1b2c3',
        '30',
        'arn:aws:acm:us-east-1:000000000000:certificate/cert-1',
        '00A1B2C3',
        'match',
      ],
    },
    'marks a target serving another serial as DRIFT': {
      observed: { serial: 'ffff' },
      want: [
        'acm',
        'acm',
        'delivered',
        '1',
        'a1b2c3',
        '30',
        'arn:aws:acm:us-east-1:000000000000:certificate/cert-1',
        'ffff',
        'DRIFT',
      ],
    },
    'marks a target where nothing was found as absent, with the reason': {
      observed: { error: 'ACM: certificate not found' },
      want: [
        'acm',
        'acm',
        'delivered',
        '1',
        'a1b2c3',
        '30',
        'arn:aws:acm:us-east-1:000000000000:certificate/cert-1',
        '-',
        'absent',
        'ACM: certificate not found',
      ],
    },
    'shows a dash before the first monitor run': {
      want: [
        'acm',
        'acm',
        'delivered',
        '1',
        'a1b2c3',
        '30',
        'arn:aws:acm:us-east-1:000000000000:certificate/cert-1',
        '-',
        '-',
      ],
    },
  };
  it.each(Object.entries(targets))('%s', (_name, { observed, want }) => {
    const view = certificateView({
      validity: { from: -60, to: 30 },
      ...(observed === undefined
        ? {}
        : { observations: [{ location: 'acm', source: 'acm', observedAt: daysFromNow(0), ...observed }] }),
    });
    expect(row(formatStatus(view, FIXED_NOW), 'acm')).toEqual(want);
  });

  it('lists targets not delivered yet as pending', () => {
    const view = certificateView({ targets: [{ id: 'secret', type: 'secrets-manager' }] });
    expect(row(formatStatus(view, FIXED_NOW), 'secret').slice(0, 6)).toEqual([
      'secret',
      'secrets-manager',
      'pending',
      '-',
      '-',
      '-',
    ]);
  });

  it('lists endpoints with the observed serial, its days left and drift, and omits the table when there are none', () => {
    const view = certificateView({
      validity: { from: -60, to: 30 },
      endpoints: [
        { host: 'www.example.test', port: 443, serverName: 'www.example.test' },
        { host: '::1', port: 8443 },
      ],
      observations: [
        {
          location: 'endpoint:www.example.test:443',
          source: 'endpoint',
          observedAt: daysFromNow(-0.1),
          serial: '99',
          notAfter: daysFromNow(3),
        },
        {
          location: 'endpoint:[::1]:8443',
          source: 'endpoint',
          observedAt: daysFromNow(-0.1),
          error: 'TLS: connection refused',
        },
      ],
    });
    const out = formatStatus(view, FIXED_NOW);
    expect(row(out, 'www.example.test:443')).toEqual([
      'www.example.test:443',
      'www.example.test',
      '99',
      'DRIFT',
      '3',
      daysFromNow(-0.1),
    ]);
    expect(row(out, '::1:8443')).toEqual([
      '::1:8443',
      '-',
      '-',
      'absent',
      '-',
      daysFromNow(-0.1),
      'TLS: connection refused',
    ]);
    expect(formatStatus(certificateView({ validity: { from: -1, to: 5 } }), FIXED_NOW)).not.toContain('ENDPOINT');
  });
});
