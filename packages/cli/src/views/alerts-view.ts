/** `portcullis alerts`: the monitor's alerts, most severe first, each with the runbook that says what to do. */
import { AlertKind, ValidationError } from '@portcullis/core';
import { renderTable } from './table.js';
import { type Colours, plainColours } from './terminal.js';
import type { AlertRow } from './view-types.js';

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, warning: 1, info: 2 };

export function parseAlertKind(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const kinds: readonly string[] = Object.values(AlertKind);
  if (kinds.includes(value)) return value;
  throw new ValidationError('--kind', 'enum', `"${value}" must be one of ${kinds.join(', ')}`);
}

export function parseAlertState(value: string | undefined): 'open' | 'resolved' | undefined {
  if (value === undefined || value === 'open' || value === 'resolved') return value;
  throw new ValidationError('--state', 'enum', `"${value}" must be open or resolved`);
}

export function sortAlerts<T extends AlertRow>(alerts: readonly T[]): T[] {
  return [...alerts].sort(
    (a, b) =>
      (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
      (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function severityCell(severity: string, colours: Colours): string {
  if (severity === 'critical') return colours.red(colours.bold(severity));
  if (severity === 'warning') return colours.yellow(severity);
  return colours.cyan(severity);
}

export function formatAlerts(alerts: readonly AlertRow[], colours: Colours = plainColours): string {
  if (alerts.length === 0) return 'no alerts';
  return renderTable(
    [
      'SEVERITY',
      'KIND',
      'STATE',
      'SUBJECT',
      'LOCATION',
      'NAMES',
      'THRESHOLD',
      'OPENED',
      'LAST SEEN',
      'RUNBOOK',
      'SUMMARY',
    ],
    sortAlerts(alerts).map((a) => [
      severityCell(a.severity, colours),
      a.kind,
      a.state === 'open' ? a.state : colours.dim(a.state),
      a.subject,
      a.location ?? '-',
      a.names.join(',') || '-',
      a.threshold ?? '-',
      a.openedAt,
      a.state === 'resolved' ? `${a.lastSeenAt} (resolved ${a.resolvedAt ?? '-'})` : a.lastSeenAt,
      a.runbook,
      a.summary,
    ]),
  );
}
