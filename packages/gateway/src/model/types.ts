/**
 * The pure gateway model: what Envoy must serve, independent of where it was declared (Gateway API or Ingress) and of
 * Envoy's own API. `translate` produces it; the Envoy builders turn it into Listener / RouteConfiguration / Cluster /
 * ClusterLoadAssignment / Secret resources one to one.
 *
 * Determinism: the same snapshot gives a deep-equal model. Every array is sorted by `name` unless its doc says the
 * order is meaningful (virtual host routes: first match wins). Names are stable across translations, so an unchanged
 * resource keeps its name and a Secret rotation changes only the `ModelSecret` content.
 *
 * Naming (all stable, all derived from user-visible identities):
 * - listener / its route configuration: `http-<port>` or `https-<port>`
 * - HTTPS filter chain: `https-<port>/<first server name>` (`https-<port>/*` for the chain without server names)
 * - virtual host: its hostname (`*` for the catch-all)
 * - cluster (and its ClusterLoadAssignment): `<namespace>/<service>:<port>`, plus `/<protocol>` when not http1 and
 *   `/<lbPolicy>` when not round-robin, plus `/tls` with upstream TLS (`/mtls` when Envoy also presents a client
 *   certificate)
 * - secret (SDS resource name): `<namespace>/<name>` of the Kubernetes Secret
 */
import type { Redacted } from '@portcullis/core';
import type { LoadBalancerPolicy } from '../sources/annotations.js';

export interface GatewayModel {
  /** One per (address, port), sorted by name. */
  readonly listeners: readonly ModelListener[];
  /** One per listener (same name as the listener), sorted by name. */
  readonly routeConfigs: readonly ModelRouteConfig[];
  /** Every cluster a route (or mirror) references, and no other; sorted by name. */
  readonly clusters: readonly ModelCluster[];
  /** Every secret a filter chain or a cluster's `upstreamTls` references, and no other; sorted by name. */
  readonly secrets: readonly ModelSecret[];
  /** Mesh edge mode: every CA bundle a cluster's `upstreamTls` references, sorted by name; absent = none. */
  readonly trustBundles?: readonly ModelTrustBundle[];
}

export type ListenerProtocol = 'HTTP' | 'HTTPS';

export interface ModelListener {
  /** `http-<port>` / `https-<port>`. */
  readonly name: string;
  /** Bind address, from the translate options (default `0.0.0.0`). */
  readonly address: string;
  /** The Gateway listener port, as declared. */
  readonly port: number;
  /** `HTTP`: one plain filter chain. `HTTPS`: TLS inspector + `filterChains` selected by SNI. */
  readonly protocol: ListenerProtocol;
  /** The RouteConfiguration (RDS) every filter chain of this listener uses; equals `name`. */
  readonly routeConfigName: string;
  /**
   * HTTPS only (empty for HTTP): one chain per distinct certificate set, sorted by name. A chain with no
   * `serverNames` matches connections whose SNI matches no other chain (or that send no SNI).
   */
  readonly filterChains: readonly ModelFilterChain[];
  /**
   * Every connection starts with a PROXY protocol header (an AWS NLB with proxy protocol v2 on its target groups):
   * Envoy must read it before anything else, and refuses connections without it. Absent: no header expected.
   */
  readonly proxyProtocol?: true;
}

export interface ModelFilterChain {
  /** `https-<port>/<first server name>` or `https-<port>/*`. */
  readonly name: string;
  /** SNI names, exact (`a.example.com`) or wildcard (`*.example.com`), lowercase, sorted; empty = no SNI match. */
  readonly serverNames: readonly string[];
  /** SDS secret names (`namespace/name`) for the DownstreamTlsContext, sorted; at least one. */
  readonly secretNames: readonly string[];
}

export interface ModelRouteConfig {
  /** Same as the listener name. */
  readonly name: string;
  /** Sorted by name; Envoy selects by domain specificity, not order. HTTP configs always have a `*` host. */
  readonly virtualHosts: readonly ModelVirtualHost[];
}

export interface ModelVirtualHost {
  /** The hostname (`a.example.com`, `*.example.com`) or `*`. */
  readonly name: string;
  /**
   * Host header values: the hostname only. Ports in Host are not listed; the Envoy builder should strip them
   * (`strip_any_host_port`).
   */
  readonly domains: readonly string[];
  /**
   * In MATCH ORDER (first match wins), not by name. ACME HTTP-01 exact routes come first, then routes by Gateway
   * API precedence: Exact path, RegularExpression path (longer pattern first), PathPrefix (longer first); then
   * method, more header matches, more query matches; then the older source object, then namespace/name, then rule
   * and match index.
   */
  readonly routes: readonly ModelRoute[];
}

