/**
 * Names the controller answers to and the annotations/labels users put on their objects. Defined once here; the
 * translator, the providers and the docs import these.
 */
import { HTTP01_CHALLENGE_LABEL, Http01ChallengeKey } from '@portcullis/kube';

/** `GatewayClass.spec.controllerName` this controller accepts. */
export const CONTROLLER_NAME = 'portcullis.dev/gateway-controller';

/** `Ingress.spec.ingressClassName` (or the name of an IngressClass whose `spec.controller` is ours). */
export const INGRESS_CLASS = 'portcullis';

/** `IngressClass.spec.controller` value that makes an IngressClass (of any name) ours: the same controller name. */
export const INGRESS_CONTROLLER = CONTROLLER_NAME;

/** Legacy annotation still honoured when `spec.ingressClassName` is absent (kubernetes.io/ingress.class). */
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Prefix of every Portcullis annotation and label. */
export const ANNOTATION_PREFIX = 'portcullis.dev/';

/** Ingress annotations understood by the translator. Values are strings, as Kubernetes stores them. */
export const IngressAnnotation = {
  /** `"true"`: `ImplementationSpecific` paths of this Ingress are RE2 regular expressions (checked before use). */
  RegexPaths: 'portcullis.dev/regex-paths',
  /** Load-balancer policy of the backends: one of {@link LoadBalancerPolicy} (default `round-robin`). */
  LoadBalancer: 'portcullis.dev/load-balancer',
  /**
   * What consistent hashing (ring-hash, maglev) hashes on: `header:<name>`, `cookie:<name>` or `source-ip`.
   * Ignored unless the load-balancer policy is `ring-hash` or `maglev`.
   */
  HashOn: 'portcullis.dev/hash-on',
  /** Integer 0..100: share of each path's traffic sent to the canary service (the rest goes to the path backend). */
  CanaryWeight: 'portcullis.dev/canary-weight',
  /** `name` or `name:port` of a Service in the Ingress namespace receiving the canary share. */
  CanaryService: 'portcullis.dev/canary-service',
  /** `name` or `name:port` of a Service in the Ingress namespace receiving a copy of every request (responses ignored). */
  MirrorService: 'portcullis.dev/mirror-service',
  /** `"true"`: allow the WebSocket upgrade on every path of this Ingress. */
  WebSocket: 'portcullis.dev/websocket',
  /** `"true"`: on plain HTTP, answer every path with a 308 redirect to https (ACME HTTP-01 paths exempt). */
  ForceSslRedirect: 'portcullis.dev/force-ssl-redirect',
  /** Protocol spoken to the backends: one of {@link BackendProtocol} (default `http`). */
  BackendProtocol: 'portcullis.dev/backend-protocol',
} as const;
export type IngressAnnotation = (typeof IngressAnnotation)[keyof typeof IngressAnnotation];

/** Values of {@link IngressAnnotation.LoadBalancer}; also the model's cluster load-balancer policy names. */
export const LoadBalancerPolicy = {
  /** Envoy ROUND_ROBIN (the default). */
  RoundRobin: 'round-robin',
  /** Envoy LEAST_REQUEST. */
  LeastRequest: 'least-request',
  /** Envoy RING_HASH: consistent hashing on the route's hash policies. */
  RingHash: 'ring-hash',
  /** Envoy MAGLEV: consistent hashing on the route's hash policies, faster rebuild, less stable on change. */
  Maglev: 'maglev',
} as const;
export type LoadBalancerPolicy = (typeof LoadBalancerPolicy)[keyof typeof LoadBalancerPolicy];

/** Values of {@link IngressAnnotation.BackendProtocol}. */
export const BackendProtocol = {
  /** HTTP/1.1 to the backend (the default). */
  Http: 'http',
  /** HTTP/2 in clear text to the backend. */
  H2c: 'h2c',
  /** gRPC: HTTP/2 in clear text to the backend. */
  Grpc: 'grpc',
} as const;
export type BackendProtocol = (typeof BackendProtocol)[keyof typeof BackendProtocol];

// The HTTP-01 ConfigMap contract is written by the kube token store and read here: its names live in one place,
// `@portcullis/kube`, and are re-exported for the controller's readers.
export { Http01ChallengeKey };

/** Labels the controller reads. */
export const Label = {
  /**
   * `"true"` on a ConfigMap holding one pending ACME HTTP-01 challenge (data keys {@link Http01ChallengeKey}). The
   * kube HTTP-01 token store writes them; the controller serves each on every HTTP listener.
   */
  Http01Challenge: HTTP01_CHALLENGE_LABEL,
} as const;
export type Label = (typeof Label)[keyof typeof Label];

/** Path prefix under which ACME HTTP-01 tokens are served, and which every HTTPS redirect exempts. */
export const ACME_CHALLENGE_PATH_PREFIX = '/.well-known/acme-challenge/';
