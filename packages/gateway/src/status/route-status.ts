/**
 * Route `status.parents[]`: our entries (one per parentRef naming one of our Gateways / ListenerSets, in spec
 * order) followed by other controllers' entries unchanged. A route that no longer names any of our parents but
 * still carries our entries gets an update removing them (the spec asks controllers to clean up after themselves).
 */
import type { RouteResult } from '../model/routes.js';
import { GATEWAY_GROUP, type GRPCRoute, type HTTPRoute, type ParentReference } from '../sources/gateway-api.js';
import { mergeConditions, OWNED_CONDITION_TYPES } from './conditions.js';
import type { ComputedRouteParentStatus, RouteStatusUpdate } from './types.js';
import { statusUpdate } from './updates.js';

export function routeStatusUpdates(
  routes: readonly (HTTPRoute | GRPCRoute)[],
  results: readonly RouteResult[],
  controllerName: string,
  now: Date,
): RouteStatusUpdate[] {
  const byRoute = new Map(results.map((r) => [r.route, r]));
  const out: RouteStatusUpdate[] = [];
  for (const route of routes) {
    const result = byRoute.get(route);
    const existing = route.status?.parents ?? [];
    const hadOurs = existing.some((p) => p.controllerName === controllerName);
    if (result === undefined && !hadOurs) continue;
    const routeNamespace = route.metadata.namespace ?? '';
    const ours: ComputedRouteParentStatus[] = (result?.parents ?? []).map(({ parentRef, conditions }) => {
      const before = existing.find(
        (p) => p.controllerName === controllerName && sameParent(p.parentRef, parentRef, routeNamespace),
      );
      return {
        parentRef,
        controllerName,
        conditions: mergeConditions(
          conditions,
          before?.conditions,
          OWNED_CONDITION_TYPES,
          route.metadata.generation,
          now,
        ),
      };
    });
    const foreign = existing.filter((p) => p.controllerName !== controllerName);
    out.push(statusUpdate<RouteStatusUpdate>(route, route.kind, { parents: [...ours, ...foreign] }));
  }
  return out;
}

/** parentRefs are equal when equal after defaults (group, kind, namespace). */
function sameParent(a: ParentReference, b: ParentReference, routeNamespace: string): boolean {
  return (
    (a.group ?? GATEWAY_GROUP) === (b.group ?? GATEWAY_GROUP) &&
    (a.kind ?? 'Gateway') === (b.kind ?? 'Gateway') &&
    (a.namespace ?? routeNamespace) === (b.namespace ?? routeNamespace) &&
    a.name === b.name &&
    a.sectionName === b.sectionName &&
    a.port === b.port
  );
}
