/**
 * Schedules and event rules, as data: the two EventBridge Scheduler schedules (SST `CronV2`) and the pattern of the
 * rule that routes ACM's `ACM Certificate Approaching Expiration` events (default bus, source `aws.acm`) to the
 * acm-expiry function.
 */
import type { InfraConfig } from './config.js';

export interface ScheduleDefinition {
  /** SST logical name. */
  readonly name: string;
  readonly schedule: string;
  /**
   * Scheduler retries of a failed invocation. The planner and the monitor are idempotent and run again on the next
   * tick anyway, so retries only add load during an outage: one is enough.
   */
  readonly retries: number;
}

export function scheduleDefinitions(config: InfraConfig): { plan: ScheduleDefinition; monitor: ScheduleDefinition } {
  return {
    plan: { name: 'PlanSchedule', schedule: config.schedules.plan, retries: 1 },
    monitor: { name: 'MonitorSchedule', schedule: config.schedules.monitor, retries: 1 },
  };
}

export const ACM_EXPIRY_DETAIL_TYPE = 'ACM Certificate Approaching Expiration';

/**
 * The rule's pattern in SST's `Bus.subscribe` shape (`detailType`, not `detail-type`): only ACM's own expiry
 * events. ACM sends them daily per certificate from `DaysBeforeExpiry` (1–45, default 45) — best effort, and
 * never `Expired` for imported certificates, which is why the monitor does not depend on them.
 */
export function acmExpiryPattern(): { source: string[]; detailType: string[] } {
  return { source: ['aws.acm'], detailType: [ACM_EXPIRY_DETAIL_TYPE] };
}

/** The same pattern as EventBridge JSON (docs, `aws events put-rule`, and a check that both spellings agree). */
export function acmExpiryEventPattern(): Record<string, string[]> {
  const pattern = acmExpiryPattern();
  return { source: pattern.source, 'detail-type': pattern.detailType };
}

/** ARN of the account's default event bus (ACM publishes there). */
export function defaultEventBusArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:events:${region}:${account}:event-bus/default`;
}
