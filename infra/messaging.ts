/** Reconcile queue + dead-letter queue, the alert topic (with e-mail subscribers), the lifecycle event bus. */
import type { InfraConfig } from './lib/config.js';
import { RECONCILE_MAX_RECEIVES, reconcileVisibilitySeconds } from './lib/resources.js';

/** 14 days, SQS's maximum: a stuck certificate stays inspectable (`portcullis dlq list`) for two weeks. */
const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

export function createMessaging(config: InfraConfig) {
  const deadLetterQueue = new sst.aws.Queue('ReconcileDeadLetterQueue', {
    transform: { queue: { messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS } },
  });
  const reconcileQueue = new sst.aws.Queue('ReconcileQueue', {
    visibilityTimeout: `${reconcileVisibilitySeconds()} seconds`,
    dlq: { queue: deadLetterQueue.arn, retry: RECONCILE_MAX_RECEIVES },
  });
  const alertTopic = new sst.aws.SnsTopic('Alerts');
  config.alerts.emails.forEach((email, i) => {
    new aws.sns.TopicSubscription(`AlertEmail${i}`, { topic: alertTopic.arn, protocol: 'email', endpoint: email });
  });
  // Lifecycle events get their own bus: PutEvents is granted on it alone, and consumers subscribe to it.
  const eventBus = new sst.aws.Bus('Events');
  return { deadLetterQueue, reconcileQueue, alertTopic, eventBus };
}
