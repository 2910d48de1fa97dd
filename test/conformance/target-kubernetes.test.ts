/**
 * The Target conformance suite against the lifecycle's `kubernetes` target (KubernetesTargetFactory →
 * KubernetesTlsTarget) over real HTTP to the API-compatible test server, with cluster credentials read from a JSON
 * document as a deployment keeps them in Secrets Manager.
 */
import { ClusterRegistry, JsonClusterCredentialsSource, KubernetesTargetFactory } from '@portcullis/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { rawClient } from '../support/kube-api-server/raw-client.js';
import { describeTargetConformance } from './target.suite.js';

let server: KubeApiServer;
let factory: KubernetesTargetFactory;
let next = 0;

beforeAll(async () => {
  server = await KubeApiServer.start();
  const document = JSON.stringify({ edge: { kind: 'kubeconfig', kubeconfig: server.kubeconfig() } });
  factory = new KubernetesTargetFactory(
    new ClusterRegistry({ source: new JsonClusterCredentialsSource(async () => document) }),
  );
});

afterAll(async () => {
  await server?.stop();
});

async function namespace(): Promise<string> {
  const name = `tls-${++next}`;
  await rawClient(server.url).request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  return name;
}

describeTargetConformance('Kubernetes tls Secret (API-compatible test server)', async () => {
  const ns = await namespace();
  return {
    target: factory.forSpec({
      id: 'edge',
      type: 'kubernetes',
      options: { cluster: 'edge', namespace: ns, name: 'web-tls' },
    }),
    context: { certificateId: `kube-${next}`, targetId: 'edge', tenant: 'tenant-a' },
  };
});

describe('KubernetesTargetFactory', () => {
  it('refuses bad options before contacting any cluster, naming the field and the rule', () => {
    const spec = (options: Record<string, string>) => ({ id: 'k', type: 'kubernetes' as const, options });
    expect(() => factory.forSpec(spec({ cluster: 'edge', namespace: 'Bad_NS', name: 'x' }))).toThrow(
      /targets\.k\.options\.namespace.*|is not a DNS label/,
    );
    expect(() => factory.forSpec(spec({ cluster: 'edge', namespace: 'ns', name: 'x', extra: '1' }))).toThrow(
      /kubernetes targets take cluster, namespace, name/,
    );
  });

  it('names an unknown cluster when publishing', async () => {
    const target = factory.forSpec({
      id: 'k',
      type: 'kubernetes',
      options: { cluster: 'nowhere', namespace: 'ns', name: 'x' },
    });
    await expect(target.observe({ certificateId: 'c', targetId: 'k', tenant: 't' })).rejects.toThrow(
      /cluster nowhere: credentials: no credentials are configured/,
    );
  });
});
