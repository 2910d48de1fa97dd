/**
 * GatewayClasses, Gateways and ListenerSets: which are ours, which listeners are valid, conflicting or servable,
 * and programming the servable ones into the model's listeners (Gateways oldest first, so an older Gateway keeps a
 * port or SNI name a newer one also asks for on the shared Envoy).
 */
import type { Gateway, GatewayClass, ListenerSet } from '../sources/gateway-api.js';
import { formatKey, groupOf } from '../sources/objects.js';
import { listenerSetParent, type Ownership } from '../sources/ownership.js';
import {
  ConditionType,
  type DesiredCondition,
  GatewayClassReason,
  ListenerReason,
  ListenerSetReason,
} from '../status/conditions.js';
import type { ModelBuilder } from './builder.js';
import { markConflicts, markOverlappingTls } from './listener-conflicts.js';
import { isServable, type ListenerContext, type ResolvedListener, resolveListener } from './listeners.js';
import { compareAge } from './objects.js';
import { matchesLabelSelector, namespaceLabels } from './selectors.js';

export interface GatewayClassState {
  readonly gatewayClass: GatewayClass;
  readonly accepted: DesiredCondition;
}

export interface GatewayState {
  readonly gateway: Gateway;
  /** `namespace/name`. */
  readonly key: string;
  readonly listeners: readonly ResolvedListener[];
  readonly listenerSets: readonly ListenerSetState[];
}

export interface ListenerSetState {
  readonly listenerSet: ListenerSet;
  /** `Kind/namespace/name`. */
  readonly key: string;
  readonly gatewayKey: string;
  readonly accepted: DesiredCondition;
  readonly listeners: readonly ResolvedListener[];
}

export interface GatewayTranslation {
  readonly classes: readonly GatewayClassState[];
  /** Our Gateways (class ours and accepted), by `namespace/name`, in precedence order. */
  readonly gateways: ReadonlyMap<string, GatewayState>;
  /** ListenerSets whose parent is one of our Gateways, by `Kind/namespace/name`. */
  readonly listenerSets: ReadonlyMap<string, ListenerSetState>;
}

export interface GatewayInputs extends ListenerContext {
  readonly gatewayClasses: readonly GatewayClass[];
  readonly gateways: readonly Gateway[];
  readonly listenerSets: readonly ListenerSet[];
  readonly namespaceLabels: ReadonlyMap<string, Record<string, string>>;
}

export function translateGateways(
  inputs: GatewayInputs,
  ownership: Ownership,
  builder: ModelBuilder,
): GatewayTranslation {
  const classes: GatewayClassState[] = [];
  const acceptedClasses = new Set<string>();
  for (const gatewayClass of inputs.gatewayClasses) {
    if (gatewayClass.spec?.controllerName !== ownership.controllerName) continue;
    const accepted: DesiredCondition =
      gatewayClass.spec.parametersRef === undefined
        ? { type: ConditionType.Accepted, status: 'True', reason: GatewayClassReason.Accepted, message: 'Accepted' }
        : {
            type: ConditionType.Accepted,
            status: 'False',
            reason: GatewayClassReason.InvalidParameters,
            message: 'parametersRef is not supported by this controller',
          };
    if (accepted.status === 'True' && gatewayClass.metadata.name) acceptedClasses.add(gatewayClass.metadata.name);
    classes.push({ gatewayClass, accepted });
  }

  const gateways = new Map<string, GatewayState>();
  const listenerSets = new Map<string, ListenerSetState>();
  const ours = inputs.gateways.filter((g) => acceptedClasses.has(g.spec?.gatewayClassName ?? '')).sort(compareAge);
  for (const gateway of ours) {
    const namespace = gateway.metadata.namespace ?? '';
    const key = `${namespace}/${gateway.metadata.name}`;
    const gatewayKey = formatKey({ kind: 'Gateway', namespace, name: gateway.metadata.name ?? '' });
    const from = { group: groupOf(gateway.apiVersion), kind: 'Gateway', namespace };
    const own = (gateway.spec?.listeners ?? []).map((l) => resolveListener(l, gatewayKey, from, inputs));
    const sets = inputs.listenerSets
      .filter((s) => {
        const parent = listenerSetParent(s);
        return parent?.namespace === namespace && parent.name === gateway.metadata.name;
      })
      .sort(compareAge)
      .map((s) => resolveListenerSet(s, gateway, key, inputs));
    const accepted = sets.filter((s) => s.accepted.status === 'True');
    const group = [...own, ...accepted.flatMap((s) => s.listeners)];
    markConflicts(group, own.length);
    markOverlappingTls(group);
    for (const listener of group) program(listener, builder);
    for (const set of sets) listenerSets.set(set.key, finishListenerSet(set));
    gateways.set(key, { gateway, key, listeners: own, listenerSets: sets.map((s) => listenerSets.get(s.key) ?? s) });
  }
  // ListenerSets naming one of our Gateways that is not accepted still get a status saying so.
  const ourParents = new Set(
    inputs.gateways
      .filter((g) => acceptedClasses.has(g.spec?.gatewayClassName ?? ''))
      .map((g) => `${g.metadata.namespace}/${g.metadata.name}`),
  );
  for (const set of inputs.listenerSets) {
    const parent = listenerSetParent(set);
    const key = listenerSetKey(set);
    if (parent === undefined || listenerSets.has(key) || !ourParents.has(`${parent.namespace}/${parent.name}`))
      continue;
    listenerSets.set(key, {
      listenerSet: set,
      key,
      gatewayKey: `${parent.namespace}/${parent.name}`,
      accepted: notAccepted(
        ListenerSetReason.ParentNotAccepted,
        `Gateway ${parent.namespace}/${parent.name} is not accepted`,
      ),
      listeners: [],
    });
  }
  return { classes, gateways, listenerSets };
}

