/**
 * HTTPS gateway fixtures for the SDS tests: Kubernetes manifests (Gateway + HTTPRoute + Service + EndpointSlice +
 * TLS Secret) through the real pipeline (parse → snapshot → translate → build → encode), with certificates generated
 * at test time, and a model-level variant for Secrets the translator would refuse.
 */
import { redact } from '@portcullis/core';
import type { EncodedResources, GatewayModel, TranslateOptions } from '@portcullis/gateway';
import { buildEnvoyResources, createSnapshot, encodeResources, parseManifests, translate } from '@portcullis/gateway';

// Test-only helper of the gateway package, deliberately not exported from it (it generates keys).
export { type TestCertificate, testCertificate } from '../../../packages/gateway/src/model/test-certificates.js';

const TRANSLATE_OPTIONS: TranslateOptions = {
  clock: { now: () => new Date('2026-01-01T00:00:00Z') },
  addresses: [{ type: 'IPAddress', value: '192.0.2.10' }],
};

export interface TlsMaterial {
  readonly certificatePem: string;
  readonly keyPem: string;
}

/** Manifests of one HTTPS Gateway for `host` whose certificate is the Secret `namespace/secretName`. */
export function httpsGatewayManifests(host: string, secretName: string, material: TlsMaterial): string {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return `
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
      hostname: ${host}
      tls: { mode: Terminate, certificateRefs: [{ name: ${secretName} }] }
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
endpoints: [{ addresses: [127.0.0.1], conditions: { ready: true } }]
---
apiVersion: v1
kind: Secret
metadata: { name: ${secretName}, namespace: default }
type: kubernetes.io/tls
data:
  tls.crt: ${b64(material.certificatePem)}
  tls.key: ${b64(material.keyPem)}
`;
}

/** Manifests → Envoy resources through the real translator; throws on manifest problems. */
export function encodeManifests(text: string, file = 'gateway.yaml'): EncodedResources {
  const parsed = parseManifests(text, file);
  if (parsed.problems.length > 0) throw new Error(`${file}: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const { model } = translate(createSnapshot(parsed.objects), TRANSLATE_OPTIONS);
  return encodeResources(buildEnvoyResources(model));
}

/**
 * Only a Secret, straight into the model: for material the translator refuses (a key that does not match its
 * certificate is reported as InvalidCertificateRef and never built), to test what the data plane does if it ever
 * gets one.
 */
export function encodeSecretOnly(name: string, material: TlsMaterial): EncodedResources {
  const model: GatewayModel = {
    listeners: [],
    routeConfigs: [],
    clusters: [],
    secrets: [{ name, certificateChain: material.certificatePem, privateKey: redact(material.keyPem) }],
  };
  return encodeResources(buildEnvoyResources(model));
}
