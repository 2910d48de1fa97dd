/**
 * The reconcile worker: SQS batch → `reconcile(id)` per message, one step each. Partial batch responses (Powertools
 * `processPartialResponse`): a message whose reconcile throws is reported in `batchItemFailures` and SQS delivers it
 * again after the visibility timeout; the others are deleted. When reconcile asks to wait, the id is sent again
 * through the Queue port with the returned delay (≤ 900 s) — a new message, so the current one can be deleted and
 * no Lambda ever sleeps. Longer waits are `nextWakeAt`, found by the `plan` schedule.
 *
 * Messages are processed one after the other: two messages of one batch may carry the same id (a requeue racing a
 * planner enqueue), and in sequence the second simply re-reads and decides again instead of losing a write race.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { reconcile } from '@portcullis/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { getWiring, type Wiring } from '../wiring/wiring.js';

/** Certificate ids as the API assigns them. */
const CERTIFICATE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Handles one message; throws to have SQS deliver it again. */
export async function reconcileMessage(wiring: Wiring, record: SQSRecord): Promise<void> {
  const certificateId = record.body.trim();
  if (!CERTIFICATE_ID.test(certificateId)) {
    // Redelivering cannot make a malformed body valid: log it and let the message go (not a batch failure).
    wiring.logger.error('reconcile: message body is not a certificate id; dropped', {
      messageId: record.messageId,
      bodyLength: record.body.length,
    });
    return;
  }
  const result = await reconcile(certificateId, wiring.deps);
  wiring.logger.info('reconciled', {
    certificateId,
    step: result.step,
    reason: result.reason,
    ...(result.requeueAfterSeconds === undefined ? {} : { requeueAfterSeconds: result.requeueAfterSeconds }),
    ...(result.nextWakeAt === undefined ? {} : { nextWakeAt: result.nextWakeAt }),
  });
  // If this send fails the message fails too and comes back: reconcile is level-triggered, repeating it is safe.
  if (result.requeueAfterSeconds !== undefined) await wiring.queue.send(certificateId, result.requeueAfterSeconds);
}

/** The handler over a given wiring (tests); `handler` below uses the cold-start wiring. */
export function createReconcileHandler(wiring: () => Wiring) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const current = wiring();
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, (record: SQSRecord) => reconcileMessage(current, record), processor, {
        context,
        processInParallel: false,
        // Every message failing is still a partial response (all ids listed), not a thrown error: same retry path.
        throwOnFullBatchFailure: false,
      });
    } finally {
      current.metrics.flush();
    }
  };
}

export const handler = createReconcileHandler(getWiring);