function listenerSetKey(set: ListenerSet): string {
  return formatKey({ kind: set.kind, namespace: set.metadata.namespace ?? '', name: set.metadata.name ?? '' });
}

function resolveListenerSet(
  set: ListenerSet,
  gateway: Gateway,
  gatewayKey: string,
  inputs: GatewayInputs,
): ListenerSetState {
  const namespace = set.metadata.namespace ?? '';
  const key = listenerSetKey(set);
  const from = { group: groupOf(set.apiVersion), kind: set.kind, namespace };
  const allowed = gateway.spec?.allowedListeners?.namespaces;
  const fromWhere = allowed?.from ?? 'None';
  const admitted =
    fromWhere === 'All' ||
    (fromWhere === 'Same' && namespace === gateway.metadata.namespace) ||
    (fromWhere === 'Selector' &&
      matchesLabelSelector(allowed?.selector, namespaceLabels(inputs.namespaceLabels, namespace)));
  if (!admitted) {
    return {
      listenerSet: set,
      key,
      gatewayKey,
      accepted: notAccepted(
        ListenerSetReason.NotAllowed,
        `Gateway ${gatewayKey} does not allow ListenerSets from namespace ${namespace} (allowedListeners.namespaces.from: ${fromWhere})`,
      ),
      listeners: [],
    };
  }
  const listeners = (set.spec?.listeners ?? []).map((l) => resolveListener(l, key, from, inputs));
  return {
    listenerSet: set,
    key,
    gatewayKey,
    accepted: { type: ConditionType.Accepted, status: 'True', reason: ListenerSetReason.Accepted, message: 'Accepted' },
    listeners,
  };
}

/** After conflicts are known: a set none of whose listeners can be served is not accepted. */
function finishListenerSet(set: ListenerSetState): ListenerSetState {
  if (set.accepted.status !== 'True' || set.listeners.length === 0 || set.listeners.some(isServable)) return set;
  return {
    ...set,
    accepted: notAccepted(ListenerSetReason.ListenersNotValid, 'No listener of this ListenerSet is valid'),
  };
}

function notAccepted(reason: string, message: string): DesiredCondition {
  return { type: ConditionType.Accepted, status: 'False', reason, message };
}

/** Claims the listener's port and SNI name on the shared Envoy; records why when it cannot. */
function program(listener: ResolvedListener, builder: ModelBuilder): void {
  if (!isServable(listener) || listener.protocol === undefined) return;
  const claim = builder.claimListener(listener.spec.port, listener.protocol);
  if (!claim.ok) {
    listener.accepted = {
      type: ConditionType.Accepted,
      status: 'False',
      reason: ListenerReason.PortUnavailable,
      message: `port ${listener.spec.port} is already served with protocol ${claim.protocol} by another Gateway or Ingress`,
    };
    listener.programError = listener.accepted;
    return;
  }
  if (listener.protocol !== 'HTTPS') return;
  const lost = builder.claimServerNames(
    listener.spec.port,
    listener.hostname === undefined ? [] : [listener.hostname],
    listener.secrets,
  );
  if (lost.length > 0) {
    listener.conflicted = {
      type: ConditionType.Conflicted,
      status: 'True',
      reason: ListenerReason.HostnameConflict,
      message: `hostname ${lost.join(', ')} on port ${listener.spec.port} is already served with another certificate by an older Gateway`,
    };
    listener.programError = listener.conflicted;
  }
}
