/**
 * Minimal typed mirrors of the Gateway API kinds the controller reads, following the v1.4 CRDs field for field
 * (`gateway.networking.k8s.io`; ListenerSet both as the v1.4 experimental `gateway.networking.x-k8s.io/v1alpha1
 * XListenerSet` and the v1.5+ standard `gateway.networking.k8s.io/v1 ListenerSet`). Only what the translator reads is
 * typed; everything is optional where the CRD makes it optional, and CRD defaults are noted on each field — they are
 * applied by the translator, not assumed present (the File provider has no API server to default them).
 * Hand-written rather than `@kubernetes-models/gateway-api` because that package is not a dependency and does not run
 * the CRDs' validation anyway; the translator re-validates what it relies on.
 */
import type { V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';

/** API group of the standard Gateway API kinds. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** API group of the experimental (x-k8s.io) kinds, e.g. the v1.4 `XListenerSet`. */
export const GATEWAY_EXPERIMENTAL_GROUP = 'gateway.networking.x-k8s.io';

/** metav1.Condition as found in a status read from the API server (times are RFC 3339 strings there). */
export interface ApiCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

/** Every object of a kind below: metadata always present once read (name and namespace filled by the provider). */
export interface GatewayApiObject<Kind extends string, Spec, Status> {
  apiVersion: string;
  kind: Kind;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}

// ---- GatewayClass (cluster-scoped) -----------------------------------------------------------------------------

export interface GatewayClassSpec {
  /** Accepted only when equal to our controller name. Immutable. */
  controllerName: string;
  parametersRef?: { group: string; kind: string; name: string; namespace?: string };
  description?: string;
}
export interface GatewayClassStatus {
  conditions?: ApiCondition[];
  supportedFeatures?: { name: string }[];
}
export type GatewayClass = GatewayApiObject<'GatewayClass', GatewayClassSpec, GatewayClassStatus>;

// ---- Gateway ---------------------------------------------------------------------------------------------------

/** `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP` or a domain-prefixed implementation protocol. */
export type ProtocolType = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | (string & {});

/** Reference to a Secret (or another certificate-holding kind). */
export interface SecretObjectReference {
  /** Default `""` (core). */
  group?: string;
  /** Default `Secret`. */
  kind?: string;
  name: string;
  /** Default: the namespace of the referring object; another namespace needs a ReferenceGrant. */
  namespace?: string;
}

export interface GatewayTLSConfig {
  /** Default `Terminate`. */
  mode?: 'Terminate' | 'Passthrough';
  certificateRefs?: SecretObjectReference[];
  options?: Record<string, string>;
}

export interface RouteGroupKind {
  /** Default `gateway.networking.k8s.io`. */
  group?: string;
  kind: string;
}

export interface RouteNamespaces {
  /** Default `Same`. */
  from?: 'All' | 'Same' | 'Selector';
  /** Used when `from` is `Selector`: matched against the labels of the route's Namespace. */
  selector?: V1LabelSelector;
}

export interface AllowedRoutes {
  /** Default `{ from: Same }`. */
  namespaces?: RouteNamespaces;
  /** Default: every kind the listener protocol supports (HTTPRoute and GRPCRoute for HTTP/HTTPS). */
  kinds?: RouteGroupKind[];
}

export interface Listener {
  /** Unique within the Gateway (the `sectionName` of parentRefs). */
  name: string;
  /** Precise (`a.example.com`) or wildcard (`*.example.com`); absent means every hostname. */
  hostname?: string;
  port: number;
  protocol: ProtocolType;
  tls?: GatewayTLSConfig;
  allowedRoutes?: AllowedRoutes;
}

export interface GatewaySpecAddress {
  /** Default `IPAddress`. */
  type?: string;
  value?: string;
}

/** v1.5 standard (experimental in v1.4): which namespaces may attach ListenerSets. Default `{ from: None }`. */
export interface AllowedListeners {
  namespaces?: { from?: 'All' | 'Same' | 'Selector' | 'None'; selector?: V1LabelSelector };
}

/** v1.4 experimental `spec.tls` (GatewayTLSConfig); only the backend half is read. */
export interface GatewaySpecTLS {
  backend?: {
    /** The certificate and key Envoy presents to backends that a BackendTLSPolicy makes TLS (a kubernetes.io/tls Secret). */
    clientCertificateRef?: SecretObjectReference;
  };
}

export interface GatewaySpec {
  gatewayClassName: string;
  listeners: Listener[];
  tls?: GatewaySpecTLS;
  addresses?: GatewaySpecAddress[];
  allowedListeners?: AllowedListeners;
  infrastructure?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface ListenerStatus {
  name: string;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  conditions: ApiCondition[];
}

export interface GatewayStatusAddress {
  type?: string;
  value: string;
}

export interface GatewayStatus {
  addresses?: GatewayStatusAddress[];
  conditions?: ApiCondition[];
  listeners?: ListenerStatus[];
  /** v1.5: number of ListenerSets accepted by this Gateway. */
  attachedListenerSets?: number;
}
export type Gateway = GatewayApiObject<'Gateway', GatewaySpec, GatewayStatus>;

// ---- ListenerSet (v1.4: x-k8s.io/v1alpha1 XListenerSet; v1.5+: k8s.io/v1 ListenerSet) --------------------------

export interface ParentGatewayReference {
  /** Default `gateway.networking.k8s.io`. */
  group?: string;
  /** Default `Gateway`. */
  kind?: string;
  name: string;
  /** Default: the ListenerSet's namespace. */
  namespace?: string;
}

/** A listener of a ListenerSet: a Gateway listener whose names are scoped to the ListenerSet. */
export type ListenerEntry = Listener;

export interface ListenerSetSpec {
  parentRef: ParentGatewayReference;
  listeners: ListenerEntry[];
}

export interface ListenerEntryStatus {
  name: string;
  /** Present in v1.4 XListenerSet status, dropped in v1.5. */
  port?: number;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  conditions: ApiCondition[];
}

export interface ListenerSetStatus {
  conditions?: ApiCondition[];
  listeners?: ListenerEntryStatus[];
}
export type ListenerSet = GatewayApiObject<'ListenerSet' | 'XListenerSet', ListenerSetSpec, ListenerSetStatus>;

// ---- Routes ----------------------------------------------------------------------------------------------------

export interface ParentReference {
  /** Default `gateway.networking.k8s.io`. */
  group?: string;
  /** Default `Gateway` (`ListenerSet` / `XListenerSet` attach to a ListenerSet). */
  kind?: string;
  /** Default: the route's namespace. */
  namespace?: string;
  name: string;
  /** Listener name; absent means every listener of the parent that accepts the route. */
  sectionName?: string;
  /** Listener port; absent means every port. */
  port?: number;
}

export interface BackendObjectReference {
  /** Default `""` (core). */
  group?: string;
  /** Default `Service`. */
  kind?: string;
  name: string;
  /** Default: the route's namespace; another namespace needs a ReferenceGrant. */
  namespace?: string;
  /** Required when the referent is a Service. */
  port?: number;
}

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}

export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface HTTPRequestRedirectFilter {
  scheme?: 'http' | 'https';
  hostname?: string;
  path?: HTTPPathModifier;
  port?: number;
  /** Default 302. */
  statusCode?: number;
}

export interface HTTPURLRewriteFilter {
  hostname?: string;
  path?: HTTPPathModifier;
}

export interface HTTPRequestMirrorFilter {
  backendRef: BackendObjectReference;
  /** 0..100; `percent` and `fraction` are mutually exclusive; neither means 100%. */
  percent?: number;
  fraction?: { numerator: number /** Default 100. */; denominator?: number };
}

export interface HTTPRouteFilter {
  type:
    | 'RequestHeaderModifier'
    | 'ResponseHeaderModifier'
    | 'RequestMirror'
    | 'RequestRedirect'
    | 'URLRewrite'
    | 'ExtensionRef'
    | 'CORS'
    | (string & {});
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestMirror?: HTTPRequestMirrorFilter;
  requestRedirect?: HTTPRequestRedirectFilter;
  urlRewrite?: HTTPURLRewriteFilter;
  extensionRef?: { group: string; kind: string; name: string };
}

export interface HTTPPathMatch {
  /** Default `PathPrefix`. */
  type?: 'Exact' | 'PathPrefix' | 'RegularExpression';
  /** Default `/`. */
  value?: string;
}

export interface HTTPHeaderMatch {
  /** Default `Exact`. */
  type?: 'Exact' | 'RegularExpression';
  /** Case-insensitive. */
  name: string;
  value: string;
}

/** Like HTTPHeaderMatch, but the name is case-sensitive. */
export type HTTPQueryParamMatch = HTTPHeaderMatch;

export interface HTTPRouteMatch {
  /** Default `{ type: PathPrefix, value: "/" }`. */
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPQueryParamMatch[];
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';
}

export interface HTTPBackendRef extends BackendObjectReference {
  /** Default 1; 0 means no traffic. */
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPRouteTimeouts {
  /** Gateway API Duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`); `0s` disables. */
  request?: string;
  backendRequest?: string;
}

export interface HTTPRouteRetry {
  codes?: number[];
  attempts?: number;
  backoff?: string;
}

export interface HTTPRouteRule {
  name?: string;
  /** Default `[{ path: { type: PathPrefix, value: "/" } }]`. */
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: HTTPBackendRef[];
  timeouts?: HTTPRouteTimeouts;
  retry?: HTTPRouteRetry;
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: ApiCondition[];
}

export interface RouteStatus {
  parents?: RouteParentStatus[];
}

export interface HTTPRouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  /** Default `[{ matches: [{ path: { type: PathPrefix, value: "/" } }] }]`. */
  rules?: HTTPRouteRule[];
}
export type HTTPRoute = GatewayApiObject<'HTTPRoute', HTTPRouteSpec, RouteStatus>;

// GRPCRoute lives in its own file; re-exported so every Gateway API type is importable from here.
export type {
  GRPCBackendRef,
  GRPCMethodMatch,
  GRPCRoute,
  GRPCRouteFilter,
  GRPCRouteMatch,
  GRPCRouteRule,
  GRPCRouteSpec,
} from './grpc-route.js';

// ---- ReferenceGrant (v1beta1 in v1.4; v1 from v1.5) ------------------------------------------------------------

export interface ReferenceGrantFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface ReferenceGrantTo {
  group: string;
  kind: string;
  /** Absent: every object of that kind in the grant's namespace. */
  name?: string;
}

export interface ReferenceGrantSpec {
  from: ReferenceGrantFrom[];
  to: ReferenceGrantTo[];
}
export type ReferenceGrant = GatewayApiObject<'ReferenceGrant', ReferenceGrantSpec, never>;

// BackendTLSPolicy lives in its own file; re-exported so every Gateway API type is importable from here.
export type {
  BackendTLSPolicy,
  BackendTLSPolicySpec,
  BackendTLSPolicySubjectAltName,
  PolicyAncestorStatus,
} from './backend-tls-policy.js';
