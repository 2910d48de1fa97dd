/** CloudWatch alarms (definitions: infra/lib/alarms.ts), each notifying the alert topic on alarm and on recovery. */

import { alarmDefinitions } from './lib/alarms.js';
import type { InfraConfig } from './lib/config.js';
import type { FunctionKey } from './lib/resources.js';
import type { createMessaging } from './messaging.js';

export function createAlarms(
  config: InfraConfig,
  functions: Record<FunctionKey, sst.aws.Function>,
  messaging: ReturnType<typeof createMessaging>,
) {
  for (const alarm of alarmDefinitions(config.schedules.monitor)) {
    const dimensions: Record<string, $util.Output<string>> = alarm.subject.kind === 'queue'
      ? { QueueName: messaging.deadLetterQueue.nodes.queue.name }
      : { FunctionName: functions[alarm.subject.fn].name };
    new aws.cloudwatch.MetricAlarm(alarm.name, {
      alarmDescription: alarm.description,
      namespace: alarm.namespace,
      metricName: alarm.metricName,
      dimensions,
      statistic: alarm.statistic,
      period: alarm.periodSeconds,
      evaluationPeriods: alarm.evaluationPeriods,
      threshold: alarm.threshold,
      comparisonOperator: alarm.comparisonOperator,
      treatMissingData: alarm.treatMissingData,
      alarmActions: [messaging.alertTopic.arn],
      okActions: [messaging.alertTopic.arn],
    });
  }
}
