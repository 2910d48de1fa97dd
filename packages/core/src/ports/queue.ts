/** Longest delay a queue message may carry (SQS `DelaySeconds` maximum); longer waits use `nextWakeAt`. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * The reconcile queue (SQS in AWS). The message is only the certificate id: reconcile re-reads everything, so a
 * duplicate, late or reordered message is harmless (level-triggered).
 *
 * - `send(id, delaySeconds)` enqueues one message visible after `delaySeconds` (0..900, clamped by the caller with
 *   `MAX_QUEUE_DELAY_SECONDS`; outside that range → `ValidationError`). Delivery is at-least-once.
 * - No deduplication is promised: senders may send twice; receivers must tolerate it.
 */
export interface Queue {
  send(certificateId: string, delaySeconds: number): Promise<void>;
}
