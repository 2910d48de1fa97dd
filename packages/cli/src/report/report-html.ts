/**
 * `portcullis report --html`: one self-contained HTML file — inline CSS, the inline SVG timeline, tables of open
 * alerts and certificates. No scripts, fonts, images or links to fetch, so it opens offline, attaches to a ticket
 * and renders the same in a headless browser. Pure: `renderReportHtml(input)` depends on nothing but its input.
 */
import { ExpiryBand } from '../views/expiry.js';
import { escapeXml } from './escape.js';
import { buildReportModel, type ReportInput, type ReportModel, RowKind } from './model.js';
import { BAND_COLOURS, renderTimelineSvg } from './timeline-svg.js';

const STYLE = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px 20px; color: #1d2329; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 8px; }
.meta { color: #5f6b76; margin: 0 0 10px; }
.counts span { display: inline-block; margin-right: 14px; padding: 2px 8px; border-radius: 10px; color: #fff; font-weight: 600; }
svg.timeline { display: block; font: 12px system-ui, sans-serif; }
svg .chart-area { fill: #f7f9fb; stroke: #d9dee3; }
svg .row-certificate .row-bg { fill: #eef2f6; } svg .row-child .row-bg { fill: transparent; }
svg .label { fill: #1d2329; } svg .row-certificate .label { font-weight: 600; }
svg .detail { fill: #5f6b76; font-weight: 400; }
svg .tick { stroke: #d9dee3; } svg .tick-label { fill: #5f6b76; font-size: 11px; }
svg .now { stroke: #1565c0; stroke-width: 2; stroke-dasharray: 4 3; } svg .now-label { fill: #1565c0; font-weight: 600; }
svg .renewal-marker { fill: #1d2329; stroke: #fff; stroke-width: 1; }
svg .bar.kind-target, svg .bar.kind-endpoint { opacity: 0.75; } svg .bar.open-start { opacity: 0.5; }
svg .days-left { font-weight: 600; } svg .note { fill: #8a949e; font-style: italic; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #e6e9ec; vertical-align: top; }
th { color: #5f6b76; font-weight: 600; }
.sev-critical { color: #d62828; font-weight: 700; } .sev-warning { color: #b07d00; font-weight: 600; } .sev-info { color: #1565c0; }
.none { color: #5f6b76; font-style: italic; }
`;

function table(headers: readonly string[], rows: readonly (readonly string[])[], cls: string): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>`;
  // Cells are pre-escaped by the callers (some carry markup such as a severity class).
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}">\n${head}\n${body}\n</table>`;
}

function alertsSection(model: ReportModel): string {
  if (model.alerts.length === 0) return '<p class="none">No open alerts.</p>';
  return table(
    ['Severity', 'Kind', 'Subject', 'Location', 'Threshold', 'Opened', 'Last seen', 'Summary', 'Runbook'],
    model.alerts.map((a) => [
      `<span class="sev-${escapeXml(a.severity)}">${escapeXml(a.severity)}</span>`,
      escapeXml(a.kind),
      escapeXml(a.subject),
      escapeXml(a.location ?? '-'),
      escapeXml(a.threshold ?? '-'),
      escapeXml(a.openedAt),
      escapeXml(a.lastSeenAt),
      escapeXml(a.summary),
      `<code>${escapeXml(a.runbook)}</code>`,
    ]),
    'alerts',
  );
}

function certificatesSection(model: ReportModel): string {
  const rows = model.rows.filter((r) => r.kind === RowKind.Certificate);
  if (rows.length === 0) return '<p class="none">No certificates.</p>';
  return table(
    ['Certificate', 'Names', 'Not before', 'Not after', 'Days left', 'Renewal at'],
    rows.map((r) => [
      escapeXml(r.label),
      escapeXml(r.detail),
      escapeXml(r.notBefore ?? '-'),
      escapeXml(r.notAfter ?? '-'),
      `<span style="color:${BAND_COLOURS[r.band]};font-weight:600">${r.daysLeft === undefined ? '-' : r.daysLeft}</span>`,
      escapeXml(r.renewalAt ?? '-'),
    ]),
    'certificates',
  );
}

export function renderReportHtml(input: ReportInput): string {
  const model = buildReportModel(input);
  const certificateCount = model.rows.filter((r) => r.kind === RowKind.Certificate).length;
  const counts = [ExpiryBand.Expired, ExpiryBand.Critical, ExpiryBand.Warning, ExpiryBand.Ok, ExpiryBand.Unknown]
    .filter((band) => model.counts[band] > 0)
    .map(
      (band) =>
        `<span class="count-${band}" style="background:${BAND_COLOURS[band]}">${model.counts[band]} ${band}</span>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Portcullis expiry report ${escapeXml(model.generatedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Certificate expiry report</h1>
<p class="meta">Generated ${escapeXml(model.generatedAt)}${model.source === undefined ? '' : ` from ${escapeXml(model.source)}`} · ${certificateCount} certificate${certificateCount === 1 ? '' : 's'} · ${model.alerts.length} open alert${model.alerts.length === 1 ? '' : 's'} · window ${escapeXml(model.window.start.slice(0, 10))} to ${escapeXml(model.window.end.slice(0, 10))}</p>
<p class="counts">${counts}</p>
${renderTimelineSvg(model)}
<h2>Open alerts</h2>
${alertsSection(model)}
<h2>Certificates</h2>
${certificatesSection(model)}
</body>
</html>
`;
}