export interface ModelRoute {
  /**
   * Unique within the virtual host and stable: `<kind>/<namespace>/<name>/<rule>/<match>` (e.g.
   * `httproute/default/web/0/1`, `ingress/default/web/0/2`), `acme/<token>` for HTTP-01.
   */
  readonly name: string;
  readonly match: ModelRouteMatch;
  readonly action: ModelRouteAction;
  /** Header changes on the request before it is forwarded (HTTPRoute RequestHeaderModifier). */
  readonly requestHeaders?: ModelHeaderMutation;
  /** Header changes on the response (HTTPRoute ResponseHeaderModifier). */
  readonly responseHeaders?: ModelHeaderMutation;
  /** Where the route came from, for logs and debugging. */
  readonly source: ModelSource;
}

export interface ModelSource {
  readonly kind: 'HTTPRoute' | 'GRPCRoute' | 'Ingress' | 'Http01Challenge';
  readonly namespace: string;
  readonly name: string;
}

export interface ModelRouteMatch {
  readonly path: ModelPathMatch;
  /** All must match; sorted by name. Names lowercase. */
  readonly headers: readonly ModelHeaderMatch[];
  /** All must match; sorted by name. Names case-sensitive. */
  readonly queryParams: readonly ModelQueryParamMatch[];
  /** HTTP method (`GET`, ...): an exact match on `:method`. */
  readonly method?: string;
  /** True for gRPC routes: also require `content-type: application/grpc*` (Envoy `RouteMatch.grpc`). */
  readonly grpc: boolean;
}

export type ModelPathMatch =
  /** The whole path equals `value`. */
  | { readonly type: 'Exact'; readonly value: string }
  /**
   * Path-element prefix (Gateway API / Ingress semantics: `/foo` matches `/foo` and `/foo/bar`, not `/foobar`). The
   * value never ends in `/` unless it is `/` itself; Envoy: `path_separated_prefix` (or `prefix: "/"`).
   */
  | { readonly type: 'PathPrefix'; readonly value: string }
  /** RE2 regular expression over the whole path, already validated with re2js. Envoy: `safe_regex`. */
  | { readonly type: 'RegularExpression'; readonly value: string };

export interface ModelHeaderMatch {
  readonly name: string;
  /** `RegularExpression` values are validated RE2. */
  readonly type: 'Exact' | 'RegularExpression';
  readonly value: string;
}

export interface ModelQueryParamMatch {
  readonly name: string;
  readonly type: 'Exact' | 'RegularExpression';
  readonly value: string;
}

export interface ModelHeaderMutation {
  /** Replace (or add) these headers; sorted by name. */
  readonly set: readonly { readonly name: string; readonly value: string }[];
  /** Append these values; sorted by name. */
  readonly add: readonly { readonly name: string; readonly value: string }[];
  /** Remove these headers; sorted. */
  readonly remove: readonly string[];
}

export type ModelRouteAction = ModelForwardAction | ModelRedirectAction | ModelDirectResponseAction;

/** Send the request upstream. */
export interface ModelForwardAction {
  readonly type: 'Forward';
  /**
   * Weighted clusters, sorted by cluster name, every weight > 0. A single entry may be emitted as a plain
   * `cluster`. Never empty (a route with nothing to forward to becomes a DirectResponse 500).
   */
  readonly backends: readonly ModelWeightedCluster[];
  /**
   * Weight of the share that must get HTTP 500 because its backendRef is invalid (missing Service, refused
   * cross-namespace reference, unsupported kind) — Gateway API requires 500 for exactly that share. 0 when every
   * backend is valid. Envoy: an extra weighted-cluster entry naming a cluster that does not exist, with
   * `cluster_not_found_response_code: INTERNAL_SERVER_ERROR`.
   */
  readonly invalidBackendWeight: number;
  /** Copies of the request sent to other clusters, responses ignored; sorted by cluster. */
  readonly mirrors: readonly ModelMirror[];
  /** For ring-hash / maglev clusters: what to hash on, in order. Empty otherwise. */
  readonly hashPolicies: readonly ModelHashPolicy[];
  /** Allow `Upgrade: websocket` on this route. */
  readonly websocket: boolean;
  /** Whole-request timeout in milliseconds (HTTPRoute `timeouts.request`); absent = Envoy default; 0 = none. */
  readonly timeoutMs?: number;
  readonly retry?: ModelRetryPolicy;
  readonly rewrite?: ModelRewrite;
}

export interface ModelWeightedCluster {
  /** A name in `GatewayModel.clusters`. */
  readonly cluster: string;
  readonly weight: number;
}

