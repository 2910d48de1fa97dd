/**
 * Which listeners a route attaches to through each of its parentRefs, following the Gateway API order of checks:
 * the parent (ours?), `sectionName` / `port` (NoMatchingParent), `allowedRoutes` kinds and namespaces
 * (NotAllowedByListeners), then hostname intersection (NoMatchingListenerHostname).
 */
import { GATEWAY_EXPERIMENTAL_GROUP, GATEWAY_GROUP, type ParentReference } from '../sources/gateway-api.js';
import { formatKey } from '../sources/objects.js';
import { ConditionType, type DesiredCondition, RouteReason } from '../status/conditions.js';
import type { GatewayTranslation } from './gateways.js';
import { effectiveHostnames } from './hostnames.js';
import { ListenerHostnameIndex } from './listener-index.js';
import type { ResolvedListener } from './listeners.js';
import { matchesLabelSelector, namespaceLabels } from './selectors.js';

export interface AttachedListener {
  readonly listener: ResolvedListener;
  /** Virtual host names the route serves through this listener. */
  readonly hostnames: readonly string[];
}

export interface ParentAttachment {
  /** As written in the route's spec (status echoes it). */
  readonly parentRef: ParentReference;
  readonly listeners: readonly AttachedListener[];
  /** Set when the route cannot attach through this parentRef. */
  readonly refusal: DesiredCondition | undefined;
}

export interface RouteIdentity {
  readonly kind: 'HTTPRoute' | 'GRPCRoute';
  readonly namespace: string;
  readonly hostnames: readonly string[];
  readonly parentRefs: readonly ParentReference[];
}

/** Attachments for the parentRefs that point at our Gateways / ListenerSets; other parentRefs are not ours to report. */
export function attachRoute(
  route: RouteIdentity,
  gateways: GatewayTranslation,
  namespaces: ReadonlyMap<string, Record<string, string>>,
): ParentAttachment[] {
  const out: ParentAttachment[] = [];
  for (const parentRef of route.parentRefs) {
    const candidates = candidateListeners(parentRef, route.namespace, gateways);
    if (candidates === undefined) continue;
    if (typeof candidates === 'string') {
      out.push({ parentRef, listeners: [], refusal: refuse(RouteReason.NoMatchingParent, candidates) });
      continue;
    }
    const lookup = lookupFor(candidates);
    const selected = selectListeners(candidates, lookup, parentRef);
    if (selected.length === 0) {
      out.push({
        parentRef,
        listeners: [],
        refusal: refuse(RouteReason.NoMatchingParent, `no listener ${describeSelection(parentRef)}`),
      });
      continue;
    }
    const attached = narrowByHostname(selected, candidates, lookup, route.hostnames)
      .filter((listener) => allowsRoute(listener, route, namespaces))
      .map((listener) => ({ listener, hostnames: effectiveHostnames(listener.hostname, route.hostnames) }))
      .filter((a) => a.hostnames.length > 0);
    if (attached.length === 0) {
      // Only on failure: tell "no listener allows this route" from "none shares a hostname" (the spec's order).
      const allowedSomewhere = selected.some((l) => allowsRoute(l, route, namespaces));
      out.push({
        parentRef,
        listeners: [],
        refusal: allowedSomewhere
          ? refuse(
              RouteReason.NoMatchingListenerHostname,
              `route hostnames ${route.hostnames.join(', ')} match no listener hostname ${describeSelection(parentRef)}`,
            )
          : refuse(
              RouteReason.NotAllowedByListeners,
              `no listener ${describeSelection(parentRef)} allows ${route.kind} from namespace ${route.namespace}`,
            ),
      });
      continue;
    }
    out.push({ parentRef, listeners: attached, refusal: undefined });
  }
  return out;
}

interface ListenerLookup {
  readonly index: ListenerHostnameIndex;
  readonly byName: ReadonlyMap<string, ResolvedListener>;
  readonly position: ReadonlyMap<ResolvedListener, number>;
}

/** Built once per parent per translation (the listener arrays live as long as the translation). */
const lookups = new WeakMap<readonly ResolvedListener[], ListenerLookup>();

