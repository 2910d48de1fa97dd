import { DEFAULT_MONITOR_POLICY } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { MonitorEnv, readMonitorConfig } from './monitor-config.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:portcullis-alerts';
const valid = { [MonitorEnv.AlertTopicArn]: TOPIC, PORTCULLIS_AWS_REGION: 'eu-west-1' };

describe('readMonitorConfig', () => {
  const refused: Record<string, { env: Record<string, string>; field: string }> = {
    'refuses a missing alert topic': { env: { PORTCULLIS_AWS_REGION: 'eu-west-1' }, field: MonitorEnv.AlertTopicArn },
    'refuses an alert topic that is not an SNS ARN': {
      env: { ...valid, [MonitorEnv.AlertTopicArn]: 'portcullis-alerts' },
      field: MonitorEnv.AlertTopicArn,
    },
    'refuses a runbook base that is not a URL': {
      env: { ...valid, [MonitorEnv.RunbookBaseUrl]: 'docs/runbooks' },
      field: MonitorEnv.RunbookBaseUrl,
    },
    'refuses a dead-letter queue URL without an account and a name': {
      env: { ...valid, [MonitorEnv.DeadLetterQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/dlq' },
      field: MonitorEnv.DeadLetterQueueUrl,
    },
    'refuses a region list with a misspelt region': {
      env: { ...valid, [MonitorEnv.MonitorRegions]: 'eu-west-1,euwest2' },
      field: MonitorEnv.MonitorRegions,
    },
    'refuses day thresholds that are not whole days': {
      env: { ...valid, [MonitorEnv.AlertDays]: '30,7.5' },
      field: MonitorEnv.AlertDays,
    },
    'refuses a zero day threshold': { env: { ...valid, [MonitorEnv.AlertDays]: '7,0' }, field: MonitorEnv.AlertDays },
    'refuses a lifetime fraction of 1 or more': {
      env: { ...valid, [MonitorEnv.AlertFractions]: '1,0.5' },
      field: MonitorEnv.AlertFractions,
    },
    'refuses a lifetime fraction that is not a number': {
      env: { ...valid, [MonitorEnv.AlertFractions]: 'third' },
      field: MonitorEnv.AlertFractions,
    },
    'refuses a negative stale grace': {
      env: { ...valid, [MonitorEnv.StaleGraceSeconds]: '-5' },
      field: MonitorEnv.StaleGraceSeconds,
    },
    'refuses a drift grace above 30 days': {
      env: { ...valid, [MonitorEnv.DriftGraceSeconds]: '9999999' },
      field: MonitorEnv.DriftGraceSeconds,
    },
  };
  it.each(Object.entries(refused))('%s', (_name, { env, field }) => {
    expect(() => readMonitorConfig(env)).toThrow(expect.objectContaining({ field }));
  });

  it('applies the documented defaults: the functions region and the default policy', () => {
    expect(readMonitorConfig(valid)).toEqual({
      alertTopicArn: TOPIC,
      regions: ['eu-west-1'],
      policy: DEFAULT_MONITOR_POLICY,
    });
  });

  it('reads thresholds largest first, regions, the queue, the runbook base and the graces', () => {
    const config = readMonitorConfig({
      ...valid,
      [MonitorEnv.AlertDays]: '1, 7,30,7',
      [MonitorEnv.AlertFractions]: '0.083,0.333,0.167',
      [MonitorEnv.MonitorRegions]: 'us-east-1, eu-west-1',
      [MonitorEnv.DeadLetterQueueUrl]: 'http://127.0.0.1:5000/123456789012/portcullis-reconcile-dlq',
      [MonitorEnv.RunbookBaseUrl]: 'https://github.com/example/portcullis/blob/main',
      [MonitorEnv.StaleGraceSeconds]: '600',
      [MonitorEnv.DriftGraceSeconds]: '0',
    });
    expect(config).toEqual({
      alertTopicArn: TOPIC,
      runbookBaseUrl: 'https://github.com/example/portcullis/blob/main',
      deadLetterQueueUrl: 'http://127.0.0.1:5000/123456789012/portcullis-reconcile-dlq',
      regions: ['us-east-1', 'eu-west-1'],
      policy: {
        ...DEFAULT_MONITOR_POLICY,
        expiry: { days: [30, 7, 1], lifetimeFractions: [0.333, 0.167, 0.083] },
        unmanagedDays: [30, 7, 1],
        staleGraceSeconds: 600,
        driftGraceSeconds: 0,
      },
    });
  });

  it('turns the ACM inventory off with "none"', () => {
    expect(readMonitorConfig({ ...valid, [MonitorEnv.MonitorRegions]: 'none' }).regions).toEqual([]);
  });
});
