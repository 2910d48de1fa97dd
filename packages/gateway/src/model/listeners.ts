/**
 * Validation of Gateway / ListenerSet listeners on their own (protocol, hostname, TLS certificate references,
 * route kinds) and of listeners against each other (Conflicted, OverlappingTLSConfig). The results carry the
 * conditions status will report and whether the listener can be served at all.
 */
import type { V1Secret } from '@kubernetes/client-node';
import { GATEWAY_GROUP, type Listener, type ReferenceGrant, type RouteGroupKind } from '../sources/gateway-api.js';
import { isReferencePermitted, type ReferenceFrom } from '../sources/reference-grants.js';
import { ConditionType, type DesiredCondition, ListenerReason } from '../status/conditions.js';
import { isValidHostname } from './hostnames.js';
import { resolveTlsSecret, secretName } from './tls-secrets.js';
import type { ListenerProtocol, ModelSecret } from './types.js';

/** Route kinds an HTTP or HTTPS listener accepts. */
export const HTTP_ROUTE_KINDS: readonly RouteGroupKind[] = [
  { group: GATEWAY_GROUP, kind: 'HTTPRoute' },
  { group: GATEWAY_GROUP, kind: 'GRPCRoute' },
];

export interface ResolvedListener {
  /** Where it is declared: `Gateway/ns/name` or `ListenerSet/ns/name` (kind as declared). */
  readonly ownerKey: string;
  /** Namespace of the declaring object (allowedRoutes `Same` is relative to it). */
  readonly ownerNamespace: string;
  readonly spec: Listener;
  /** Lowercased hostname, undefined when absent. */
  readonly hostname: string | undefined;
  readonly protocol: ListenerProtocol | undefined;
  readonly supportedKinds: readonly RouteGroupKind[];
  /** Valid certificates (HTTPS), in certificateRefs order. */
  readonly secrets: readonly ModelSecret[];
  accepted: DesiredCondition;
  resolvedRefs: DesiredCondition;
  conflicted: DesiredCondition;
  overlapping: DesiredCondition | undefined;
  /** Set when programming into the model fails (port taken, SNI name taken). */
  programError: DesiredCondition | undefined;
  /** Routes with Accepted=True attached here (filled during route attachment). */
  attachedRoutes: number;
}

export interface ListenerContext {
  readonly secrets: ReadonlyMap<string, V1Secret>;
  readonly referenceGrants: readonly ReferenceGrant[];
}

const ok = (type: string, reason: string, message: string): DesiredCondition => ({
  type,
  status: 'True',
  reason,
  message,
});
const bad = (type: string, reason: string, message: string): DesiredCondition => ({
  type,
  status: 'False',
  reason,
  message,
});

/** Validates one listener in isolation. `from` is the declaring object, for ReferenceGrant checks. */
export function resolveListener(
  spec: Listener,
  ownerKey: string,
  from: ReferenceFrom,
  context: ListenerContext,
): ResolvedListener {
  const hostname = spec.hostname?.toLowerCase();
  const protocol: ListenerProtocol | undefined =
    spec.protocol === 'HTTP' ? 'HTTP' : spec.protocol === 'HTTPS' ? 'HTTPS' : undefined;
  let accepted = ok(ConditionType.Accepted, ListenerReason.Accepted, 'Listener is valid');
  if (protocol === undefined) {
    accepted = bad(
      ConditionType.Accepted,
      ListenerReason.UnsupportedProtocol,
      `protocol ${spec.protocol} is not supported; use HTTP or HTTPS`,
    );
  } else if (hostname !== undefined && !isValidHostname(hostname)) {
    accepted = bad(ConditionType.Accepted, ListenerReason.UnsupportedValue, `hostname ${spec.hostname} is not valid`);
  } else if (protocol === 'HTTPS' && spec.tls?.mode === 'Passthrough') {
    accepted = bad(
      ConditionType.Accepted,
      ListenerReason.UnsupportedValue,
      'tls.mode Passthrough is not supported on HTTPS',
    );
  }
  const { supportedKinds, kindsProblem } = resolveKinds(spec, protocol);
  const { secrets, certificateProblem } =
    protocol === 'HTTPS' ? resolveCertificates(spec, from, context) : { secrets: [], certificateProblem: undefined };
  const resolvedRefs =
    certificateProblem ??
    kindsProblem ??
    ok(ConditionType.ResolvedRefs, ListenerReason.ResolvedRefs, 'All references resolved');
  return {
    ownerKey,
    ownerNamespace: from.namespace,
    spec,
    hostname,
    protocol,
    supportedKinds,
    secrets,
    accepted,
    resolvedRefs,
    conflicted: bad(ConditionType.Conflicted, ListenerReason.NoConflicts, 'No conflicts'),
    overlapping: undefined,
    programError: undefined,
    attachedRoutes: 0,
  };
}

