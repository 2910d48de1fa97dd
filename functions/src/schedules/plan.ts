/**
 * The `plan` schedule (EventBridge, every few minutes): finds certificates due for work through the due index
 * (`listDue(now, limit)` — cost grows with what is due, not with the inventory) and enqueues each id with no delay.
 * Enqueuing a certificate that already has a message in flight is harmless: reconcile is level-triggered and its
 * conditional writes settle duplicates. More than `limit` due: the rest are found by the next run (earliest first).
 */
import { toIsoTime } from '@portcullis/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { getWiring, type Wiring } from '../wiring/wiring.js';

export interface PlanResult {
  /** Ids enqueued, earliest wake-up first. */
  readonly enqueued: readonly string[];
  /** True when `limit` records were due: more may be waiting for the next run. */
  readonly truncated: boolean;
}

export async function planDueCertificates(wiring: Wiring, limit = wiring.config.planLimit): Promise<PlanResult> {
  const now = toIsoTime(wiring.deps.clock.now());
  const due = await wiring.deps.certificates.listDue(now, limit);
  const enqueued: string[] = [];
  for (const record of due) {
    await wiring.queue.send(record.id, 0);
    enqueued.push(record.id);
  }
  wiring.logger.info('planned', { now, enqueued: enqueued.length, truncated: due.length >= limit });
  return { enqueued, truncated: due.length >= limit };
}

export function createPlanHandler(wiring: () => Wiring) {
  return async (_event: ScheduledEvent, _context: Context): Promise<PlanResult> => {
    const current = wiring();
    try {
      return await planDueCertificates(current);
    } finally {
      current.metrics.flush();
    }
  };
}

export const handler = createPlanHandler(getWiring);
