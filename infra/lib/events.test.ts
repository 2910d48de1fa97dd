import { describe, expect, it } from 'vitest';
import {
  ACM_EXPIRY_DETAIL_TYPE,
  acmExpiryEventPattern,
  acmExpiryPattern,
  defaultEventBusArn,
  scheduleDefinitions,
} from './events.js';
import { config } from './fixtures.js';

describe('scheduleDefinitions', () => {
  const cases: Record<string, { overrides: Record<string, unknown>; plan: string; monitor: string }> = {
    'plans every 5 minutes and monitors hourly by default': {
      overrides: {},
      plan: 'rate(5 minutes)',
      monitor: 'rate(1 hour)',
    },
    'takes the configured expressions': {
      overrides: { schedules: { plan: 'rate(2 minutes)', monitor: 'cron(0 */6 * * ? *)' } },
      plan: 'rate(2 minutes)',
      monitor: 'cron(0 */6 * * ? *)',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { overrides, plan, monitor }) => {
    const schedules = scheduleDefinitions(config(overrides));
    expect(schedules.plan.schedule).toBe(plan);
    expect(schedules.monitor.schedule).toBe(monitor);
  });
});

describe('ACM expiry rule', () => {
  it('matches only ACM approaching-expiration events', () => {
    expect(acmExpiryPattern()).toEqual({ source: ['aws.acm'], detailType: ['ACM Certificate Approaching Expiration'] });
  });

  it('spells the same pattern with detail-type for EventBridge JSON', () => {
    expect(acmExpiryEventPattern()).toEqual({ source: ['aws.acm'], 'detail-type': [ACM_EXPIRY_DETAIL_TYPE] });
  });

  it('listens on the default bus, where ACM publishes', () => {
    expect(defaultEventBusArn('aws', 'eu-west-1', '111122223333')).toBe(
      'arn:aws:events:eu-west-1:111122223333:event-bus/default',
    );
  });
});
