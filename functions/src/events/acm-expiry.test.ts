import { LifecycleWorld } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { acmExpiryEvent, lambdaContext, worldMonitorWiring } from '../wiring/testing.js';
import { type AcmExpiryEvent, createAcmExpiryHandler, parseAcmExpiryEvent } from './acm-expiry.js';

const context = lambdaContext('portcullis-acm-expiry');
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

describe('parseAcmExpiryEvent', () => {
  const base = acmExpiryEvent(ARN, 30);
  const refused: Record<string, { event: unknown; field: string }> = {
    'refuses something that is not an event': { event: 'hello', field: 'event' },
    'refuses an event of another source': { event: { ...base, source: 'aws.health' }, field: 'event.source' },
    'refuses another ACM detail type': {
      event: { ...base, 'detail-type': 'ACM Certificate Expired' },
      field: 'event.detail-type',
    },
    'refuses an event without a region': { event: { ...base, region: undefined }, field: 'event.region' },
    'refuses an event without resources': { event: { ...base, resources: [] }, field: 'event.resources' },
    'refuses a resource that is not an ACM certificate ARN': {
      event: { ...base, resources: ['arn:aws:s3:::bucket'] },
      field: 'event.resources[0]',
    },
    'refuses an ARN of another region than the event': {
      event: { ...base, region: 'eu-west-1' },
      field: 'event.resources[0]',
    },
    'refuses a detail that is not an object': { event: { ...base, detail: 'x' }, field: 'event.detail' },
    'refuses DaysToExpiry that is not a number': {
      event: { ...base, detail: { DaysToExpiry: '30' } },
      field: 'event.detail.DaysToExpiry',
    },
  };
  it.each(Object.entries(refused))('%s', (_name, { event, field }) => {
    expect(() => parseAcmExpiryEvent(event)).toThrow(expect.objectContaining({ field }));
  });

  it('takes the ARN, the region and the days left from a documented event', () => {
    expect(parseAcmExpiryEvent(base)).toEqual({ arn: ARN, region: 'us-east-1', daysToExpiry: 30 });
  });

  it('accepts an event without DaysToExpiry', () => {
    expect(parseAcmExpiryEvent({ ...base, detail: {} })).toEqual({ arn: ARN, region: 'us-east-1' });
  });
});

async function world() {
  const w = new LifecycleWorld();
  await w.request('web', { names: ['www.example.test'] });
  await w.run('web');
  const monitor = worldMonitorWiring(w);
  return { w, monitor, handler: createAcmExpiryHandler(() => monitor) };
}

const summary = {
  arn: ARN,
  region: 'us-east-1',
  domainName: 'www.example.test',
  names: ['www.example.test'],
  serial: 'abc',
  notAfter: '2026-06-20T00:00:00Z',
  type: 'IMPORTED',
  status: 'ISSUED',
} as const;

describe('ACM expiry rule', () => {
  it('requests a renewal of a managed certificate and enqueues it', async () => {
    const { w, monitor, handler } = await world();
    const { status } = await w.record('web');
    monitor.inventory.add({
      ...summary,
      serial: status.serial ?? '',
      notAfter: status.notAfter ?? '',
      managed: true,
      certificateId: 'web',
    });
    const outcome = await handler(acmExpiryEvent(ARN, 12) as AcmExpiryEvent, context);
    expect(outcome).toEqual({ action: 'renew', certificateId: 'web' });
    expect((await w.record('web')).renewRequestedAt).toBeDefined();
    expect(monitor.wiring.memoryQueue.messages.map((m) => m.certificateId)).toEqual(['web']);
    expect(monitor.notifier.sent).toEqual([]);
  });

  it('raises unmanaged-expiring for a certificate Portcullis does not manage', async () => {
    const { monitor, handler } = await world();
    monitor.inventory.add({ ...summary, managed: false });
    const outcome = await handler(acmExpiryEvent(ARN, 12) as AcmExpiryEvent, context);
    expect(outcome.action).toBe('alert');
    expect(monitor.notifier.sent.map((s) => `${s.transition} ${s.alert.kind} ${s.alert.subject}`)).toEqual([
      `opened unmanaged-expiring ${ARN}`,
    ]);
    expect(monitor.wiring.memoryQueue.messages).toEqual([]);
  });

  it('refuses a malformed event before reading anything', async () => {
    const { monitor, handler } = await world();
    const event = { ...acmExpiryEvent(ARN, 12), resources: [] } as unknown as AcmExpiryEvent;
    await expect(handler(event, context)).rejects.toMatchObject({ field: 'event.resources' });
    expect(monitor.inventory.listed).toEqual([]);
  });
});
