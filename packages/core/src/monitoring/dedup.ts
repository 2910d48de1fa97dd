/**
 * Alert deduplication (pure): the alerts found by this run against the OPEN alerts stored by earlier runs.
 * One notification per alert and threshold until it changes: a key seen again with the same threshold, severity
 * and fingerprint only moves `lastSeenAt`.
 *
 *   not stored ───────────────▶ opened   (notify "opened")
 *   stored, threshold/severity/fingerprint differ ─▶ changed (notify "changed")
 *   stored, same, notified ────▶ unchanged (write lastSeenAt, no notification)
 *   stored, same, never notified since it opened ─▶ opened again (an earlier send failed: retry)
 *   stored, not found, covered ─▶ resolved (notify "resolved", state resolved)
 *   stored, not found, NOT covered by this run (its certificate, target or region could not be looked at) ─▶ unobserved
 *
 * The caller notifies first and writes the record (with `notifiedAt`) only after the send succeeded, so a failed
 * send leaves the stored record as it was and the next run decides the same transition again.
 */
import type { IsoTime } from '../lifecycle/types.js';
import type { AlertTransition } from '../ports/monitoring.js';
import type { Alert, AlertRecord } from './types.js';

export const AlertDecisionAction = {
  /** A new alert (or one whose opening was never notified). */
  Opened: 'opened',
  /** Threshold, severity or fingerprint changed. */
  Changed: 'changed',
  /** Seen again as it was: only `lastSeenAt` (and the descriptive fields) are refreshed. */
  Unchanged: 'unchanged',
  /** Open before, not found now. */
  Resolved: 'resolved',
  /** Open before, not looked at by this run: left exactly as stored. */
  Unobserved: 'unobserved',
} as const;
export type AlertDecisionAction = (typeof AlertDecisionAction)[keyof typeof AlertDecisionAction];

export interface AlertDecision {
  readonly key: string;
  readonly action: AlertDecisionAction;
  /** The transition to notify; absent = write without notifying (or nothing at all for `unobserved`). */
  readonly notify?: AlertTransition;
  /**
   * The record to write (absent for `unobserved`). `version` is the stored version (0 for a key with no open
   * record: the caller uses a resolved record's version when the key was open once before). `notifiedAt` is the
   * earlier one: the caller sets it after a successful send.
   */
  readonly record?: AlertRecord;
  /** The stored open record, when there was one. */
  readonly previous?: AlertRecord;
}

export interface DedupOptions {
  /** Whether this run looked at what a stored record is about (default: everything was looked at). */
  readonly covers?: (record: AlertRecord) => boolean;
}

/** The alert part of a record (what a notification carries). */
export function alertOf(record: AlertRecord): Alert {
  const { state: _s, openedAt: _o, lastSeenAt: _l, notifiedAt: _n, resolvedAt: _r, version: _v, ...alert } = record;
  return alert;
}

function differs(a: Alert, b: Alert): boolean {
  return a.threshold !== b.threshold || a.severity !== b.severity || a.fingerprint !== b.fingerprint;
}

function notifiedSinceOpening(record: AlertRecord): boolean {
  return record.notifiedAt !== undefined && record.notifiedAt >= record.openedAt;
}

/** One decision per key found now or stored open, sorted by key. */
export function decideAlerts(
  found: readonly Alert[],
  stored: readonly AlertRecord[],
  now: IsoTime,
  options: DedupOptions = {},
): AlertDecision[] {
  const open = new Map(stored.filter((r) => r.state === 'open').map((r) => [r.key, r]));
  const current = new Map<string, Alert>();
  for (const alert of found) if (!current.has(alert.key)) current.set(alert.key, alert);

  const decisions: AlertDecision[] = [];
  for (const [key, alert] of current) {
    const previous = open.get(key);
    if (previous === undefined) {
      decisions.push({
        key,
        action: AlertDecisionAction.Opened,
        notify: 'opened',
        record: { ...alert, state: 'open', openedAt: now, lastSeenAt: now, version: 0 },
      });
      continue;
    }
    const kept = {
      ...alert,
      state: 'open' as const,
      openedAt: previous.openedAt,
      lastSeenAt: now,
      version: previous.version,
      ...(previous.notifiedAt === undefined ? {} : { notifiedAt: previous.notifiedAt }),
    };
    if (differs(alert, previous)) {
      decisions.push({ key, action: AlertDecisionAction.Changed, notify: 'changed', record: kept, previous });
    } else if (!notifiedSinceOpening(previous)) {
      decisions.push({ key, action: AlertDecisionAction.Opened, notify: 'opened', record: kept, previous });
    } else {
      decisions.push({ key, action: AlertDecisionAction.Unchanged, record: kept, previous });
    }
  }
  for (const [key, previous] of open) {
    if (current.has(key)) continue;
    if (options.covers !== undefined && !options.covers(previous)) {
      decisions.push({ key, action: AlertDecisionAction.Unobserved, previous });
      continue;
    }
    decisions.push({
      key,
      action: AlertDecisionAction.Resolved,
      notify: 'resolved',
      record: { ...previous, state: 'resolved', resolvedAt: now },
      previous,
    });
  }
  return decisions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
