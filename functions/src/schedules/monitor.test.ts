import { LifecycleWorld } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { lambdaContext, scheduledEvent, worldMonitorWiring } from '../wiring/testing.js';
import { createMonitorHandler } from './monitor.js';

const context = lambdaContext('portcullis-monitor');
const DAY = 86_400;

/** One certificate issued and delivered by the fake lifecycle, then `days` later (no renewal in between). */
async function issuedAndAged(days: number) {
  const world = new LifecycleWorld();
  await world.request('web', { names: ['www.example.test'] });
  await world.run('web');
  world.clock.advance(days * DAY);
  return { world, monitor: worldMonitorWiring(world) };
}

describe('monitor schedule', () => {
  it('raises nothing for a fresh certificate and records what it observed', async () => {
    const { monitor } = await issuedAndAged(1);
    const result = await createMonitorHandler(() => monitor)(scheduledEvent('2026-06-02T00:00:00Z'), context);
    expect(result).toMatchObject({ certificates: 1, opened: 0, open: 0, notified: 0, errors: [] });
    expect(result.observations).toBeGreaterThan(0);
    expect(await monitor.observations.get('web')).not.toEqual([]);
    expect(monitor.notifier.sent).toEqual([]);
  });

  it('opens and notifies an expiring alert once, then sends nothing new on the next run', async () => {
    const { monitor } = await issuedAndAged(75);
    const handler = createMonitorHandler(() => monitor);
    const first = await handler(scheduledEvent('2026-08-15T00:00:00Z'), context);
    const kinds = monitor.notifier.sent.map((s) => `${s.transition} ${s.alert.kind}`);
    expect(kinds).toContain('opened expiring');
    expect(first.opened).toBe(monitor.notifier.sent.length);

    const second = await handler(scheduledEvent('2026-08-15T00:05:00Z'), context);
    expect(second).toMatchObject({ opened: 0, changed: 0, resolved: 0, notified: 0 });
    expect(monitor.notifier.sent.map((s) => `${s.transition} ${s.alert.kind}`)).toEqual(kinds);
  });

  it('flushes the run metrics as EMF lines at the end of the invocation', async () => {
    const { monitor } = await issuedAndAged(1);
    await createMonitorHandler(() => monitor)(scheduledEvent('2026-06-02T00:00:00Z'), context);
    expect(monitor.wiring.metricLines.length).toBeGreaterThan(0);
  });

  it('raises dlq-not-empty when the dead-letter queue holds messages', async () => {
    const { monitor } = await issuedAndAged(1);
    monitor.deadLetterQueue.messages = 3;
    await createMonitorHandler(() => monitor)(scheduledEvent('2026-06-02T00:00:00Z'), context);
    expect(monitor.notifier.sent.map((s) => `${s.transition} ${s.alert.kind}`)).toEqual(['opened dlq-not-empty']);
  });
});
