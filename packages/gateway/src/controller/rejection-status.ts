/**
 * Envoy's rejections as status: every object an outstanding rejection traces back to (see provenance.ts) gets
 * `Programmed=False` with reason `EnvoyRejected` and Envoy's message, on the Gateway / ListenerSet itself and on
 * each of our `parents[]` entries of a route. Gateway API defines Programmed for Gateways and listeners; on route
 * parents it is this implementation's condition, present only while a rejection holds (like PartiallyInvalid).
 * It is an owned condition type, so when the rejection clears the next computed status simply omits or restores
 * it. Ingress status has no conditions: a rejection tracing to an Ingress is returned in `unsurfaced` for the log.
 */

import { formatKey } from '../sources/objects.js';
import type { SourceSnapshot } from '../sources/types.js';
import { ConditionType, formatTime } from '../status/conditions.js';
import type { StatusCondition, StatusUpdate, StatusUpdates } from '../status/types.js';
import { canonical } from '../status/updates.js';
import { typeLabel } from '../xds/metrics.js';
import type { Rejection } from '../xds/types.js';
import { sourcesOfResource } from './provenance.js';

export const RejectionReason = {
  /** The data plane rejected configuration built from this object and keeps serving the last accepted version. */
  EnvoyRejected: 'EnvoyRejected',
} as const;
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];

/** Conditions are for people: the first few rejections in full, then a count (Envoy messages can be long). */
const MAX_MESSAGES = 3;
const MAX_DETAIL_CHARS = 512;

export interface RejectionStatus {
  readonly updates: StatusUpdates;
  /** Object keys a rejection traces to whose status cannot carry it (Ingress), sorted. */
  readonly unsurfaced: readonly string[];
}

export function withRejections(
  updates: StatusUpdates,
  rejections: readonly Rejection[],
  snapshot: SourceSnapshot,
  controllerName: string,
  now: Date,
): RejectionStatus {
  const messages = new Map<string, Set<string>>();
  for (const r of rejections) {
    const detail =
      r.errorDetail.length > MAX_DETAIL_CHARS ? `${r.errorDetail.slice(0, MAX_DETAIL_CHARS)}…` : r.errorDetail;
    const line = `envoy rejected ${typeLabel(r.typeUrl)} ${r.resourceName}: ${detail}`;
    for (const key of sourcesOfResource(snapshot, r.typeUrl, r.resourceName)) {
      const set = messages.get(key) ?? new Set();
      set.add(line);
      messages.set(key, set);
    }
  }
  const byKey = new Map(updates.map((u) => [u.key, u]));
  const liveObjects = new Map<string, LiveObject>(
    [...snapshot.gateways, ...snapshot.listenerSets, ...snapshot.httpRoutes, ...snapshot.grpcRoutes].map((o) => [
      formatKey({ kind: o.kind ?? '', namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' }),
      o as LiveObject,
    ]),
  );
  const unsurfaced = [...messages.keys()].filter((k) => byKey.get(k) === undefined || byKey.get(k)?.kind === 'Ingress');
  const out = updates.map((update) => {
    const lines = messages.get(update.key);
    if (lines === undefined) return update;
    return rejected(update, liveObjects.get(update.key), summarize([...lines].sort()), controllerName, now);
  });
  return { updates: out, unsurfaced: unsurfaced.sort() };
}

function summarize(lines: readonly string[]): string {
  const shown = lines.slice(0, MAX_MESSAGES).join('; ');
  return lines.length > MAX_MESSAGES ? `${shown}; and ${lines.length - MAX_MESSAGES} more` : shown;
}

function rejected(
  update: StatusUpdate,
  live: LiveObject | undefined,
  message: string,
  controllerName: string,
  now: Date,
): StatusUpdate {
  switch (update.kind) {
    case 'Gateway':
    case 'ListenerSet':
    case 'XListenerSet': {
      const conditions = setProgrammedFalse(update.status.conditions, live?.status?.conditions, message, now);
      return { ...update, changed: true, status: { ...update.status, conditions } } as StatusUpdate;
    }
    case 'HTTPRoute':
    case 'GRPCRoute':
      return {
        ...update,
        changed: true,
        status: {
          parents: update.status.parents.map((parent) =>
            parent.controllerName === controllerName
              ? {
                  ...parent,
                  conditions: setProgrammedFalse(
                    parent.conditions,
                    liveParent(live, parent.parentRef, controllerName)?.conditions,
                    message,
                    now,
                  ),
                }
              : parent,
          ),
        },
      };
    default:
      return update;
  }
}

/** The object as read, for the time its current rejection condition started. */
interface LiveObject {
  readonly status?: {
    readonly conditions?: readonly LiveCondition[];
    readonly parents?: readonly { parentRef: unknown; controllerName: string; conditions?: readonly LiveCondition[] }[];
  };
}
type LiveCondition = Pick<StatusCondition, 'type' | 'status' | 'reason'> & { lastTransitionTime: string | Date };

function liveParent(live: LiveObject | undefined, parentRef: unknown, controllerName: string) {
  const wanted = canonical(parentRef);
  return live?.status?.parents?.find((p) => p.controllerName === controllerName && canonical(p.parentRef) === wanted);
}

/**
 * Programmed=False/EnvoyRejected, keeping the time the object has shown it since (the computed status says
 * Programmed=True, so its time would move on every rebuild and churn status writes while a rejection holds).
 */
function setProgrammedFalse(
  conditions: readonly StatusCondition[],
  liveConditions: readonly LiveCondition[] | undefined,
  message: string,
  now: Date,
): StatusCondition[] {
  const before = conditions.find((c) => c.type === ConditionType.Programmed);
  const shown = liveConditions?.find((c) => c.type === ConditionType.Programmed);
  const since =
    shown?.status === 'False' && shown.reason === RejectionReason.EnvoyRejected
      ? formatTime(new Date(shown.lastTransitionTime))
      : formatTime(now);
  const observedGeneration = before?.observedGeneration ?? conditions[0]?.observedGeneration;
  const condition: StatusCondition = {
    type: ConditionType.Programmed,
    status: 'False',
    reason: RejectionReason.EnvoyRejected,
    message,
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
    lastTransitionTime: since,
  };
  return before === undefined
    ? [...conditions, condition]
    : conditions.map((c) => (c.type === ConditionType.Programmed ? condition : c));
}
