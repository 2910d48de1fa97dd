/**
 * BackendTLSPolicy `status.ancestors[]`: one entry per Gateway of ours that routes to a targeted Service (the
 * policy's ancestors, as the spec defines them for a Direct policy on a Service), with `Accepted` and
 * `ResolvedRefs`; other controllers' entries are kept unchanged. A policy no Gateway of ours reaches gets no entry
 * (and loses the ones we wrote before).
 */
import type { PolicyOutcome } from '../model/backend-tls.js';
import type { GRPCRoute, HTTPRoute, ParentReference } from '../sources/gateway-api.js';
import { GATEWAY_GROUP } from '../sources/gateway-api.js';
import { compareStrings } from '../sources/objects.js';
import { ConditionType, mergeConditions, OWNED_CONDITION_TYPES } from './conditions.js';
import type { BackendTLSPolicyStatusUpdate, ComputedPolicyAncestorStatus } from './types.js';
import { statusUpdate } from './updates.js';

export function backendTlsPolicyStatusUpdates(
  outcomes: readonly PolicyOutcome[],
  routes: readonly (HTTPRoute | GRPCRoute)[],
  ourGateways: ReadonlySet<string>,
  controllerName: string,
  now: Date,
): BackendTLSPolicyStatusUpdate[] {
  const out: BackendTLSPolicyStatusUpdate[] = [];
  for (const { policy, accepted, resolvedRefs } of outcomes) {
    const namespace = policy.metadata.namespace ?? '';
    const services = new Set((policy.spec?.targetRefs ?? []).map((t) => `${namespace}/${t.name}`));
    const existing = policy.status?.ancestors ?? [];
    const gateways = ancestorGateways(routes, services, ourGateways);
    if (gateways.length === 0 && !existing.some((a) => a.controllerName === controllerName)) continue;
    const desired = [
      { type: ConditionType.Accepted, status: bool(accepted.ok), reason: accepted.reason, message: accepted.message },
      {
        type: ConditionType.ResolvedRefs,
        status: bool(resolvedRefs.ok),
        reason: resolvedRefs.reason,
        message: resolvedRefs.message,
      },
    ];
    const ours: ComputedPolicyAncestorStatus[] = gateways.map((key) => {
      const [gatewayNamespace = '', name = ''] = key.split('/');
      const ancestorRef: ParentReference = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gatewayNamespace, name };
      const before = existing.find(
        (a) =>
          a.controllerName === controllerName &&
          a.ancestorRef.name === name &&
          (a.ancestorRef.namespace ?? namespace) === gatewayNamespace,
      );
      const conditions = mergeConditions(
        desired,
        before?.conditions,
        OWNED_CONDITION_TYPES,
        policy.metadata.generation,
        now,
      );
      return { ancestorRef, controllerName, conditions };
    });
    const others = existing.filter((a) => a.controllerName !== controllerName);
    out.push(statusUpdate(policy, 'BackendTLSPolicy', { ancestors: [...ours, ...others] }));
  }
  return out;
}

/** `namespace/name` of our Gateways that a route referencing one of `services` names as parent, sorted. */
function ancestorGateways(
  routes: readonly (HTTPRoute | GRPCRoute)[],
  services: ReadonlySet<string>,
  ourGateways: ReadonlySet<string>,
): string[] {
  const found = new Set<string>();
  for (const route of routes) {
    const routeNamespace = route.metadata.namespace ?? '';
    const refs = (route.spec?.rules ?? []).flatMap((rule) => rule.backendRefs ?? []);
    const reaches = refs.some(
      (ref) =>
        (ref.group ?? '') === '' &&
        (ref.kind ?? 'Service') === 'Service' &&
        services.has(`${ref.namespace ?? routeNamespace}/${ref.name}`),
    );
    if (!reaches) continue;
    for (const parent of route.spec?.parentRefs ?? []) {
      if ((parent.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (parent.kind ?? 'Gateway') !== 'Gateway') continue;
      const key = `${parent.namespace ?? routeNamespace}/${parent.name}`;
      if (ourGateways.has(key)) found.add(key);
    }
  }
  return [...found].sort(compareStrings);
}

function bool(ok: boolean): 'True' | 'False' {
  return ok ? 'True' : 'False';
}
