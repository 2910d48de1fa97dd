import type { CertificateRecord } from '@portcullis/core';
import { LifecycleWorld } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { lambdaContext, sqsEvent, worldWiring } from '../wiring/testing.js';
import { createReconcileHandler } from './reconcile.js';

const context = lambdaContext('portcullis-reconcile');

async function setUp(ids: readonly string[], failFor: readonly string[] = []) {
  const world = new LifecycleWorld();
  for (const id of ids) await world.request(id);
  const wiring = worldWiring(world);
  // A repository failure a real DynamoDB only produces under an outage: injected on the fake for chosen ids.
  const certificates = world.deps.certificates;
  const failing = {
    ...wiring,
    deps: {
      ...wiring.deps,
      certificates: {
        get: (id: string): Promise<CertificateRecord | undefined> =>
          failFor.includes(id) ? Promise.reject(new Error('dynamodb: unavailable')) : certificates.get(id),
        create: certificates.create.bind(certificates),
        update: certificates.update.bind(certificates),
        delete: certificates.delete.bind(certificates),
        listDue: certificates.listDue.bind(certificates),
        list: certificates.list.bind(certificates),
      },
    },
  };
  return { world, wiring: failing, handler: createReconcileHandler(() => failing) };
}

describe('reconcile worker', () => {
  const cases: Record<
    string,
    { ids: string[]; bodies: string[]; failFor?: string[]; failures: number[]; requeued: string[] }
  > = {
    'runs one step per message and requeues with the returned delay': {
      ids: ['a'],
      bodies: ['a'],
      failures: [],
      requeued: ['a'],
    },
    'handles several certificates in one batch': {
      ids: ['a', 'b'],
      bodies: ['a', 'b'],
      failures: [],
      requeued: ['a', 'b'],
    },
    'reports only the failing message so SQS redelivers just that one': {
      ids: ['a', 'b'],
      bodies: ['a', 'b'],
      failFor: ['b'],
      failures: [1],
      requeued: ['a'],
    },
    'lists every message when all fail, instead of throwing': {
      ids: ['a', 'b'],
      bodies: ['a', 'b'],
      failFor: ['a', 'b'],
      failures: [0, 1],
      requeued: [],
    },
    'drops a body that is not a certificate id without failing the batch': {
      ids: ['a'],
      bodies: ['{"not":"an id"}', 'a'],
      failures: [],
      requeued: ['a'],
    },
    'does not requeue a certificate that no longer exists': { ids: [], bodies: ['gone'], failures: [], requeued: [] },
    'tolerates the same id twice in one batch': { ids: ['a'], bodies: ['a', 'a'], failures: [], requeued: ['a', 'a'] },
  };
  it.each(Object.entries(cases))('%s', async (_name, { ids, bodies, failFor, failures, requeued }) => {
    const { wiring, handler } = await setUp(ids, failFor);
    const event = sqsEvent(bodies);
    const response = await handler(event, context);
    expect(response.batchItemFailures).toEqual(failures.map((i) => ({ itemIdentifier: event.Records[i]?.messageId })));
    const queue = wiring.memoryQueue;
    expect(queue.messages.map((m) => m.certificateId)).toEqual(requeued);
    for (const message of queue.messages) expect(message.delaySeconds).toBeLessThanOrEqual(900);
  });

  it('moves a new certificate out of its initial state with each delivered message', async () => {
    const { world, handler } = await setUp(['a']);
    await handler(sqsEvent(['a']), context);
    const afterOne = await world.record('a');
    expect(afterOne.status.issuance?.phase).toBeDefined();
    await handler(sqsEvent(['a']), context);
    expect((await world.record('a')).version).toBeGreaterThan(afterOne.version);
  });

  it('flushes the step metrics as EMF lines at the end of the invocation', async () => {
    const world = new LifecycleWorld();
    await world.request('a');
    const wiring = worldWiring(world);
    const withEmf = createReconcileHandler(() => ({ ...wiring, deps: { ...wiring.deps, metrics: wiring.metrics } }));
    await withEmf(sqsEvent(['a']), context);
    expect(wiring.metricLines).toHaveLength(1);
    expect(JSON.parse(wiring.metricLines[0] as string)).toMatchObject({ ReconcileStep: 1, step: 'start' });
  });
});
