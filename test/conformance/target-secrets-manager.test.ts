/** The Target conformance suite against the Secrets Manager export target on moto_server, in both formats. */
import { ExportFormat, SecretsManagerExportTarget } from '@portcullis/aws';
import { afterAll, beforeAll } from 'vitest';
import { type DeliveryStack, startDeliveryStack } from '../aws/acm-support.js';
import { describeTargetConformance } from './target.suite.js';

let delivery: DeliveryStack;
let next = 0;

beforeAll(async () => {
  delivery = await startDeliveryStack();
});

afterAll(async () => {
  await delivery?.stop();
});

for (const format of Object.values(ExportFormat)) {
  describeTargetConformance(`Secrets Manager export, ${format} (moto)`, async () => {
    const id = ++next;
    return {
      target: new SecretsManagerExportTarget({
        client: delivery.clients.secretsManager,
        name: `apps/web-${id}/tls`,
        format,
      }),
      context: { certificateId: `export-${id}`, targetId: 'export', tenant: 'tenant-a' },
      material: (revision) =>
        delivery.issue({ certificateId: `export-${id}`, revision, names: ['target.example.test'] }),
    };
  });
}
