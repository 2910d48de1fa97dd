/** Kubernetes manifests for the NACK-in-status tests with gRPC clients (test/xds/grpc-js-xds.test.ts). */
import { CONTROLLER_NAME } from '@portcullis/gateway';

/**
 * A Gateway with a GRPCRoute to the echo backend, plus an HTTPRoute for `/legacy`: absent, a redirect (which gRPC
 * clients cannot run) or a forward to the echo backend (the fix).
 */
export function statusManifests(backendPort: number, legacyRoute: 'absent' | 'redirect' | 'forward'): string {
  const legacy = (rule: string) => `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: legacy, namespace: default, generation: 1 }
spec:
  parentRefs: [{ name: grpc }]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /legacy } }]
      ${rule}`;
  const legacyRules = {
    absent: '',
    redirect: legacy('filters: [{ type: RequestRedirect, requestRedirect: { scheme: https, statusCode: 301 } }]'),
    forward: legacy('backendRefs: [{ name: echo, port: 50051 }]'),
  };
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: portcullis, generation: 1 }
spec: { controllerName: ${CONTROLLER_NAME} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: grpc, namespace: default, generation: 1 }
spec:
  gatewayClassName: portcullis
  listeners: [{ name: http, protocol: HTTP, port: 80, hostname: status.example.com }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: echo, namespace: default, generation: 1 }
spec:
  parentRefs: [{ name: grpc }]
  rules: [{ backendRefs: [{ name: echo, port: 50051 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: default }
spec: { ports: [{ name: grpc, port: 50051, targetPort: ${backendPort} }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: echo-1, namespace: default, labels: { kubernetes.io/service-name: echo } }
addressType: IPv4
ports: [{ name: grpc, port: ${backendPort} }]
endpoints: [{ addresses: [127.0.0.1], conditions: { ready: true } }]
${legacyRules[legacyRoute]}
`;
}