function lookupFor(listeners: readonly ResolvedListener[]): ListenerLookup {
  let lookup = lookups.get(listeners);
  if (lookup === undefined) {
    lookup = {
      index: new ListenerHostnameIndex(listeners),
      byName: new Map(listeners.map((l) => [l.spec.name, l])),
      position: new Map(listeners.map((l, i) => [l, i])),
    };
    lookups.set(listeners, lookup);
  }
  return lookup;
}

/** The listeners a parentRef's `sectionName` / `port` select (all when neither is set). */
function selectListeners(
  listeners: readonly ResolvedListener[],
  lookup: ListenerLookup,
  ref: ParentReference,
): readonly ResolvedListener[] {
  if (ref.sectionName !== undefined) {
    const listener = lookup.byName.get(ref.sectionName);
    return listener !== undefined && (ref.port === undefined || listener.spec.port === ref.port) ? [listener] : [];
  }
  return ref.port === undefined ? listeners : listeners.filter((l) => l.spec.port === ref.port);
}

/**
 * The selected listeners that can share a hostname with the route, in declaration order. With route hostnames the
 * hostname index gives the few candidates directly instead of intersecting every listener.
 */
function narrowByHostname(
  selected: readonly ResolvedListener[],
  all: readonly ResolvedListener[],
  lookup: ListenerLookup,
  hostnames: readonly string[],
): readonly ResolvedListener[] {
  if (hostnames.length === 0 || selected.length < 8) return selected;
  const hits = new Set<ResolvedListener>();
  for (const hostname of hostnames) for (const listener of lookup.index.intersecting(hostname)) hits.add(listener);
  const narrowed = selected === all ? [...hits] : selected.filter((l) => hits.has(l));
  return narrowed.sort((a, b) => (lookup.position.get(a) ?? 0) - (lookup.position.get(b) ?? 0));
}

/** The parent's listeners; a string when the parent is ours but unusable; undefined when not ours. */
function candidateListeners(
  ref: ParentReference,
  routeNamespace: string,
  gateways: GatewayTranslation,
): readonly ResolvedListener[] | string | undefined {
  const group = ref.group ?? GATEWAY_GROUP;
  const kind = ref.kind ?? 'Gateway';
  const namespace = ref.namespace ?? routeNamespace;
  if (group === GATEWAY_GROUP && kind === 'Gateway') {
    return gateways.gateways.get(`${namespace}/${ref.name}`)?.listeners;
  }
  const isListenerSet =
    (group === GATEWAY_GROUP && kind === 'ListenerSet') ||
    (group === GATEWAY_EXPERIMENTAL_GROUP && kind === 'XListenerSet');
  if (!isListenerSet) return undefined;
  const set = gateways.listenerSets.get(formatKey({ kind, namespace, name: ref.name }));
  if (set === undefined) return undefined;
  if (set.accepted.status !== 'True') return `${kind} ${namespace}/${ref.name} is not accepted by its Gateway`;
  return set.listeners;
}

function allowsRoute(
  listener: ResolvedListener,
  route: RouteIdentity,
  namespaces: ReadonlyMap<string, Record<string, string>>,
): boolean {
  if (!listener.supportedKinds.some((k) => k.kind === route.kind && (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP)) {
    return false;
  }
  const from = listener.spec.allowedRoutes?.namespaces?.from ?? 'Same';
  switch (from) {
    case 'All':
      return true;
    case 'Same':
      return route.namespace === listener.ownerNamespace;
    case 'Selector':
      return matchesLabelSelector(
        listener.spec.allowedRoutes?.namespaces?.selector,
        namespaceLabels(namespaces, route.namespace),
      );
    default:
      return false;
  }
}

function describeSelection(ref: ParentReference): string {
  const parts = [
    ref.sectionName === undefined ? undefined : `sectionName ${ref.sectionName}`,
    ref.port === undefined ? undefined : `port ${ref.port}`,
  ].filter((p) => p !== undefined);
  const where = `${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
  return parts.length === 0 ? `of ${where}` : `with ${parts.join(' and ')} on ${where}`;
}

function refuse(reason: RouteReason, message: string): DesiredCondition {
  return { type: ConditionType.Accepted, status: 'False', reason, message };
}
