/**
 * A certificate rotation through the whole pipeline (manifests → translate → Envoy resources → binary): two
 * snapshots that differ only in a TLS Secret's content give byte-identical Listeners, RouteConfigurations, Clusters
 * and ClusterLoadAssignments, and a changed Secret resource under the same SDS name. That is what lets the xDS
 * server push a rotation as a Secret-only update that drains nothing.
 */
import type { EncodedResources } from '@portcullis/gateway';
import {
  buildEnvoyResources,
  createSnapshot,
  encodeResources,
  parseManifests,
  TypeUrl,
  translate,
} from '@portcullis/gateway';
import { describe, expect, it } from 'vitest';
// Test-only helper of the gateway package, deliberately not exported from it (it generates keys).
import { fillTestCertificates } from '../../packages/gateway/src/model/test-certificates.js';
import { GOLDEN_TRANSLATE_OPTIONS } from './golden-runner.js';

/** A Gateway serving a.example.com over HTTPS with the Secret default/a-tls; `label` picks the certificate. */
const manifests = (label: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: portcullis, generation: 1 }
spec: { controllerName: portcullis.dev/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: default, generation: 1 }
spec:
  gatewayClassName: portcullis
  listeners:
    - name: https
      protocol: HTTPS
      port: 443
      hostname: a.example.com
      tls: { mode: Terminate, certificateRefs: [{ name: a-tls }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: default, generation: 1 }
spec:
  parentRefs: [{ name: web }]
  rules:
    - backendRefs: [{ name: web, port: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { ports: [{ name: http, port: 80, targetPort: 8080 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, namespace: default, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints: [{ addresses: [10.0.0.1], conditions: { ready: true } }]
---
apiVersion: v1
kind: Secret
metadata: { name: a-tls, namespace: default }
type: kubernetes.io/tls
data: { tls.crt: "GENERATED:${label}", tls.key: "GENERATED:${label}" }
`;

async function encodeFor(label: string): Promise<EncodedResources> {
  const { objects } = await fillTestCertificates(parseManifests(manifests(label), `${label}.yaml`).objects);
  const { model } = translate(createSnapshot(objects), GOLDEN_TRANSLATE_OPTIONS);
  return encodeResources(buildEnvoyResources(model));
}

const versions = (encoded: EncodedResources) =>
  Object.fromEntries(Object.values(TypeUrl).map((t) => [t, encoded[t].map((r) => `${r.name}@${r.version}`)]));

describe('certificate rotation', () => {
  it('changes only the Secret resource, under the same SDS name', async () => {
    const before = versions(await encodeFor('a-2026-01'));
    const after = versions(await encodeFor('a-2026-03'));
    expect(before[TypeUrl.Secret]).toHaveLength(1);
    expect(after[TypeUrl.Secret]?.[0]?.split('@')[0]).toBe('default/a-tls');
    expect(after[TypeUrl.Secret]).not.toEqual(before[TypeUrl.Secret]);
    const { [TypeUrl.Secret]: _secretsBefore, ...othersBefore } = before;
    const { [TypeUrl.Secret]: _secretsAfter, ...othersAfter } = after;
    expect(othersAfter).toEqual(othersBefore);
    expect(othersBefore[TypeUrl.Listener]).toHaveLength(1);
  });
});