function resolveKinds(
  spec: Listener,
  protocol: ListenerProtocol | undefined,
): { supportedKinds: RouteGroupKind[]; kindsProblem: DesiredCondition | undefined } {
  if (protocol === undefined) return { supportedKinds: [], kindsProblem: undefined };
  const requested = spec.allowedRoutes?.kinds;
  if (requested === undefined || requested.length === 0) {
    return { supportedKinds: [...HTTP_ROUTE_KINDS], kindsProblem: undefined };
  }
  const supportedKinds: RouteGroupKind[] = [];
  const invalid: string[] = [];
  for (const kind of requested) {
    const group = kind.group ?? GATEWAY_GROUP;
    if (HTTP_ROUTE_KINDS.some((k) => k.group === group && k.kind === kind.kind)) {
      supportedKinds.push({ group, kind: kind.kind });
    } else {
      invalid.push(`${group}/${kind.kind}`);
    }
  }
  const kindsProblem =
    invalid.length === 0
      ? undefined
      : bad(
          ConditionType.ResolvedRefs,
          ListenerReason.InvalidRouteKinds,
          `route kinds ${invalid.join(', ')} are not supported on ${protocol}`,
        );
  return { supportedKinds, kindsProblem };
}

/**
 * Every certificateRef is checked; refused cross-namespace references report RefNotPermitted (which the spec puts
 * before InvalidCertificateRef), anything else unusable InvalidCertificateRef. Valid ones are still served.
 */
function resolveCertificates(
  spec: Listener,
  from: ReferenceFrom,
  context: ListenerContext,
): { secrets: ModelSecret[]; certificateProblem: DesiredCondition | undefined } {
  const refs = spec.tls?.certificateRefs ?? [];
  if (refs.length === 0) {
    return {
      secrets: [],
      certificateProblem: bad(
        ConditionType.ResolvedRefs,
        ListenerReason.InvalidCertificateRef,
        'HTTPS listener has no tls.certificateRefs',
      ),
    };
  }
  const secrets: ModelSecret[] = [];
  const refused: string[] = [];
  const invalid: string[] = [];
  for (const ref of refs) {
    const namespace = ref.namespace ?? from.namespace;
    const name = secretName(namespace, ref.name);
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') {
      invalid.push(`${name}: kind ${ref.group ? `${ref.group}/` : ''}${ref.kind} is not supported`);
      continue;
    }
    if (
      !isReferencePermitted(context.referenceGrants, from, { group: '', kind: 'Secret', namespace, name: ref.name })
    ) {
      refused.push(
        `Secret ${name}: no ReferenceGrant in namespace ${namespace} allows ${from.kind} from namespace ${from.namespace}`,
      );
      continue;
    }
    const secret = context.secrets.get(name);
    if (secret === undefined) {
      invalid.push(`Secret ${name} not found`);
      continue;
    }
    const result = resolveTlsSecret(secret);
    if (result.ok) secrets.push(result.secret);
    else invalid.push(result.problem);
  }
  let certificateProblem: DesiredCondition | undefined;
  if (refused.length > 0) {
    certificateProblem = bad(ConditionType.ResolvedRefs, ListenerReason.RefNotPermitted, refused.join('; '));
  } else if (invalid.length > 0) {
    certificateProblem = bad(ConditionType.ResolvedRefs, ListenerReason.InvalidCertificateRef, invalid.join('; '));
  }
  return { secrets, certificateProblem };
}

export function isConflicted(listener: ResolvedListener): boolean {
  return listener.conflicted.status === 'True';
}

/** Accepted, not conflicted, programmed, and (HTTPS) at least one valid certificate. */
export function isServable(listener: ResolvedListener): boolean {
  return (
    listener.accepted.status === 'True' &&
    !isConflicted(listener) &&
    listener.programError === undefined &&
    (listener.protocol === 'HTTP' || listener.secrets.length > 0)
  );
}
