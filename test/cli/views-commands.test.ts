/**
 * The view commands against the local runtime on the real stack (pebble issuing 6-day certificates, bind9, moto):
 * two certificates requested through the API and taken to Ready and one whose issuance fails (a CAA record names
 * another CA), the monitor run once (ACM observed, a live endpoint that is down, `renewal-failing` for the third),
 * then `status`, `list`, `alerts` and `renew --wait` print what the API holds.
 */
import {
  ApiClient,
  type CertificateView,
  registerAlertsCommand,
  registerListCommand,
  registerRenewCommand,
  registerStatusCommand,
} from '@portcullis/cli';
import pc from 'picocolors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedPort,
  DAY_SECONDS,
  requestFailing,
  requestReady,
  runViews,
  startViewsStack,
  type ViewsStack,
} from './views-support.js';

let views: ViewsStack;
let withEndpoint: CertificateView;
let plain: CertificateView;
let failing: CertificateView;
let downPort: number;

const commands = [registerStatusCommand, registerListCommand, registerAlertsCommand, registerRenewCommand];
const cli = (args: string[], env: Record<string, string> = {}) =>
  runViews(commands, args, { PORTCULLIS_API_URL: views.runtime.url, ...env });

beforeAll(async () => {
  views = await startViewsStack(6 * DAY_SECONDS);
  downPort = await closedPort();
  [withEndpoint, plain, failing] = await Promise.all([
    requestReady(
      views.api,
      ['views-a.example.test'],
      [{ host: '127.0.0.1', port: downPort, serverName: 'views-a.example.test' }],
    ),
    requestReady(views.api, ['views-b.example.test', '*.views-b.example.test']),
    requestFailing(views, 'views-failing.example.test'),
  ]);
  await views.runtime.monitorNow();
}, 120_000);

afterAll(async () => {
  await views?.stop();
});

/** Cells of the line starting with `first` (columns are separated by two or more spaces). */
function row(output: string, first: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith(`${first} `));
  if (line === undefined) throw new Error(`no row "${first}" in:\n${output}`);
  return line.split(/\s{2,}/);
}

describe('status', () => {
  it('shows the ACM target with its deployed serial, the serial the monitor observed, days left and a match', async () => {
    const { stdout } = await cli(['status', withEndpoint.id]);
    const serial = withEndpoint.status.serial as string;
    const [id, type, state, revision, deployed, days, location, observed, match] = row(stdout, 'acm');
    expect({ id, type, state, revision, deployed, observed, match }).toEqual({
      id: 'acm',
      type: 'acm',
      state: 'delivered',
      revision: '1',
      deployed: serial,
      observed: serial,
      match: 'match',
    });
    expect(Number(days)).toBeGreaterThanOrEqual(5);
    expect(location).toMatch(/^arn:aws:acm:us-east-1:/);
    expect(row(stdout, 'not after')[1]).toMatch(new RegExp(`^${withEndpoint.status.notAfter} \\(\\d+ days left\\)$`));
    expect(stdout).toMatch(/Ready\s+True\s+UpToDate/);
  });

  it('shows the endpoint that does not answer as absent, with the reason the monitor gave', async () => {
    const { stdout } = await cli(['status', withEndpoint.id]);
    const cells = row(stdout, `127.0.0.1:${downPort}`);
    expect(cells.slice(0, 5)).toEqual([`127.0.0.1:${downPort}`, 'views-a.example.test', '-', 'absent', '-']);
    expect(cells[6]).toBeTruthy();
  });
});

