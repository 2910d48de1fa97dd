/**
 * The expiry timeline as inline SVG: a date axis over the report window, one row per certificate / target /
 * endpoint with a bar from notBefore to notAfter (clipped to the window) coloured by expiry band, a diamond at the
 * renewal time, days left at the bar's end, and a vertical "now" line. Pure: same model → same bytes.
 */
import { ExpiryBand } from '../views/expiry.js';
import { ObservedMatch } from '../views/view-types.js';
import { escapeXml, truncate } from './escape.js';
import { type ReportModel, RowKind, type TimelineRow } from './model.js';

const DAY_MS = 86_400_000;

export const TIMELINE_LAYOUT = {
  width: 1360,
  labelWidth: 380,
  rightPad: 56,
  axisHeight: 44,
  rowHeight: 26,
  barHeight: 14,
  legendHeight: 34,
} as const;

export const BAND_COLOURS: Readonly<Record<ExpiryBand, string>> = {
  [ExpiryBand.Ok]: '#2e9e4f',
  [ExpiryBand.Warning]: '#e0a400',
  [ExpiryBand.Critical]: '#d62828',
  [ExpiryBand.Expired]: '#7a1010',
  [ExpiryBand.Unknown]: '#9aa0a6',
};

/** Tick spacing in days: the smallest that keeps the axis at 12 labels or fewer. */
export function tickStepDays(spanDays: number): number {
  for (const step of [1, 2, 7, 14, 30, 60, 90, 180, 365]) if (spanDays / step <= 12) return step;
  return Math.ceil(spanDays / 12 / 365) * 365;
}

export interface TimelineScale {
  readonly x: (iso: string | number) => number;
  readonly left: number;
  readonly right: number;
}

