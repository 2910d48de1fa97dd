/**
 * The HTML expiry report from real data, checked in headless Chromium (Debian package `chromium`): two local
 * stacks whose pebbles issue 6-day and 40-day certificates, certificates requested through each runtime's HTTP API
 * and taken to Ready, the monitor run once; then
 *   - `portcullis report --html --png` against one runtime writes the page and Chromium's screenshot of it;
 *   - the report over both APIs' views (different lifetimes), rendered as of 5.6 days from now (the report's
 *     "now" is a parameter), is screenshotted too: the 6-day certificates are then red, the 40-day one green.
 * Each PNG is checked by decoding it: signature, IHDR size = the window size, many colours (a blank page has one)
 * and the exact band colours of the bars.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertificateView,
  countColours,
  decodePng,
  ExpiryBand,
  findChromium,
  PNG_SIGNATURE,
  readPngHeader,
  registerReportCommand,
  renderReportHtml,
  screenshotHtml,
} from '@portcullis/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, DAY_SECONDS, requestReady, runViews, startViewsStack, type ViewsStack } from './views-support.js';

const WIDTH = 1400;
const HEIGHT = 900;
/** `BAND_COLOURS` of the report as RGB hex (what Chromium paints; no colour management in headless). */
const RED = 'd62828';
const GREEN = '2e9e4f';

let shortLived: ViewsStack;
let longLived: ViewsStack;
let chromium: string;
let work: string;
const certificates: CertificateView[] = [];

beforeAll(async () => {
  const found = await findChromium(process.env);
  if (found === undefined) {
    throw new Error('test: no chromium on PATH — install the Debian package: apt-get install -y chromium');
  }
  chromium = found;
  work = await mkdtemp(join(tmpdir(), 'portcullis-report-'));
  [shortLived, longLived] = await Promise.all([startViewsStack(6 * DAY_SECONDS), startViewsStack(40 * DAY_SECONDS)]);
  const down = await closedPort();
  certificates.push(
    ...(await Promise.all([
      requestReady(shortLived.api, ['report-a.example.test'], [{ host: '127.0.0.1', port: down }]),
      requestReady(shortLived.api, ['report-b.example.test', '*.report-b.example.test']),
      requestReady(longLived.api, ['report-c.example.test']),
    ])),
  );
  await Promise.all([shortLived.runtime.monitorNow(), longLived.runtime.monitorNow()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([shortLived?.stop(), longLived?.stop()]);
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Pixels of the decoded screenshot per RGB hex value. */
function colourCounts(png: Buffer): Map<string, number> {
  const image = decodePng(png);
  const counts = new Map<string, number>();
  for (let at = 0; at < image.pixels.length; at += image.channels) {
    const rgb = image.pixels.subarray(at, at + 3).toString('hex');
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  return counts;
}

function expectScreenshot(png: Buffer): void {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(readPngHeader(png)).toMatchObject({ width: WIDTH, height: HEIGHT });
  // A blank page is one colour; text, bars, axis and tables give hundreds (anti-aliasing).
  expect(countColours(decodePng(png))).toBeGreaterThan(50);
}

describe('portcullis report', () => {
  it('--html writes the self-contained timeline of the API’s certificates; --png its Chromium screenshot', async () => {
    const html = join(work, 'short-lived.html');
    const png = join(work, 'short-lived.png');
    const { stdout } = await runViews(
      [registerReportCommand],
      ['report', '--html', html, '--png', png, '--days', '14'],
      { PORTCULLIS_API_URL: shortLived.runtime.url, PATH: process.env.PATH },
    );
    expect(stdout).toContain(`wrote ${html}: 2 certificates`);
    const page = await readFile(html, 'utf8');
    for (const view of certificates.slice(0, 2)) {
      expect(page).toContain(`data-label="${view.id}"`);
      // The ACM target row under it, observed by the monitor.
      expect(page).toContain(`data-not-after="${view.status.notAfter}"`);
    }
    expect(page).toContain(`data-label="127.0.0.1:`);
    expect(page).not.toMatch(/<script|\s(?:src|href)="/i);
    expect(existsSync(png)).toBe(true);
    const shot = await readFile(png);
    expectScreenshot(shot);
    // Fresh certificates: every bar is green.
    expect(colourCounts(shot).get(GREEN) ?? 0).toBeGreaterThan(500);
  });
});

describe('the report over certificates of different lifetimes', () => {
  it('paints the 6-day ones red and the 40-day one green as of 5.6 days from now', async () => {
    const full = await Promise.all([
      ...certificates.slice(0, 2).map((v) => shortLived.api.get(v.id)),
      longLived.api.get((certificates[2] as CertificateView).id),
    ]);
    expect(full.every((v) => v.observations !== undefined && v.observations.length > 0)).toBe(true);
    const now = new Date(Date.now() + 5.6 * DAY_SECONDS * 1000);
    const html = renderReportHtml({ certificates: full, alerts: [], now, days: 45, source: 'two local stacks' });
    const rows = [...html.matchAll(/<rect class="bar band-(\w+) kind-(\w+)/g)].map((m) => `${m[2]}:${m[1]}`);
    expect(rows).toEqual([
      `certificate:${ExpiryBand.Critical}`,
      `target:${ExpiryBand.Critical}`,
      `certificate:${ExpiryBand.Critical}`,
      `target:${ExpiryBand.Critical}`,
      `certificate:${ExpiryBand.Ok}`,
      `target:${ExpiryBand.Ok}`,
    ]);
    const file = join(work, 'lifetimes.html');
    const png = join(work, 'lifetimes.png');
    await writeFile(file, html);
    await screenshotHtml({ chromium, htmlFile: file, pngFile: png, width: WIDTH, height: HEIGHT });
    const shot = await readFile(png);
    expectScreenshot(shot);
    const counts = colourCounts(shot);
    expect(counts.get(RED) ?? 0).toBeGreaterThan(200);
    expect(counts.get(GREEN) ?? 0).toBeGreaterThan(200);
  });
});
