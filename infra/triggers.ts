/**
 * What invokes the functions: the HTTP API (IAM auth, one `$default` route: the handler routes itself), the worker's
 * queue subscription with partial batch responses, the `plan` and `monitor` schedules (EventBridge Scheduler via
 * `CronV2`), and the rule sending ACM's approaching-expiration events from the default bus to acm-expiry.
 */
import type { InfraConfig } from './lib/config.js';
import { acmExpiryPattern, scheduleDefinitions } from './lib/events.js';
import type { FunctionKey } from './lib/resources.js';
import type { createMessaging } from './messaging.js';

type Schedule = `rate(${string})` | `cron(${string})`;

export function createTriggers(
  config: InfraConfig,
  functions: Record<FunctionKey, sst.aws.Function>,
  messaging: ReturnType<typeof createMessaging>,
) {
  const api = new sst.aws.ApiGatewayV2('HttpApi', { cors: false });
  api.route('$default', functions.api.arn, { auth: { iam: true } });

  // Partial batch responses: the worker reports failed messages (`batchItemFailures`), the rest are deleted.
  messaging.reconcileQueue.subscribe(functions.worker.arn, { batch: { size: 10, partialResponses: true } });

  const schedules = scheduleDefinitions(config);
  for (const [key, schedule] of [
    ['plan', schedules.plan],
    ['monitor', schedules.monitor],
  ] as const) {
    new sst.aws.CronV2(schedule.name, {
      function: functions[key].arn,
      // Validated by parseInfraConfig (rate(...) or cron(...)).
      schedule: schedule.schedule as Schedule,
      retries: schedule.retries,
    });
  }

  const partition = aws.getPartitionOutput({}).partition;
  const region = aws.getRegionOutput({}).region;
  const account = aws.getCallerIdentityOutput({}).accountId;
  sst.aws.Bus.subscribe(
    'AcmExpiryRule',
    $interpolate`arn:${partition}:events:${region}:${account}:event-bus/default`,
    functions.acmExpiry.arn,
    { pattern: acmExpiryPattern() },
  );
  return { api };
}
