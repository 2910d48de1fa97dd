/**
 * Plain-text tables for the CLI's API commands (`status`, `list`, `events`) and the demo. Columns are padded to
 * their widest cell; no colour, so the output can be piped and compared.
 */
import type { CertificateView, EventView } from './api-client.js';

const DAY_MS = 86_400_000;

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Whole days from `now` to `notAfter` (negative once expired); '-' when unknown. */
export function daysLeft(notAfter: string | undefined, now: Date): string {
  if (notAfter === undefined) return '-';
  return String(Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS));
}

/** `portcullis status <id>`: spec, conditions with reasons, revision, deliveries with serial and days left. */
export function formatStatus(view: CertificateView, now: Date = new Date()): string {
  const { spec, status } = view;
  const summary = renderTable(
    ['FIELD', 'VALUE'],
    [
      ['id', view.id],
      ['tenant', view.tenant],
      ['names', spec.names.join(', ')],
      ['key / challenge', `${spec.keyType} / ${spec.challenge}`],
      ['issuer', `${spec.issuer}${spec.profile === undefined ? '' : ` (profile ${spec.profile})`}`],
      ['targets', spec.targets.map((t) => `${t.id} (${t.type})`).join(', ') || '-'],
      ['ready', status.ready],
      ['revision', String(status.revision)],
      ['phase', status.phase ?? '-'],
      ['serial', status.serial ?? '-'],
      [
        'not after',
        status.notAfter === undefined ? '-' : `${status.notAfter} (${daysLeft(status.notAfter, now)} days left)`,
      ],
      ['renewal at', status.renewalAt ?? '-'],
      ...(status.failures === undefined
        ? []
        : [['failures', `${status.failures.count} × ${status.failures.reason}: ${status.failures.message ?? ''}`]]),
    ],
  );
  const conditions = renderTable(
    ['CONDITION', 'STATUS', 'REASON', 'SINCE', 'MESSAGE'],
    status.conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionAt ?? '-', c.message ?? '']),
  );
  const deliveries = renderTable(
    ['TARGET', 'STATE', 'REVISION', 'SERIAL', 'DAYS LEFT', 'LOCATION'],
    Object.entries(status.deliveries).map(([id, d]) => [
      id,
      d.state,
      d.revision === undefined ? '-' : String(d.revision),
      d.serial ?? '-',
      // A delivery carries no expiry of its own: it holds the current certificate only when the serials agree.
      d.serial !== undefined && d.serial === status.serial ? daysLeft(status.notAfter, now) : '-',
      d.location ?? '-',
    ]),
  );
  return `${summary}\n\n${conditions}\n\n${deliveries}`;
}

export function formatList(items: readonly CertificateView[], now: Date = new Date()): string {
  return renderTable(
    ['ID', 'READY', 'REVISION', 'SERIAL', 'DAYS LEFT', 'NAMES'],
    items.map((v) => [
      v.id,
      v.status.ready,
      String(v.status.revision),
      v.status.serial ?? '-',
      daysLeft(v.status.notAfter, now),
      v.spec.names.join(','),
    ]),
  );
}

export function formatEvents(items: readonly EventView[]): string {
  return renderTable(
    ['AT', 'TYPE', 'REVISION', 'SERIAL', 'TARGET', 'REASON', 'MESSAGE'],
    items.map((e) => [
      e.at,
      e.type,
      e.revision === undefined ? '-' : String(e.revision),
      e.serial ?? '-',
      e.targetId ?? '-',
      e.reason ?? '-',
      e.message ?? '',
    ]),
  );
}
