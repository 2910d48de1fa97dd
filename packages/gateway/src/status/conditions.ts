/**
 * Gateway API condition types and reasons this controller sets (names from the v1.4 API), and the merge that turns
 * the conditions a translation wants into what is written: `lastTransitionTime` changes only when a condition's
 * status changes, and conditions of types we do not own are kept as they are (the spec forbids removing them).
 */
import type { ApiCondition } from '../sources/gateway-api.js';
import type { StatusCondition } from './types.js';

export const ConditionType = {
  /** The object is valid and will generate configuration (GatewayClass, Gateway, listener, ListenerSet, route parent). */
  Accepted: 'Accepted',
  /** The configuration has been sent to the data plane (Gateway, listener, ListenerSet). */
  Programmed: 'Programmed',
  /** Every reference (certificates, backends, route kinds) resolved (listener, route parent). */
  ResolvedRefs: 'ResolvedRefs',
  /** The listener conflicts with another on the same port (hostname or protocol). Negative polarity. */
  Conflicted: 'Conflicted',
  /** HTTPS listeners on one port with overlapping hostnames (connection coalescing hazard). Set only when True. */
  OverlappingTLSConfig: 'OverlappingTLSConfig',
  /** Some rules of a route were dropped as invalid, the rest is served. Set only when True. */
  PartiallyInvalid: 'PartiallyInvalid',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const GatewayClassReason = {
  /** The class names our controller and is usable. */
  Accepted: 'Accepted',
  /** `parametersRef` is set; this controller takes no parameters. */
  InvalidParameters: 'InvalidParameters',
} as const;
export type GatewayClassReason = (typeof GatewayClassReason)[keyof typeof GatewayClassReason];

export const GatewayReason = {
  /** Every listener is valid. */
  Accepted: 'Accepted',
  /** At least one listener is invalid (Accepted stays True while one valid listener remains). */
  ListenersNotValid: 'ListenersNotValid',
  /** Configuration generated for the data plane. */
  Programmed: 'Programmed',
  /** Nothing valid to program. */
  Invalid: 'Invalid',
  /** No address is configured for the Envoy fleet (translate option `addresses`). */
  AddressNotAssigned: 'AddressNotAssigned',
  /** `spec.addresses` asks for an address the Envoy fleet does not have. */
  AddressNotUsable: 'AddressNotUsable',
} as const;
export type GatewayReason = (typeof GatewayReason)[keyof typeof GatewayReason];

export const ListenerReason = {
  Accepted: 'Accepted',
  /** The port is taken by another Gateway's listener with another protocol on the shared Envoy. */
  PortUnavailable: 'PortUnavailable',
  /** Only HTTP and HTTPS are served. */
  UnsupportedProtocol: 'UnsupportedProtocol',
  /** A field has a value this controller does not support (invalid hostname, TLS passthrough). */
  UnsupportedValue: 'UnsupportedValue',
  ResolvedRefs: 'ResolvedRefs',
  /** A certificateRef is missing, not a Secret, or holds no valid certificate and key. */
  InvalidCertificateRef: 'InvalidCertificateRef',
  /** `allowedRoutes.kinds` names a kind other than HTTPRoute / GRPCRoute. */
  InvalidRouteKinds: 'InvalidRouteKinds',
  /** A certificateRef points to another namespace and no ReferenceGrant allows it. */
  RefNotPermitted: 'RefNotPermitted',
  /** Same port and hostname as another listener. */
  HostnameConflict: 'HostnameConflict',
  /** Same port as another listener with another protocol. */
  ProtocolConflict: 'ProtocolConflict',
  NoConflicts: 'NoConflicts',
  OverlappingHostnames: 'OverlappingHostnames',
  Programmed: 'Programmed',
  /** Not programmed: see the other conditions. */
  Invalid: 'Invalid',
} as const;
export type ListenerReason = (typeof ListenerReason)[keyof typeof ListenerReason];

export const ListenerSetReason = {
  Accepted: 'Accepted',
  /** The parent Gateway's `allowedListeners` does not admit this ListenerSet's namespace. */
  NotAllowed: 'NotAllowed',
  /** The parent Gateway is missing, not ours, or not accepted. */
  ParentNotAccepted: 'ParentNotAccepted',
  /** No listener of the set is valid. */
  ListenersNotValid: 'ListenersNotValid',
  Programmed: 'Programmed',
  Invalid: 'Invalid',
} as const;
export type ListenerSetReason = (typeof ListenerSetReason)[keyof typeof ListenerSetReason];

export const RouteReason = {
  Accepted: 'Accepted',
  /** No listener selected by the parentRef allows routes of this kind from this namespace. */
  NotAllowedByListeners: 'NotAllowedByListeners',
  /** No listener selected by the parentRef has a hostname intersecting the route's. */
  NoMatchingListenerHostname: 'NoMatchingListenerHostname',
  /** `sectionName` / `port` select no listener of the parent. */
  NoMatchingParent: 'NoMatchingParent',
  /**
   * Every rule is invalid (e.g. a path/header/query regex that is not RE2, an unsupported filter): nothing served.
   * With some valid rules left, the route is Accepted and PartiallyInvalid carries this reason.
   */
  UnsupportedValue: 'UnsupportedValue',
  /** Filters that cannot be combined (RequestRedirect with URLRewrite, or with backendRefs). */
  IncompatibleFilters: 'IncompatibleFilters',
  ResolvedRefs: 'ResolvedRefs',
  /** A backendRef (or mirror) points to another namespace without a ReferenceGrant. Its share gets 500. */
  RefNotPermitted: 'RefNotPermitted',
  /** A backendRef names a group/kind other than core Service. Its share gets 500. */
  InvalidKind: 'InvalidKind',
  /** A backendRef's Service (or Service port) does not exist. Its share gets 500. */
  BackendNotFound: 'BackendNotFound',
  /** The Service port's appProtocol cannot be spoken (e.g. TLS to the backend). Its share gets 500. */
  UnsupportedProtocol: 'UnsupportedProtocol',
} as const;
export type RouteReason = (typeof RouteReason)[keyof typeof RouteReason];

/** A condition as a translation wants it, before times are attached. */
export interface DesiredCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** RFC 3339, truncated to seconds (style: persisted times are ISO strings truncated to seconds). */
export function formatTime(date: Date): string {
  // One translation formats the same instant for every condition it writes.
  if (date.getTime() !== lastFormatted.ms)
    lastFormatted = { ms: date.getTime(), text: `${date.toISOString().slice(0, 19)}Z` };
  return lastFormatted.text;
}
let lastFormatted = { ms: Number.NaN, text: '' };

/**
 * The conditions to write: `desired` in order, each keeping the existing `lastTransitionTime` when its status did
 * not change, followed by existing conditions of types not in `owned` (another controller's, left untouched).
 */
export function mergeConditions(
  desired: readonly DesiredCondition[],
  existing: readonly ApiCondition[] | undefined,
  owned: ReadonlySet<string>,
  generation: number | undefined,
  now: Date,
): StatusCondition[] {
  const previous = new Map((existing ?? []).map((c) => [c.type, c]));
  const out: StatusCondition[] = desired.map((want) => {
    const before = previous.get(want.type);
    const lastTransitionTime =
      before !== undefined && before.status === want.status && before.lastTransitionTime
        ? normalizeTime(before.lastTransitionTime)
        : formatTime(now);
    return {
      type: want.type,
      status: want.status,
      reason: want.reason,
      message: want.message,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
      lastTransitionTime,
    };
  });
  const wanted = new Set(desired.map((c) => c.type));
  for (const condition of existing ?? []) {
    if (!wanted.has(condition.type) && !owned.has(condition.type)) out.push(condition);
  }
  return out;
}

/** Existing times may come back as Date objects (client-node deserialises them) or longer RFC 3339 strings. */
function normalizeTime(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : formatTime(date);
}

/** Types this controller owns on every object (foreign types are preserved). */
export const OWNED_CONDITION_TYPES: ReadonlySet<string> = new Set(Object.values(ConditionType));
