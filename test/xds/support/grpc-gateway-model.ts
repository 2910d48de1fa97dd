/**
 * Gateway model fixtures for proxyless gRPC clients, and the resources our server serves them.
 *
 * The model is built directly (not translated from manifests) because the scenarios need model features that no
 * standard Gateway API object reaches together: gRPC route matches (`grpc: true`, which makes the builder add the
 * gRPC `unavailable` retry condition) with a retry policy, ring-hash clusters with header hashing. The Envoy
 * builders are the real ones (`buildEnvoyResources`) in the style gRPC clients accept (`exact-and-slash-prefix`).
 *
 * gRPC clients do not use socket Listeners: they ask for an `api_listener` Listener named after their target
 * authority, whose connection manager points at a RouteConfiguration over RDS. `apiListener` builds it with the
 * product's own connection manager (`buildHttpConnectionManager`).
 */
import { create, type DescMessage } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import type {
  EncodedResources,
  EnvoyResources,
  GatewayModel,
  ModelCluster,
  ModelHashPolicy,
  ModelHeaderMatch,
  ModelRetryPolicy,
  ModelRoute,
  ModelRouteAction,
} from '@portcullis/gateway';
import {
  buildEnvoyResources,
  buildHttpConnectionManager,
  createSnapshot,
  encodeResources,
  findMessageType,
  PathPrefixStyle,
  parseManifests,
  resourceSchemas,
  type SourceSnapshot,
  type StatusUpdates,
  TypeUrl,
  translate,
} from '@portcullis/gateway';
import type { EchoBackend } from './echo-backends.js';

function schema(name: string): DescMessage {
  const found = findMessageType(name);
  if (found === undefined) throw new Error(`registry has no ${name}`);
  return found;
}
const hcmSchema = () => schema('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager');

/** The Listener a gRPC client asks for when it dials `xds:///<authority>`. */
export function apiListener(authority: string, routeConfigName: string) {
  const hcm = buildHttpConnectionManager(authority, routeConfigName);
  return create(resourceSchemas[TypeUrl.Listener], {
    name: authority,
    apiListener: { apiListener: anyPack(hcmSchema(), hcm) },
  });
}

/** An EDS cluster whose endpoints are the given loopback backends; named the way the model names clusters. */
export function echoCluster(
  service: string,
  backends: readonly EchoBackend[],
  lbPolicy: ModelCluster['lbPolicy'] = 'round-robin',
): ModelCluster {
  const port = 50051;
  return {
    name: `default/${service}:${port}/http2${lbPolicy === 'round-robin' ? '' : `/${lbPolicy}`}`,
    service: { namespace: 'default', name: service, port },
    protocol: 'http2',
    lbPolicy,
    endpoints: backends
      .map((backend) => ({ address: '127.0.0.1', port: backend.port }))
      .sort((a, b) => a.port - b.port),
  };
}

export interface RouteSpec {
  /** `[cluster, weight]` pairs; weights > 0. */
  readonly backends: readonly (readonly [ModelCluster, number])[];
  readonly headers?: readonly ModelHeaderMatch[];
  readonly retry?: ModelRetryPolicy;
  readonly hashPolicies?: readonly ModelHashPolicy[];
  /** Replaces the forward action (e.g. a redirect, which gRPC clients reject). */
  readonly action?: ModelRouteAction;
}

/** A gRPC route (GRPCRoute-like: `grpc: true`) matching every method, with the given backends. */
export function grpcRoute(name: string, spec: RouteSpec): ModelRoute {
  return {
    name: `grpcroute/default/${name}/0/0`,
    match: {
      path: { type: 'PathPrefix', value: '/' },
      headers: [...(spec.headers ?? [])],
      queryParams: [],
      grpc: true,
    },
    action: spec.action ?? {
      type: 'Forward',
      backends: spec.backends
        .map(([cluster, weight]) => ({ cluster: cluster.name, weight }))
        .sort((a, b) => a.cluster.localeCompare(b.cluster)),
      invalidBackendWeight: 0,
      mirrors: [],
      hashPolicies: [...(spec.hashPolicies ?? [])],
      websocket: false,
      ...(spec.retry !== undefined && { retry: spec.retry }),
    },
    source: { kind: 'GRPCRoute', namespace: 'default', name },
  };
}

export interface GrpcGateway {
  readonly model: GatewayModel;
  /** The model's resources plus the api_listener Listener, as the server serves them. */
  readonly built: EnvoyResources;
  readonly encoded: EncodedResources;
}

/**
 * One virtual host `authority` with `routes` in match order (the first match wins, so header-matched routes go
 * first), on a RouteConfiguration named `grpc-<authority>`, reachable through an api_listener named `authority`.
 */
export function grpcGateway(
  authority: string,
  routes: readonly ModelRoute[],
  clusters: readonly ModelCluster[],
): GrpcGateway {
  const routeConfigName = `grpc-${authority}`;
  const model: GatewayModel = {
    listeners: [],
    routeConfigs: [{ name: routeConfigName, virtualHosts: [{ name: authority, domains: [authority], routes }] }],
    clusters: [...clusters].sort((a, b) => a.name.localeCompare(b.name)),
    secrets: [],
  };
  const fromModel = buildEnvoyResources(model, { pathPrefixStyle: PathPrefixStyle.ExactAndSlashPrefix });
  const built: EnvoyResources = { ...fromModel, listeners: [apiListener(authority, routeConfigName)] };
  return { model, built, encoded: encodeResources(built) };
}

export interface TranslatedGrpcGateway extends GrpcGateway {
  readonly snapshot: SourceSnapshot;
  /** The status `translate` computed (before any rejection is applied). */
  readonly status: StatusUpdates;
}

/**
 * Kubernetes manifests through the real translator, served to gRPC clients: the api_listener `authority` points at
 * the RouteConfiguration of the Gateway listener `routeConfigName` (e.g. `http-80`).
 */
export function grpcGatewayFromManifests(
  authority: string,
  routeConfigName: string,
  manifests: string,
): TranslatedGrpcGateway {
  const parsed = parseManifests(manifests, `${authority}.yaml`);
  if (parsed.problems.length > 0) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const snapshot = createSnapshot(parsed.objects);
  const { model, status } = translate(snapshot, { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] });
  const fromModel = buildEnvoyResources(model, { pathPrefixStyle: PathPrefixStyle.ExactAndSlashPrefix });
  const built: EnvoyResources = { ...fromModel, listeners: [apiListener(authority, routeConfigName)] };
  return { snapshot, status, model, built, encoded: encodeResources(built) };
}
