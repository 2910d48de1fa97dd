/**
 * `portcullis monitor run` and `portcullis plan run`: one run of the `monitor` / `plan` schedule, now, from this
 * machine — the handlers' own logic (`monitorOnce`, `planDueCertificates`) over the wiring a Lambda cold start
 * builds, from the same environment as the functions (PORTCULLIS_AWS_ENDPOINT, PORTCULLIS_TABLE_*,
 * PORTCULLIS_RECONCILE_QUEUE_URL, PORTCULLIS_ALERT_TOPIC_ARN, ...). For runbooks: "look again now" after a repair,
 * instead of waiting for the next scheduled run. The functions' JSON logs and EMF lines are not printed; a summary is.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { MonitorResult } from '@portcullis/core';
import {
  buildMonitorWiring,
  buildWiring,
  monitorOnce,
  type PlanResult,
  planDueCertificates,
  type Wiring,
} from '@portcullis/functions';
import { type Command, InvalidArgumentError } from 'commander';

export interface ScheduleCommandIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const processIo: ScheduleCommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** The functions' wiring from `env`, quiet: no JSON log lines, no EMF lines (this is a person's terminal). */
export function quietWiring(env: Readonly<Record<string, string | undefined>>): Wiring {
  const built = buildWiring(env, { log: () => {}, metricsWrite: () => {} });
  return { ...built, logger: new Logger({ serviceName: 'portcullis-cli', logLevel: 'SILENT' }) };
}

/** The summary `monitor run` prints (pure, tested). */
export function formatMonitorResult(result: MonitorResult): string {
  const lines = [
    `observed ${result.certificates} certificate(s) at ${result.observations} place(s)`,
    `alerts: ${result.opened} opened, ${result.changed} changed, ${result.resolved} resolved; ${result.open} open`,
    `notifications sent: ${result.notified}`,
  ];
  if (result.errors.length > 0) {
    lines.push(`errors (${result.errors.length}):`, ...result.errors.map((e) => `  - ${e}`));
  }
  return lines.join('\n');
}

/** The summary `plan run` prints (pure, tested). */
export function formatPlanResult(result: PlanResult): string {
  const lines = [`enqueued ${result.enqueued.length} certificate(s)${result.enqueued.length > 0 ? ':' : ''}`];
  for (const id of result.enqueued) lines.push(`  ${id}`);
  if (result.truncated) lines.push('more may be due: the limit was reached (the next run continues)');
  return lines.join('\n');
}

export async function runMonitorCommand(io: ScheduleCommandIo = processIo): Promise<MonitorResult> {
  const wiring = quietWiring(io.env);
  try {
    const monitor = buildMonitorWiring(wiring, io.env);
    const result = await monitorOnce(monitor, {
      onProgress: (done, total) => io.err(`  ${done}${total === undefined ? '' : `/${total}`} certificates`),
    });
    io.out(formatMonitorResult(result));
    return result;
  } finally {
    wiring.close();
  }
}

export async function runPlanCommand(
  limit: number | undefined,
  io: ScheduleCommandIo = processIo,
): Promise<PlanResult> {
  const wiring = quietWiring(io.env);
  try {
    const result = await planDueCertificates(wiring, limit ?? wiring.config.planLimit);
    io.out(formatPlanResult(result));
    return result;
  } finally {
    wiring.close();
  }
}

function parseLimit(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 1000) {
    throw new InvalidArgumentError('must be an integer from 1 to 1000');
  }
  return parsed;
}

export function registerScheduleCommands(program: Command, io: ScheduleCommandIo = processIo): void {
  program
    .command('monitor')
    .description('the monitor schedule (observe targets and endpoints, raise and resolve alerts)')
    .command('run')
    .description('run the monitor once now, against AWS from the functions environment; prints a summary')
    .action(async () => {
      const result = await runMonitorCommand(io);
      // Observations that failed are reported, and the exit status says so (scripts and runbooks check it).
      if (result.errors.length > 0) process.exitCode = 1;
    });
  program
    .command('plan')
    .description('the plan schedule (enqueue certificates due for work)')
    .command('run')
    .description('run the planner once now, against AWS from the functions environment; prints the enqueued ids')
    .option('--limit <n>', 'most certificates to enqueue (1..1000; default $PORTCULLIS_PLAN_LIMIT or 500)', parseLimit)
    .action(async (flags: { limit?: number }) => {
      await runPlanCommand(flags.limit, io);
    });
}
