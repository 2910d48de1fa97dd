import { SnsNotifier } from '@portcullis/aws';
import { LifecycleWorld } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { MonitorEnv } from './monitor-config.js';
import { buildMonitorWiring } from './monitor-wiring.js';
import { worldWiring } from './testing.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:portcullis-alerts';
const env = {
  PORTCULLIS_AWS_REGION: 'us-east-1',
  PORTCULLIS_TABLE_CERTIFICATES: 't-certificates',
  PORTCULLIS_TABLE_ORDERS: 't-orders',
  PORTCULLIS_TABLE_LEDGER: 't-ledger',
  PORTCULLIS_TABLE_EVENTS: 't-events',
  PORTCULLIS_TABLE_ALERTS: 't-alerts',
  [MonitorEnv.AlertTopicArn]: TOPIC,
};

/** No AWS call happens while wiring: the clients are lazy, so building against an unreachable endpoint is fine. */
function build(extra: Record<string, string> = {}) {
  const wiring = worldWiring(new LifecycleWorld());
  return buildMonitorWiring(wiring, { ...env, ...extra });
}

describe('buildMonitorWiring', () => {
  it('shares the worker’s certificates, targets and clock and publishes to the configured topic', () => {
    const monitor = build();
    expect(monitor.deps.certificates).toBe(monitor.wiring.deps.certificates);
    expect(monitor.deps.targets).toBe(monitor.wiring.deps.targets);
    expect(monitor.deps.clock).toBe(monitor.wiring.deps.clock);
    expect(monitor.deps.notifier).toBeInstanceOf(SnsNotifier);
    expect((monitor.deps.notifier as SnsNotifier).topicArn).toBe(TOPIC);
    expect(monitor.deps.prober).toBeDefined();
    monitor.close();
  });

  const cases: Record<string, { extra: Record<string, string>; regions?: string[]; dlq?: string }> = {
    'watches the functions region and no dead-letter queue by default': { extra: {}, regions: ['us-east-1'] },
    'watches the listed regions and the dead-letter queue when configured': {
      extra: {
        [MonitorEnv.MonitorRegions]: 'us-east-1,eu-west-1',
        [MonitorEnv.DeadLetterQueueUrl]: 'http://127.0.0.1:5000/123456789012/portcullis-reconcile-dlq',
      },
      regions: ['us-east-1', 'eu-west-1'],
      dlq: 'portcullis-reconcile-dlq',
    },
    'lists no ACM inventory with "none"': { extra: { [MonitorEnv.MonitorRegions]: 'none' } },
  };
  it.each(Object.entries(cases))('%s', (_name, { extra, regions, dlq }) => {
    const monitor = build(extra);
    expect(monitor.deps.acm?.regions).toEqual(regions);
    expect(monitor.deps.deadLetterQueue?.name).toBe(dlq);
    monitor.close();
  });

  it('refuses a missing alert topic before building anything', () => {
    const wiring = worldWiring(new LifecycleWorld());
    const { [MonitorEnv.AlertTopicArn]: _topic, ...withoutTopic } = env;
    expect(() => buildMonitorWiring(wiring, withoutTopic)).toThrow(
      expect.objectContaining({ field: MonitorEnv.AlertTopicArn }),
    );
  });
});
