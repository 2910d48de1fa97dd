/**
 * Text output of the CLI's API commands (`status`, `list`, `events`) and the demo. The status/list/alerts views
 * live in `../views/` (colour, sorting, monitoring columns); this module keeps the names the runtime exports.
 * Without a `Colours` argument everything is plain, so output can be piped and compared.
 */
import { wholeDaysLeft } from '../views/expiry.js';
import { formatList } from '../views/list-view.js';
import { formatStatus } from '../views/status-view.js';
import { renderTable } from '../views/table.js';
import type { EventView } from './api-client.js';

export { formatList, formatStatus, renderTable };

/** Whole days from `now` to `notAfter` (negative once expired); '-' when unknown. */
export function daysLeft(notAfter: string | undefined, now: Date): string {
  const days = wholeDaysLeft(notAfter, now);
  return days === undefined ? '-' : String(days);
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