export interface ModelMirror {
  /** A name in `GatewayModel.clusters`. */
  readonly cluster: string;
  /** Share of requests mirrored, 0 < percent <= 100 (may be fractional). */
  readonly percent: number;
}

export type ModelHashPolicy =
  | { readonly type: 'Header'; readonly name: string }
  | { readonly type: 'Cookie'; readonly name: string }
  | { readonly type: 'SourceIp' };

export interface ModelRetryPolicy {
  /** Number of retries (not counting the first attempt). */
  readonly attempts: number;
  /** Per-attempt timeout in ms (HTTPRoute `timeouts.backendRequest`). */
  readonly perTryTimeoutMs?: number;
  /** HTTP status codes that trigger a retry (Envoy `retriable_status_codes` + `retry_on: retriable-status-codes`). */
  readonly retriableStatusCodes: readonly number[];
  /** Base backoff interval in ms. */
  readonly backoffBaseMs?: number;
}

export interface ModelRewrite {
  /** Replace the Host/authority header. */
  readonly hostname?: string;
  /** `ReplacePrefixMatch`: the matched PathPrefix is replaced by `value`; `ReplaceFullPath`: the path becomes `value`. */
  readonly path?: { readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; readonly value: string };
}

/** Answer with a redirect (HTTPRoute RequestRedirect, Ingress force-ssl-redirect). */
export interface ModelRedirectAction {
  readonly type: 'Redirect';
  /** Absent: keep the request's scheme. */
  readonly scheme?: 'http' | 'https';
  /** Absent: keep the request's host. */
  readonly hostname?: string;
  /** Absent: the default port of the resulting scheme (i.e. no port in Location). */
  readonly port?: number;
  readonly path?: { readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; readonly value: string };
  /** 301, 302, 303, 307 or 308. */
  readonly statusCode: number;
}

/** Answer directly (HTTP-01 key authorizations; 500 when nothing valid can be forwarded to). */
export interface ModelDirectResponseAction {
  readonly type: 'DirectResponse';
  readonly status: number;
  /** Plain-text body; absent = empty. */
  readonly body?: string;
}

export type ClusterProtocol = 'http1' | 'http2';

export interface ModelCluster {
  /** `<namespace>/<service>:<port>[/<protocol>][/<lbPolicy>]`; also the EDS ClusterLoadAssignment name. */
  readonly name: string;
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number };
  /** `http2` for gRPC and h2c backends (cleartext HTTP/2 upstream). */
  readonly protocol: ClusterProtocol;
  readonly lbPolicy: LoadBalancerPolicy;
  /** Ready endpoints only, deduplicated, sorted by address then port. May be empty (Envoy answers 503). */
  readonly endpoints: readonly ModelEndpoint[];
  /**
   * Mesh edge mode / BackendTLSPolicy: TLS (mutual when a client certificate is set) to the backend, certificates
   * delivered by SDS so that a rotation is a Secret-only push. Absent: cleartext. A cluster with it is named with a
   * `/tls` or `/mtls` suffix.
   */
  readonly upstreamTls?: ModelUpstreamTls;
}

/** How Envoy proves itself to a mesh backend and checks the backend's identity. */
export interface ModelUpstreamTls {
  /**
   * SDS name of the client certificate and key Envoy presents: a `ModelSecret` in `GatewayModel.secrets`. Absent:
   * no client certificate (server-authenticated TLS only).
   */
  readonly clientCertificateSecret?: string;
  /** SDS name of the CA bundle the backend's certificate must chain to: a `ModelTrustBundle` in the model. */
  readonly trustBundleSecret: string;
  /** SNI sent to the backend (e.g. `web.default.svc.cluster.local`). */
  readonly serverName: string;
  /**
   * Identities the backend may present, at least one, sorted: SPIFFE ids as `URI`
   * (`spiffe://cluster.local/ns/default/sa/web`), or `DNS` names. A CA alone would accept every workload it signed.
   */
  readonly subjectAltNames: readonly { readonly type: 'URI' | 'DNS'; readonly value: string }[];
}

/** A CA bundle served over SDS as a validation context (public: certificates only, no key). */
export interface ModelTrustBundle {
  /** SDS resource name, stable across CA rotations (e.g. `<namespace>/<configmap or secret name>`). */
  readonly name: string;
  /** PEM certificates, one or more. */
  readonly trustedCa: string;
}

export interface ModelEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface ModelSecret {
  /** `<namespace>/<name>` of the Kubernetes Secret: the SDS resource name, stable across rotations. */
  readonly name: string;
  /** `tls.crt`: PEM, leaf first, then intermediates. Public. */
  readonly certificateChain: string;
  /** `tls.key`: PEM. Never logged, never in goldens (`Redacted` prints `[redacted]`). */
  readonly privateKey: Redacted<string>;
}
