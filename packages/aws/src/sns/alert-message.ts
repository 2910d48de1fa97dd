/**
 * How one alert reads as an SNS message: a short ASCII subject (mail subject, chat title), a plain-text body a
 * person can act on (summary, facts, the runbook link), and String message attributes subscribers filter on
 * (`kind`, `severity`, `certificate`, `names`, `transition`). Pure, so the exact text is unit-tested.
 */
import type { Alert, AlertTransition } from '@portcullis/core';

/** SNS: "Subjects must be ASCII text ... and must be less than 100 characters long" (Publish API reference). */
export const SUBJECT_MAX = 99;

/**
 * A message attribute value is part of the 256 KB message, but subscribers only need enough of `names` to filter
 * (exact or prefix match on a name): whole names up to this length, then `+N more`.
 */
export const NAMES_ATTRIBUTE_MAX = 1024;

/** Names of the message attributes (the documented filter interface of the alert topic). */
export const AlertAttribute = {
  /** `AlertKind`: expiring, renewal-failing, stale, drift, unmanaged-expiring, dlq-not-empty. */
  Kind: 'kind',
  /** `AlertSeverity`: info, warning, critical. */
  Severity: 'severity',
  /** The managed certificate id, or the alert's subject (ACM ARN, queue name) for account-wide alerts. */
  Certificate: 'certificate',
  /** DNS names, comma-joined, cut to whole names (absent when the alert concerns none, e.g. the DLQ). */
  Names: 'names',
  /** `opened` | `changed` | `resolved`. */
  Transition: 'transition',
} as const;
export type AlertAttribute = (typeof AlertAttribute)[keyof typeof AlertAttribute];

export interface AlertMessage {
  readonly subject: string;
  readonly body: string;
  readonly attributes: Readonly<Record<AlertAttribute, string | undefined>>;
}

/** Printable ASCII only, single spaces, cut to `max` with `...` (SNS refuses anything else in a subject). */
export function toSubjectText(text: string, max = SUBJECT_MAX): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length <= max ? ascii : `${ascii.slice(0, max - 3).trimEnd()}...`;
}

/** Whole names comma-joined; when they do not fit in `max`, as many as fit and `+N more`. */
export function joinNames(names: readonly string[], max = NAMES_ATTRIBUTE_MAX): string {
  const all = names.join(',');
  if (all.length <= max) return all;
  const kept: string[] = [];
  let length = 0;
  for (const name of names) {
    const more = `+${names.length - kept.length - 1} more`;
    const next = length + (kept.length === 0 ? 0 : 1) + name.length;
    if (next + 1 + more.length > max) break;
    kept.push(name);
    length = next;
  }
  return [...kept, `+${names.length - kept.length} more`].join(',');
}

/** `base` + `path` with exactly one slash between them; the path alone without a base. */
export function runbookLink(path: string, baseUrl?: string): string {
  if (baseUrl === undefined) return path;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** `[critical] expiring: www.example.com (7d)`; `[resolved] ...` when the alert is resolved. */
export function alertSubject(alert: Alert, transition: AlertTransition): string {
  const label = alert.names[0] ?? alert.certificateId ?? alert.subject;
  const more = alert.names.length > 1 ? ` +${alert.names.length - 1}` : '';
  const tag = transition === 'resolved' ? 'resolved' : alert.severity;
  const threshold = alert.threshold === undefined || transition === 'resolved' ? '' : ` (${alert.threshold})`;
  // The threshold and the tag matter more than the tail of a long name: cut the label, keep the rest.
  const head = `[${tag}] ${alert.kind}: `;
  const tail = `${more}${threshold}`;
  const room = SUBJECT_MAX - head.length - tail.length;
  return toSubjectText(`${head}${toSubjectText(label, Math.max(room, 8))}${tail}`);
}

/** The plain-text body: summary first, then the facts as `key: value` lines, then the runbook link. */
export function alertBody(alert: Alert, transition: AlertTransition, runbookBaseUrl?: string): string {
  const heading =
    transition === 'resolved'
      ? `RESOLVED: ${alert.summary}`
      : transition === 'changed'
        ? `CHANGED: ${alert.summary}`
        : alert.summary;
  const facts: [string, string | undefined][] = [
    ['kind', alert.kind],
    ['severity', alert.severity],
    ['transition', transition],
    ['certificate', alert.certificateId],
    ['tenant', alert.tenant],
    ['subject', alert.subject],
    ['names', alert.names.length === 0 ? undefined : alert.names.join(', ')],
    ['location', alert.location],
    ['threshold', alert.threshold],
  ];
  const lines = [heading, ''];
  for (const [key, value] of facts) if (value !== undefined) lines.push(`${key}: ${value}`);
  const details = Object.entries(alert.details).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (details.length > 0) {
    lines.push('', 'details:');
    for (const [key, value] of details) lines.push(`  ${key}: ${value.replace(/\s*\n\s*/g, ' ')}`);
  }
  lines.push('', `runbook: ${runbookLink(alert.runbook, runbookBaseUrl)}`, '');
  // Subscribers dedupe on these (at-least-once delivery): shown last, for machines more than people.
  lines.push(`alert key: ${alert.key}`, `fingerprint: ${alert.fingerprint}`);
  return `${lines.join('\n')}\n`;
}

/** The whole message of one alert notification. */
export function renderAlertMessage(alert: Alert, transition: AlertTransition, runbookBaseUrl?: string): AlertMessage {
  return {
    subject: alertSubject(alert, transition),
    body: alertBody(alert, transition, runbookBaseUrl),
    attributes: {
      kind: alert.kind,
      severity: alert.severity,
      certificate: alert.certificateId ?? alert.subject,
      names: alert.names.length === 0 ? undefined : joinNames(alert.names),
      transition,
    },
  };
}
