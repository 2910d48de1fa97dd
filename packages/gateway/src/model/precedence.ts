/**
 * Route order inside a virtual host (Envoy takes the first match). Gateway API precedence, continuing on ties:
 * Exact path (longer first), then PathPrefix (longer first), then method match, more header matches, more query
 * matches; then the oldest source object, then `namespace/name`, then rule and match order.
 * RegularExpression precedence is implementation-specific in the spec: we put regex paths after Exact and before
 * every PathPrefix (longer pattern first), as Envoy Gateway does, because a catch-all `/` prefix placed before them
 * would make every regex unreachable. ACME HTTP-01 routes (exact paths) go before everything so that no redirect
 * or catch-all can shadow them.
 */
import { compareStrings } from '../sources/objects.js';
import type { ModelRoute } from './types.js';

export interface RouteOrder {
  /** ACME HTTP-01 challenge route. */
  readonly acme: boolean;
  /** Milliseconds since the epoch of the source object's creationTimestamp; absent sorts as newest. */
  readonly created: number | undefined;
  /** `namespace/name` of the source object. */
  readonly owner: string;
  readonly ruleIndex: number;
  readonly matchIndex: number;
}

export interface OrderedRoute {
  readonly route: ModelRoute;
  readonly order: RouteOrder;
}

const PATH_RANK = { Exact: 0, RegularExpression: 1, PathPrefix: 2 } as const;

export function compareRoutes(a: OrderedRoute, b: OrderedRoute): number {
  const ma = a.route.match;
  const mb = b.route.match;
  return (
    Number(b.order.acme) - Number(a.order.acme) ||
    PATH_RANK[ma.path.type] - PATH_RANK[mb.path.type] ||
    mb.path.value.length - ma.path.value.length ||
    Number(mb.method !== undefined) - Number(ma.method !== undefined) ||
    mb.headers.length - ma.headers.length ||
    mb.queryParams.length - ma.queryParams.length ||
    (a.order.created ?? Number.MAX_SAFE_INTEGER) - (b.order.created ?? Number.MAX_SAFE_INTEGER) ||
    compareStrings(a.order.owner, b.order.owner) ||
    compareStrings(a.route.source.kind, b.route.source.kind) ||
    a.order.ruleIndex - b.order.ruleIndex ||
    a.order.matchIndex - b.order.matchIndex ||
    compareStrings(a.route.name, b.route.name)
  );
}
