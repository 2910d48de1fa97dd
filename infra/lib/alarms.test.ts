import { describe, expect, it } from 'vitest';
import { alarmDefinitions, rateSeconds } from './alarms.js';

describe('alarmDefinitions', () => {
  const alarms = Object.fromEntries(alarmDefinitions('rate(1 hour)').map((alarm) => [alarm.name, alarm]));

  const cases: Record<string, { name: string; want: Record<string, unknown> }> = {
    'fires on the first message in the dead-letter queue': {
      name: 'DeadLetterQueueNotEmpty',
      want: {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        subject: { kind: 'queue', queue: 'deadLetter' },
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
    },
    'fires on any worker invocation error': {
      name: 'WorkerErrors',
      want: { metricName: 'Errors', subject: { kind: 'function', fn: 'worker' }, threshold: 0, statistic: 'Sum' },
    },
    'fires on any monitor error': {
      name: 'MonitorErrors',
      want: { metricName: 'Errors', subject: { kind: 'function', fn: 'monitor' } },
    },
    'fires when the monitor has not run for two intervals, counting no data as breaching': {
      name: 'MonitorNotRunning',
      want: {
        metricName: 'Invocations',
        periodSeconds: 7200,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { name, want }) => {
    expect(alarms[name]).toMatchObject(want);
  });

  it('uses periods CloudWatch accepts (multiples of 60 s, at most a day)', () => {
    for (const schedule of ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(3 days)', 'cron(0 * * * ? *)']) {
      for (const alarm of alarmDefinitions(schedule)) {
        expect(alarm.periodSeconds % 60).toBe(0);
        expect(alarm.periodSeconds).toBeGreaterThanOrEqual(60);
        expect(alarm.periodSeconds).toBeLessThanOrEqual(86_400);
      }
    }
  });

  it('names every alarm once', () => {
    const names = alarmDefinitions('rate(1 hour)').map((alarm) => alarm.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('rateSeconds', () => {
  const cases: Record<string, { schedule: string; want: number | undefined }> = {
    'reads minutes': { schedule: 'rate(5 minutes)', want: 300 },
    'reads a single hour': { schedule: 'rate(1 hour)', want: 3600 },
    'reads days': { schedule: 'rate(2 days)', want: 172_800 },
    'has no interval for cron': { schedule: 'cron(0 * * * ? *)', want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_name, { schedule, want }) => {
    expect(rateSeconds(schedule)).toBe(want);
  });
});
