/** Gateway API GRPCRoute (v1): gRPC service/method matching to HTTP/2 backends. */
import type {
  BackendObjectReference,
  GatewayApiObject,
  HTTPHeaderFilter,
  HTTPHeaderMatch,
  HTTPRequestMirrorFilter,
  ParentReference,
  RouteStatus,
} from './gateway-api.js';

export interface GRPCMethodMatch {
  /** Default `Exact`. */
  type?: 'Exact' | 'RegularExpression';
  /** Fully qualified service, e.g. `helloworld.Greeter`. */
  service?: string;
  method?: string;
}

export interface GRPCRouteMatch {
  method?: GRPCMethodMatch;
  headers?: HTTPHeaderMatch[];
}

export interface GRPCRouteFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestMirror' | 'ExtensionRef' | (string & {});
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestMirror?: HTTPRequestMirrorFilter;
  extensionRef?: { group: string; kind: string; name: string };
}

export interface GRPCBackendRef extends BackendObjectReference {
  /** Default 1. */
  weight?: number;
  filters?: GRPCRouteFilter[];
}

export interface GRPCRouteRule {
  name?: string;
  /** Default: one match that matches every request. */
  matches?: GRPCRouteMatch[];
  filters?: GRPCRouteFilter[];
  backendRefs?: GRPCBackendRef[];
}

export interface GRPCRouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  rules?: GRPCRouteRule[];
}
export type GRPCRoute = GatewayApiObject<'GRPCRoute', GRPCRouteSpec, RouteStatus>;
