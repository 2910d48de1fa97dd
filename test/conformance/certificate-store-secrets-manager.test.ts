/** The CertificateStore conformance suite against the Secrets Manager store on moto_server. */
import { SecretsManagerCertificateStore } from '@portcullis/aws';
import { afterAll, beforeAll } from 'vitest';
import { type DeliveryStack, startDeliveryStack } from '../aws/acm-support.js';
import { describeCertificateStoreConformance } from './certificate-store.suite.js';

let delivery: DeliveryStack;
let next = 0;

beforeAll(async () => {
  delivery = await startDeliveryStack();
});

afterAll(async () => {
  await delivery?.stop();
});

describeCertificateStoreConformance('Secrets Manager (moto)', async () => ({
  store: new SecretsManagerCertificateStore({ client: delivery.clients.secretsManager }),
  certificateId: `conformance-${++next}`,
}));
