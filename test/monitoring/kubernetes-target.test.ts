/**
 * A certificate delivered to a Kubernetes cluster by the lifecycle and watched there by the monitor, end to end on
 * the local runtime: the cluster credentials document sits in (moto) Secrets Manager as a deployment keeps it
 * (PORTCULLIS_KUBE_CLUSTERS_SECRET), the cluster is the API-compatible test server over real HTTP. The request goes
 * through the HTTP API; the worker applies a `kubernetes.io/tls` Secret; the monitor observes its serial; a Secret
 * replaced out of band by another certificate shows up as drift.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiClient, isReady, type LocalRuntime, startLocalRuntime, watchCertificate } from '@portcullis/cli';
import { AlertKind } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import { KubernetesEnv, MonitorEnv } from '@portcullis/functions';
import { KubernetesTlsTarget } from '@portcullis/kube';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { rawClient } from '../support/kube-api-server/raw-client.js';

let stack: LocalStack;
let cluster: KubeApiServer;
let runtime: LocalRuntime;
let api: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack({});
  cluster = await KubeApiServer.start();
  await rawClient(cluster.url).request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'web' },
  });
  const { createAwsClients } = await import('@portcullis/aws');
  const clients = createAwsClients({ region: 'us-east-1', endpoint: stack.moto?.endpoint as string });
  await clients.secretsManager.send(
    new CreateSecretCommand({
      Name: 'portcullis-test/kube-clusters',
      SecretString: JSON.stringify({ edge: { kind: 'kubeconfig', kubeconfig: cluster.kubeconfig() } }),
    }),
  );
  clients.destroy();
  runtime = await startLocalRuntime(stack, {
    planIntervalMs: 500,
    monitorIntervalMs: 0,
    env: {
      [KubernetesEnv.ClustersSecret]: 'portcullis-test/kube-clusters',
      [MonitorEnv.DriftGraceSeconds]: '0',
    },
  });
  api = new ApiClient(runtime.url);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await cluster?.stop();
  await stack?.stop();
});

describe('a kubernetes target', () => {
  let id: string;

  it('is delivered by the worker as a tls Secret and observed by the monitor with the current serial', async () => {
    const created = await api.create({
      names: ['kube.example.test'],
      targets: [{ id: 'edge', type: 'kubernetes', options: { cluster: 'edge', namespace: 'web', name: 'kube-tls' } }],
    });
    id = created.id;
    const ready = await watchCertificate(api, id, { until: isReady, timeoutMs: 60_000 });
    expect(ready.status.deliveries.edge).toMatchObject({ state: 'delivered', location: 'edge/web/kube-tls' });

    const { body: secret } = await rawClient(cluster.url).request('GET', '/api/v1/namespaces/web/secrets/kube-tls');
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.metadata.labels['portcullis.dev/certificate']).toBe(id);

    await runtime.monitorNow();
    const view = await api.get(id);
    expect(view.observations).toEqual([
      expect.objectContaining({ location: 'edge', source: 'kubernetes', serial: ready.status.serial }),
    ]);
  });

  it('raises drift when the Secret is replaced out of band by another certificate', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(cluster.kubeconfig());
    const other = await createTestMaterial({ certificateId: id, revision: 99, names: ['kube.example.test'] });
    // Same owner label (a foreign Secret would be refused), another serial: what a hand-applied manifest leaves.
    await new KubernetesTlsTarget({ kubeConfig, cluster: 'edge' }).publishTlsSecret({
      namespace: 'web',
      name: 'kube-tls',
      certificateId: id,
      chainPem: other.chainPem,
      key: other.key,
      serial: other.serial,
      notAfter: other.notAfter,
    });
    await runtime.monitorNow();
    const alerts = await api.alerts({ kind: AlertKind.Drift, certificateId: id });
    expect(alerts.items).toEqual([
      expect.objectContaining({ kind: 'drift', certificateId: id, location: 'edge', state: 'open' }),
    ]);
    expect(alerts.items[0]?.details).toMatchObject({ observedSerial: other.serial });
  });
});