export function timelineScale(model: ReportModel): TimelineScale {
  const start = Date.parse(model.window.start);
  const end = Date.parse(model.window.end);
  const left = TIMELINE_LAYOUT.labelWidth;
  const right = TIMELINE_LAYOUT.width - TIMELINE_LAYOUT.rightPad;
  const x = (at: string | number) => {
    const t = typeof at === 'number' ? at : Date.parse(at);
    const clamped = Math.min(end, Math.max(start, t));
    return round(left + ((clamped - start) / (end - start)) * (right - left));
  };
  return { x, left, right };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function axis(model: ReportModel, scale: TimelineScale, height: number): string[] {
  const start = Date.parse(model.window.start);
  const end = Date.parse(model.window.end);
  const step = tickStepDays((end - start) / DAY_MS);
  const parts: string[] = [];
  // Ticks at UTC midnights that are multiples of the step since the epoch: stable across runs.
  let day = Math.ceil(start / DAY_MS / step) * step;
  for (; day * DAY_MS <= end; day += step) {
    const x = scale.x(day * DAY_MS);
    const label = new Date(day * DAY_MS).toISOString().slice(0, 10);
    parts.push(
      `<line class="tick" x1="${x}" y1="${TIMELINE_LAYOUT.axisHeight - 6}" x2="${x}" y2="${height}"/>`,
      `<text class="tick-label" x="${x}" y="${TIMELINE_LAYOUT.axisHeight - 12}" text-anchor="middle">${label}</text>`,
    );
  }
  return parts;
}

function rowLabel(row: TimelineRow): string {
  const indent = row.kind === RowKind.Certificate ? '' : '↳ ';
  return `${indent}${row.label}`;
}

function barOf(row: TimelineRow, scale: TimelineScale, model: ReportModel, y: number): string[] {
  if (row.notAfter === undefined) {
    const note = row.note ?? (row.kind === RowKind.Certificate ? 'not issued yet' : 'nothing observed');
    return [`<text class="note" x="${scale.left + 6}" y="${y + 4}">${escapeXml(truncate(note, 110))}</text>`];
  }
  const from = row.notBefore ?? model.window.start;
  const x1 = scale.x(from);
  const x2 = scale.x(row.notAfter);
  const top = y - TIMELINE_LAYOUT.barHeight / 2;
  const colour = BAND_COLOURS[row.band];
  const classes = [
    'bar',
    `band-${row.band}`,
    `kind-${row.kind}`,
    ...(row.notBefore === undefined ? ['open-start'] : []),
  ];
  const parts = [
    `<rect class="${classes.join(' ')}" x="${x1}" y="${top}" width="${round(Math.max(1, x2 - x1))}" height="${TIMELINE_LAYOUT.barHeight}" rx="3" fill="${colour}" data-certificate="${escapeXml(row.certificateId)}" data-not-after="${escapeXml(row.notAfter)}"/>`,
  ];
  if (row.renewalAt !== undefined) {
    const rx = scale.x(row.renewalAt);
    parts.push(
      `<path class="renewal-marker" d="M${rx} ${y - 8} L${rx + 6} ${y} L${rx} ${y + 8} L${rx - 6} ${y} Z" data-renewal-at="${escapeXml(row.renewalAt)}"/>`,
    );
  }
  const label = row.daysLeft === undefined ? '' : row.daysLeft < 0 ? 'expired' : `${row.daysLeft}d`;
  const drift = row.match === ObservedMatch.Drift ? ' DRIFT' : row.match === ObservedMatch.Absent ? ' absent' : '';
  parts.push(
    `<text class="days-left" x="${round(Math.min(x2 + 6, scale.right + 4))}" y="${y + 4}" fill="${colour}">${escapeXml(`${label}${drift}`)}</text>`,
  );
  return parts;
}

export function renderTimelineSvg(model: ReportModel): string {
  const L = TIMELINE_LAYOUT;
  const scale = timelineScale(model);
  const rowsTop = L.axisHeight;
  const rowsHeight = Math.max(1, model.rows.length) * L.rowHeight;
  const height = rowsTop + rowsHeight + L.legendHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${L.width}" height="${height}" viewBox="0 0 ${L.width} ${height}" role="img" aria-label="certificate expiry timeline">`,
    `<rect class="chart-area" x="${scale.left}" y="${rowsTop}" width="${scale.right - scale.left}" height="${rowsHeight}"/>`,
    ...axis(model, scale, rowsTop + rowsHeight),
  ];
  model.rows.forEach((row, index) => {
    const y = rowsTop + index * L.rowHeight + L.rowHeight / 2;
    const stripe = row.kind === RowKind.Certificate ? 'row-certificate' : 'row-child';
    parts.push(
      `<g class="row ${stripe}" data-kind="${row.kind}" data-label="${escapeXml(row.label)}">`,
      `<rect class="row-bg" x="0" y="${y - L.rowHeight / 2}" width="${L.width}" height="${L.rowHeight}"/>`,
      `<text class="label" x="8" y="${y + 4}">${escapeXml(truncate(rowLabel(row), 34))}<tspan class="detail" x="${L.labelWidth - 10}" text-anchor="end">${escapeXml(truncate(row.detail, 26))}</tspan></text>`,
      ...barOf(row, scale, model, y),
      '</g>',
    );
  });
  if (model.rows.length === 0) {
    parts.push(`<text class="note" x="${scale.left + 6}" y="${rowsTop + L.rowHeight / 2 + 4}">no certificates</text>`);
  }
  const nowX = scale.x(model.generatedAt);
  parts.push(
    `<line class="now" x1="${nowX}" y1="16" x2="${nowX}" y2="${rowsTop + rowsHeight}"/>`,
    `<text class="now-label" x="${nowX}" y="12" text-anchor="middle">now</text>`,
    ...legend(rowsTop + rowsHeight + 22, scale.left),
    '</svg>',
  );
  return parts.join('\n');
}

function legend(y: number, left: number): string[] {
  const items: [string, string][] = [
    [BAND_COLOURS.ok, 'more than 30 days (or 1/3 of lifetime)'],
    [BAND_COLOURS.warning, '≤ 30 days or 1/3'],
    [BAND_COLOURS.critical, '≤ 7 days or 1/12'],
    [BAND_COLOURS.expired, 'expired'],
  ];
  const parts: string[] = [`<g class="legend">`];
  let x = left;
  for (const [colour, text] of items) {
    parts.push(
      `<rect x="${x}" y="${y - 10}" width="14" height="10" rx="2" fill="${colour}"/>`,
      `<text x="${x + 20}" y="${y}">${escapeXml(text)}</text>`,
    );
    x += 40 + text.length * 6.5;
  }
  parts.push(
    `<path class="renewal-marker" d="M${x + 6} ${y - 12} L${x + 12} ${y - 5} L${x + 6} ${y + 2} L${x} ${y - 5} Z"/>`,
    `<text x="${x + 18}" y="${y}">renewal time</text>`,
    '</g>',
  );
  return parts;
}
