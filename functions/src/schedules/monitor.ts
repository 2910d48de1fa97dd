/**
 * The `monitor` schedule (EventBridge, every few minutes to hourly): observes every place each certificate is
 * deployed (targets, live TLS endpoints), the ACM inventory of the configured regions (unmanaged certificates) and the
 * reconcile dead-letter queue, evaluates the alert rules, deduplicates against the open alerts and notifies SNS
 * (`runMonitor` in core does all of it; this file only wires and reports). A failing observation does not fail the
 * run: it is counted in `errors` and logged, and the next run looks again.
 */
import { type MonitorResult, runMonitor } from '@portcullis/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { getMonitorWiring, type MonitorWiring } from '../wiring/monitor-wiring.js';

/** Most errors written to the log one by one; the rest are only counted (a region outage must not flood the log). */
const LOGGED_ERRORS = 20;

/** One monitor run over the wiring, with a summary log line (the handler's body; `portcullis monitor run` too). */
export async function monitorOnce(
  current: MonitorWiring,
  options: { onProgress?: (done: number, total?: number) => void } = {},
): Promise<MonitorResult> {
  const result = await runMonitor(
    current.deps,
    options.onProgress === undefined ? {} : { onProgress: options.onProgress },
  );
  const { errors, ...counts } = result;
  current.wiring.logger.info('monitored', { ...counts, errors: errors.length });
  for (const error of errors.slice(0, LOGGED_ERRORS)) current.wiring.logger.warn('monitor: not observed', { error });
  return result;
}

export function createMonitorHandler(wiring: () => MonitorWiring) {
  return async (_event: ScheduledEvent, _context: Context): Promise<MonitorResult> => {
    const current = wiring();
    try {
      return await monitorOnce(current);
    } finally {
      current.wiring.metrics.flush();
    }
  };
}

export const handler = createMonitorHandler(getMonitorWiring);