describe('status of a certificate that cannot be issued', () => {
  it('shows the failures with their reason and the backoff', async () => {
    const { stdout } = await cli(['status', failing.id]);
    const failures = failing.status.failures as { count: number; reason: string };
    expect(row(stdout, 'failures')[1]).toMatch(new RegExp(`^\\d+ × ${failures.reason}`));
    expect(row(stdout, 'backoff until')[1]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(row(stdout, 'serial')).toEqual(['serial', '-']);
  });
});

describe('list', () => {
  it('with --sort fetches every page (progress on stderr) and orders by days left, unissued last', async () => {
    const { stdout, stderr } = await cli(['list', '--sort', 'days', '--limit', '1']);
    const ids = stdout
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[0]);
    // Issued moments apart with the same validity: the one issued first expires first.
    const issued = [withEndpoint, plain]
      .sort(
        (a, b) =>
          Date.parse(a.status.notAfter as string) - Date.parse(b.status.notAfter as string) || (a.id < b.id ? -1 : 1),
      )
      .map((v) => v.id);
    expect(ids).toEqual([...issued, failing.id]);
    expect(stderr.at(-1)).toMatch(/^fetching certificates: 3 certificates in 3 pages/);
    expect(stdout).not.toContain('\u001b[');
  });

  it('--reverse flips the order; --sort id orders by id', async () => {
    const byId = [withEndpoint.id, plain.id, failing.id].sort();
    const sorted = await cli(['list', '--sort', 'id']);
    const reversed = await cli(['list', '--sort', 'id', '--reverse']);
    const idsOf = (out: string) =>
      out
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[0]);
    expect(idsOf(sorted.stdout)).toEqual(byId);
    expect(idsOf(reversed.stdout)).toEqual([...byId].reverse());
  });

  it('colours days left green for fresh certificates when colour is forced, and not with --no-color', async () => {
    const colours = pc.createColors(true);
    const coloured = await cli(['list', '--sort', 'days'], { FORCE_COLOR: '1' });
    const days = Math.floor((Date.parse(plain.status.notAfter as string) - Date.now()) / 86_400_000);
    expect(coloured.stdout).toContain(colours.green(String(days)));
    expect((await cli(['list', '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toContain('\u001b[');
  });
});

describe('alerts', () => {
  it('lists the open renewal-failing alert of a certificate with severity, subject, names and runbook', async () => {
    const { stdout } = await cli(['alerts', '--kind', 'renewal-failing', '--certificate', failing.id]);
    const [header, ...rows] = stdout.split('\n').map((line) => line.split(/\s{2,}/));
    expect(header?.slice(0, 6)).toEqual(['SEVERITY', 'KIND', 'STATE', 'SUBJECT', 'LOCATION', 'NAMES']);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.slice(1, 4)).toEqual(['renewal-failing', 'open', failing.id]);
    expect(['warning', 'critical']).toContain(rows[0]?.[0]);
    expect(rows[0]).toContain('views-failing.example.test');
    expect(rows[0]).toContain('docs/runbooks/renewal-failing.md');
  });

  it('shows none for a healthy certificate, and filters by state', async () => {
    expect((await cli(['alerts', '--certificate', plain.id])).stdout).toBe('no alerts');
    expect((await cli(['alerts', '--state', 'resolved', '--certificate', failing.id])).stdout).toBe('no alerts');
  });

  it('refuses an unknown kind before calling the API', async () => {
    await expect(cli(['alerts', '--kind', 'nope'])).rejects.toThrow(/^--kind: "nope" must be one of/);
  });
});

describe('renew --wait', () => {
  it('follows the renewal step by step on stderr until revision 2 is Ready', async () => {
    const { stdout, stderr } = await cli(['renew', plain.id, '--wait', '--timeout', '60']);
    expect(stdout).toContain(`renewal requested for ${plain.id}`);
    expect(stdout).toMatch(new RegExp(`renewed ${plain.id}: revision 2, serial [0-9a-f]+`));
    expect(stderr.length).toBeGreaterThan(1);
    expect(stderr.every((line) => line.startsWith(`renew ${plain.id}: `))).toBe(true);
    expect(stderr.at(-1)).toMatch(/: revision 2 Ready \(\+[\d.]+s\)$/);
    const renewed = await new ApiClient(views.runtime.url).get(plain.id);
    expect(renewed.status.serial).not.toBe(plain.status.serial);
  });

  it('fails naming the reason when the renewal fails (the failure count grows)', async () => {
    await expect(cli(['renew', failing.id, '--wait', '--timeout', '60'])).rejects.toMatchObject({
      code: 'view.renewal-failed',
      message: expect.stringContaining(`renewal of ${failing.id} failed`),
    });
  });
});
