import { describe, expect, it } from 'vitest';
import { ExpiryBand } from '../views/expiry.js';
import { alertView, certificateView, daysFromNow, FIXED_NOW } from '../views/view-fixtures.js';
import { ObservedMatch } from '../views/view-types.js';
import { buildReportModel, RowKind, reportWindow } from './model.js';

describe('buildReportModel', () => {
  const model = buildReportModel({
    now: FIXED_NOW,
    days: 60,
    certificates: [
      certificateView({ id: 'later', validity: { from: -10, to: 80 }, renewalAt: 50 }),
      certificateView({ id: 'pending' }),
      certificateView({
        id: 'soon',
        validity: { from: -4, to: 2 },
        endpoints: [{ host: 'www.example.test', port: 443 }],
        observations: [
          { location: 'acm', source: 'acm', observedAt: daysFromNow(0), serial: 'a1b2c3', notAfter: daysFromNow(2) },
          {
            location: 'endpoint:www.example.test:443',
            source: 'endpoint',
            observedAt: daysFromNow(0),
            serial: 'old',
            notAfter: daysFromNow(-1),
          },
        ],
      }),
    ],
    alerts: [
      alertView({ key: 'resolved', state: 'resolved' }),
      alertView({ key: 'w', severity: 'warning' }),
      alertView({ key: 'c', severity: 'critical' }),
    ],
  });

  it('puts the soonest expiry first, each certificate followed by its targets and endpoints', () => {
    expect(model.rows.map((r) => `${r.kind}:${r.label}`)).toEqual([
      'certificate:soon',
      'target:acm',
      'endpoint:www.example.test:443',
      'certificate:later',
      'target:acm',
      'certificate:pending',
      'target:acm',
    ]);
  });

  it('gives a target serving the current certificate its validity and a match', () => {
    expect(model.rows[1]).toMatchObject({
      notBefore: daysFromNow(-4),
      notAfter: daysFromNow(2),
      band: ExpiryBand.Warning,
      daysLeft: 2,
      match: ObservedMatch.Match,
    });
  });

  it('gives an endpoint serving another certificate only the observed expiry, banded on its own', () => {
    const row = model.rows[2];
    expect(row).toMatchObject({
      kind: RowKind.Endpoint,
      notAfter: daysFromNow(-1),
      band: ExpiryBand.Expired,
      match: ObservedMatch.Drift,
    });
    expect(row?.notBefore).toBeUndefined();
  });

  it('keeps the renewal time on the certificate row and counts certificates per band', () => {
    expect(model.rows[3]?.renewalAt).toBe(daysFromNow(50));
    expect(model.counts).toMatchObject({ warning: 1, ok: 1, unknown: 1, expired: 0, critical: 0 });
  });

  it('lists only open alerts, most severe first', () => {
    expect(model.alerts.map((a) => a.key)).toEqual(['c', 'w']);
  });

  it('spans a quarter of the horizon before now and the horizon after it', () => {
    expect(model.window).toEqual({ start: daysFromNow(-15), end: daysFromNow(60) });
    expect(reportWindow(FIXED_NOW, 2).start.toISOString()).toBe(daysFromNow(-1));
  });
});
