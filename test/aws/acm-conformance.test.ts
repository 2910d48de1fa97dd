/** The Target conformance suite against the ACM target on moto_server, with certificates from pebble. */
import { AcmTarget } from '@portcullis/aws';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { describeTargetConformance } from '../conformance/target.suite.js';
import { type DeliveryStack, startDeliveryStack } from './acm-support.js';

let delivery: DeliveryStack;
let next = 0;

beforeAll(async () => {
  delivery = await startDeliveryStack();
});

afterAll(async () => {
  await delivery?.stop();
});

afterEach(async () => {
  await delivery.stack.moto?.reset();
});

describeTargetConformance('ACM (moto)', async () => {
  const certificateId = `acm-${++next}`;
  return {
    target: new AcmTarget({ client: delivery.clients.acm, region: 'us-east-1' }),
    context: { certificateId, targetId: 'acm-us-east-1', tenant: 'tenant-a' },
    material: (revision) => delivery.issue({ certificateId, revision, names: ['target.example.test'] }),
  };
});
