/** Status of GatewayClasses, Gateways (with per-listener status) and ListenerSets, from the gateway translation. */

import type { GatewayState, GatewayTranslation, ListenerSetState } from '../model/gateways.js';
import { isServable, type ResolvedListener } from '../model/listeners.js';
import type { GatewayAddress } from '../model/translate-options.js';
import type { ApiCondition } from '../sources/gateway-api.js';
import {
  ConditionType,
  type DesiredCondition,
  GatewayReason,
  ListenerReason,
  ListenerSetReason,
  mergeConditions,
  OWNED_CONDITION_TYPES,
} from './conditions.js';
import type {
  ComputedListenerStatus,
  GatewayClassStatusUpdate,
  GatewayStatusUpdate,
  ListenerSetStatusUpdate,
  StatusUpdate,
} from './types.js';
import { statusUpdate } from './updates.js';

export function gatewayStatusUpdates(
  translation: GatewayTranslation,
  addresses: readonly GatewayAddress[],
  now: Date,
): StatusUpdate[] {
  const out: StatusUpdate[] = [];
  for (const { gatewayClass, accepted } of translation.classes) {
    const conditions = mergeConditions(
      [accepted],
      gatewayClass.status?.conditions,
      OWNED_CONDITION_TYPES,
      gatewayClass.metadata.generation,
      now,
    );
    out.push(statusUpdate<GatewayClassStatusUpdate>(gatewayClass, 'GatewayClass', { conditions }));
  }
  for (const state of translation.gateways.values()) out.push(gatewayUpdate(state, addresses, now));
  for (const set of translation.listenerSets.values()) out.push(listenerSetUpdate(set, now));
  return out;
}

function gatewayUpdate(state: GatewayState, addresses: readonly GatewayAddress[], now: Date): GatewayStatusUpdate {
  const { gateway } = state;
  const generation = gateway.metadata.generation;
  const servable = state.listeners.filter(isServable);
  const invalid = state.listeners.filter((l) => !isServable(l)).map((l) => l.spec.name);
  const accepted: DesiredCondition =
    invalid.length === 0
      ? condition(ConditionType.Accepted, true, GatewayReason.Accepted, 'Accepted')
      : condition(
          ConditionType.Accepted,
          servable.length > 0,
          GatewayReason.ListenersNotValid,
          `Listeners not valid: ${invalid.join(', ')}`,
        );
  const requested = (gateway.spec?.addresses ?? []).filter((a) => a.value !== undefined);
  const unusable = requested.filter((r) => !addresses.some((a) => a.value === r.value));
  const programmed =
    accepted.status !== 'True'
      ? condition(ConditionType.Programmed, false, GatewayReason.Invalid, 'No valid listener to program')
      : addresses.length === 0
        ? condition(
            ConditionType.Programmed,
            false,
            GatewayReason.AddressNotAssigned,
            'No address is configured for the gateway',
          )
        : unusable.length > 0
          ? condition(
              ConditionType.Programmed,
              false,
              GatewayReason.AddressNotUsable,
              `Requested addresses ${unusable.map((u) => u.value).join(', ')} are not addresses of the gateway`,
            )
          : condition(ConditionType.Programmed, true, GatewayReason.Programmed, 'Programmed');
  const existingListeners = byName(gateway.status?.listeners);
  const sets = state.listenerSets.filter((s) => s.accepted.status === 'True').length;
  return statusUpdate<GatewayStatusUpdate>(gateway, 'Gateway', {
    ...(addresses.length === 0 ? {} : { addresses: addresses.map((a) => ({ type: a.type, value: a.value })) }),
    conditions: mergeConditions(
      [accepted, programmed],
      gateway.status?.conditions,
      OWNED_CONDITION_TYPES,
      generation,
      now,
    ),
    listeners: state.listeners.map((l) => listenerStatus(l, existingListeners.get(l.spec.name), generation, now)),
    // v1.5 field; only written where the Gateway opted into ListenerSets (older CRDs would prune it).
    ...(gateway.spec?.allowedListeners === undefined ? {} : { attachedListenerSets: sets }),
  });
}

function listenerSetUpdate(set: ListenerSetState, now: Date): ListenerSetStatusUpdate {
  const { listenerSet } = set;
  const generation = listenerSet.metadata.generation;
  const programmed =
    set.accepted.status === 'True'
      ? condition(ConditionType.Programmed, true, ListenerSetReason.Programmed, 'Programmed')
      : condition(ConditionType.Programmed, false, ListenerSetReason.Invalid, 'Not accepted');
  const existing = byName(listenerSet.status?.listeners);
  // v1.4 XListenerSet listener status carries the port; v1.5 ListenerSet dropped it.
  const withPort = listenerSet.kind === 'XListenerSet';
  return statusUpdate<ListenerSetStatusUpdate>(listenerSet, listenerSet.kind, {
    conditions: mergeConditions(
      [set.accepted, programmed],
      listenerSet.status?.conditions,
      OWNED_CONDITION_TYPES,
      generation,
      now,
    ),
    listeners: set.listeners.map((l) => ({
      ...listenerStatus(l, existing.get(l.spec.name), generation, now),
      ...(withPort ? { port: l.spec.port } : {}),
    })),
  });
}

/** Existing listener statuses by name (a Gateway may have thousands; no pairwise search). */
function byName(
  statuses: readonly { name: string; conditions: ApiCondition[] }[] | undefined,
): Map<string, ApiCondition[]> {
  return new Map((statuses ?? []).map((s) => [s.name, s.conditions]));
}

function listenerStatus(
  listener: ResolvedListener,
  before: readonly ApiCondition[] | undefined,
  generation: number | undefined,
  now: Date,
): ComputedListenerStatus {
  const programmed = isServable(listener)
    ? condition(ConditionType.Programmed, true, ListenerReason.Programmed, 'Programmed')
    : condition(
        ConditionType.Programmed,
        false,
        ListenerReason.Invalid,
        'Listener is not programmed: see the other conditions',
      );
  const desired = [listener.accepted, programmed, listener.resolvedRefs, listener.conflicted];
  if (listener.overlapping !== undefined) desired.push(listener.overlapping);
  return {
    name: listener.spec.name,
    supportedKinds: listener.supportedKinds.map((k) => ({ group: k.group ?? '', kind: k.kind })),
    attachedRoutes: listener.attachedRoutes,
    conditions: mergeConditions(desired, before, OWNED_CONDITION_TYPES, generation, now),
  };
}

function condition(type: string, status: boolean, reason: string, message: string): DesiredCondition {
  return { type, status: status ? 'True' : 'False', reason, message };
}
