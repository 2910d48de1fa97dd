import { describe, expect, it } from 'vitest';
import { alertView, certificateView, daysFromNow, FIXED_NOW } from '../views/view-fixtures.js';
import { buildReportModel, type ReportInput } from './model.js';
import { renderReportHtml } from './report-html.js';
import { BAND_COLOURS, TIMELINE_LAYOUT, tickStepDays, timelineScale } from './timeline-svg.js';

const input: ReportInput = {
  now: FIXED_NOW,
  days: 30,
  source: 'http://127.0.0.1:4000',
  certificates: [
    certificateView({ id: 'short', validity: { from: -5.5, to: 0.5 }, renewalAt: -1.5 }),
    certificateView({ id: 'long', validity: { from: -20, to: 70 }, renewalAt: 40, names: ['<b>x</b>.example.test'] }),
  ],
  alerts: [alertView({ summary: 'short expires in 0 days & "soon"' })],
};

function all(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((m) => m[1] ?? m[0]);
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(input);

  it('is deterministic for the same input and now', () => {
    expect(renderReportHtml(input)).toBe(html);
  });

  it('is self-contained: no scripts, no external resources', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(all(html, /(?:src|href)="([^"]*)"/g)).toEqual([]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
  });

  it('draws one row per certificate and target with a bar each, coloured by band', () => {
    expect(all(html, /<g class="row [^"]*" data-kind="(\w+)" data-label="([^"]*)"/g)).toEqual([
      'certificate',
      'target',
      'certificate',
      'target',
    ]);
    expect(all(html, /<rect class="bar [^"]*" [^>]*fill="([^"]+)"/g)).toEqual([
      BAND_COLOURS.critical,
      BAND_COLOURS.critical,
      BAND_COLOURS.ok,
      BAND_COLOURS.ok,
    ]);
  });

  it('places the now line and the renewal markers at their times on the axis', () => {
    const scale = timelineScale(buildReportModel(input));
    expect(html).toContain(`<line class="now" x1="${scale.x(FIXED_NOW.toISOString())}"`);
    expect(all(html, /data-renewal-at="([^"]+)"/g)).toEqual([daysFromNow(-1.5), daysFromNow(40)]);
    expect(scale.x(daysFromNow(-100))).toBe(TIMELINE_LAYOUT.labelWidth);
    expect(scale.x(daysFromNow(1000))).toBe(TIMELINE_LAYOUT.width - TIMELINE_LAYOUT.rightPad);
  });

  it('lists the open alerts with their runbooks and escapes everything from the API', () => {
    expect(html).toContain('<code>docs/runbooks/expiring.md</code>');
    expect(html).toContain('short expires in 0 days &amp; &quot;soon&quot;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;.example.test');
    expect(html).not.toContain('<b>x</b>');
  });

  it('says so when there is nothing to show', () => {
    const empty = renderReportHtml({ now: FIXED_NOW, days: 30, certificates: [], alerts: [] });
    expect(empty).toContain('No open alerts.');
    expect(empty).toContain('No certificates.');
    expect(empty).toContain('no certificates</text>');
  });
});

describe('tickStepDays', () => {
  const cases: Record<string, { span: number; want: number }> = {
    'labels every day of a short window': { span: 10, want: 1 },
    'labels weekly over two months': { span: 75, want: 7 },
    'labels monthly over a year': { span: 360, want: 30 },
  };
  it.each(Object.entries(cases))('%s', (_name, { span, want }) => {
    expect(tickStepDays(span)).toBe(want);
  });
});
