/**
 * `portcullis report --html <file> [--days N] [--png <file>]`: an expiry timeline of every certificate, target
 * and live endpoint plus the open alerts, as one self-contained HTML file; `--png` also screenshots it with
 * headless Chromium. Fetches every page (progress on stderr), then each certificate's full view when the listing
 * carries no observations.
 */
import { writeFile } from 'node:fs/promises';
import { ValidationError } from '@portcullis/core';
import type { Command } from 'commander';
import { findChromium, screenshotHtml } from '../report/chromium.js';
import { renderReportHtml } from '../report/report-html.js';
import { resolveApiUrl } from '../runtime/api-client.js';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { ViewError, ViewErrorCode } from '../views/errors.js';
import { fetchAllPages } from '../views/pages.js';
import { createProgress } from '../views/progress.js';
import { processViewIo, type ViewIo } from '../views/terminal.js';
import type { MonitoredView } from '../views/view-types.js';

export interface ReportFlags extends ApiFlags {
  readonly html: string;
  readonly days?: string;
  readonly png?: string;
}

const DEFAULT_DAYS = 90;
/** Full views fetched at once when the listing lacks observations (the API is one Lambda per request). */
const DETAIL_CONCURRENCY = 8;

function parseDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 3650) {
    throw new ValidationError('--days', 'integer-range', `"${value}" must be whole days from 1 to 3650`);
  }
  return days;
}

async function withObservations(
  items: readonly MonitoredView[],
  get: (id: string) => Promise<MonitoredView>,
  io: ViewIo,
): Promise<MonitoredView[]> {
  const missing = items.filter((v) => v.observations === undefined);
  if (missing.length === 0) return [...items];
  const progress = createProgress(io, 'reading certificates');
  const full = new Map<string, MonitoredView>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < missing.length; i = next++) {
      const view = missing[i] as MonitoredView;
      full.set(view.id, await get(view.id));
      progress.update(`${full.size}/${missing.length}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, missing.length) }, worker));
  } finally {
    progress.done(missing.length > 1 ? `${full.size} certificates` : undefined);
  }
  return items.map((v) => full.get(v.id) ?? v);
}

export async function runReport(flags: ReportFlags, io: ViewIo): Promise<void> {
  const days = parseDays(flags.days);
  const source = resolveApiUrl(flags.api, io.env);
  const client = apiClient(flags, io);
  const listed = await fetchAllPages(
    (cursor) => client.list(cursor === undefined ? {} : { cursor }),
    io,
    'certificates',
  );
  const certificates = await withObservations(listed, (id) => client.get(id), io);
  const alerts = await fetchAllPages(
    (cursor) => client.alerts(cursor === undefined ? { state: 'open' } : { state: 'open', cursor }),
    io,
    'alerts',
  );
  const now = io.now?.() ?? new Date();
  await writeFile(flags.html, renderReportHtml({ certificates, alerts, now, days, source }), 'utf8');
  io.out(`wrote ${flags.html}: ${certificates.length} certificates, ${alerts.length} open alerts, ${days} days ahead`);
  if (flags.png === undefined) return;
  const chromium = await findChromium(io.env);
  if (chromium === undefined) {
    throw new ViewError(
      ViewErrorCode.ChromiumMissing,
      'chromium: no binary found for --png; install the Debian package `chromium` or set PORTCULLIS_CHROMIUM',
    );
  }
  const progress = createProgress(io, 'screenshot');
  progress.update(`${chromium} --headless`);
  try {
    await screenshotHtml({ chromium, htmlFile: flags.html, pngFile: flags.png });
  } finally {
    progress.done();
  }
  io.out(`wrote ${flags.png}`);
}

export function registerReportCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('report').description('write an HTML expiry timeline of all certificates and targets'))
    .requiredOption('--html <file>', 'where to write the self-contained HTML report')
    .option('--days <n>', `how many days ahead the timeline reaches (default ${DEFAULT_DAYS})`)
    .option('--png <file>', 'also write a screenshot (needs chromium)')
    .action((flags: ReportFlags) => runReport(flags, io));
}
