/**
 * HTTPRoutes and GRPCRoutes → model routes on the virtual hosts of the listeners they attach to, plus what their
 * `status.parents[]` must say. Rules are compiled once per route; attachment is per parentRef.
 */
import type { GRPCRoute, HTTPRoute, ParentReference } from '../sources/gateway-api.js';
import { GATEWAY_GROUP } from '../sources/gateway-api.js';
import { groupOf } from '../sources/objects.js';
import { ConditionType, type DesiredCondition, RouteReason } from '../status/conditions.js';
import type { BackendIndex } from './backends.js';
import type { ModelBuilder } from './builder.js';
import type { GatewayTranslation } from './gateways.js';
import { isValidHostname } from './hostnames.js';
import { isServable, type ResolvedListener } from './listeners.js';
import { createdAt, namespacedName } from './objects.js';
import { attachRoute, type ParentAttachment } from './route-attachment.js';
import { type CompiledRoute, compileGrpcRules, compileHttpRules } from './route-rules.js';
import type { ModelRoute } from './types.js';

export interface RouteParentResult {
  readonly parentRef: ParentReference;
  readonly conditions: readonly DesiredCondition[];
}

export interface RouteResult {
  readonly route: HTTPRoute | GRPCRoute;
  /** One entry per parentRef that names one of our Gateways / ListenerSets, in spec order. */
  readonly parents: readonly RouteParentResult[];
}

export interface RouteInputs {
  readonly httpRoutes: readonly HTTPRoute[];
  readonly grpcRoutes: readonly GRPCRoute[];
  readonly gateways: GatewayTranslation;
  readonly backends: BackendIndex;
  readonly namespaceLabels: ReadonlyMap<string, Record<string, string>>;
}

/** Longest message we put in a condition: the API allows 32 KiB, people read the first lines. */
const MAX_MESSAGE = 1024;

export function translateRoutes(inputs: RouteInputs, builder: ModelBuilder): RouteResult[] {
  const results: RouteResult[] = [];
  const routes: (HTTPRoute | GRPCRoute)[] = [...inputs.httpRoutes, ...inputs.grpcRoutes];
  for (const route of routes) {
    const result = translateRoute(route, inputs, builder);
    if (result !== undefined) results.push(result);
  }
  return results;
}

function translateRoute(
  route: HTTPRoute | GRPCRoute,
  inputs: RouteInputs,
  builder: ModelBuilder,
): RouteResult | undefined {
  const namespace = route.metadata.namespace ?? '';
  const rawHostnames = route.spec?.hostnames ?? [];
  const hostnames = rawHostnames.map((h) => h.toLowerCase());
  const attachments = attachRoute(
    { kind: route.kind, namespace, hostnames, parentRefs: route.spec?.parentRefs ?? [] },
    inputs.gateways,
    inputs.namespaceLabels,
  );
  if (attachments.length === 0) return undefined;
  const context = {
    backends: inputs.backends,
    from: { group: groupOf(route.apiVersion) || GATEWAY_GROUP, kind: route.kind, namespace },
  };
  const compiled =
    route.kind === 'GRPCRoute'
      ? compileGrpcRules(route.spec?.rules, { ...context, protocol: 'http2' })
      : compileHttpRules((route as HTTPRoute).spec?.rules, context);
  const badHostname = hostnames.find((h) => !isValidHostname(h));
  const routeProblem: DesiredCondition | undefined =
    badHostname !== undefined
      ? notAccepted(RouteReason.UnsupportedValue, `hostname ${badHostname} is not valid`)
      : compiled.rules.length === 0
        ? notAccepted(
            compiled.dropped[0]?.reason ?? RouteReason.UnsupportedValue,
            truncate(`All rules are invalid: ${describeDropped(compiled, 'rule')}`),
          )
        : undefined;
  const resolvedRefs = resolvedRefsCondition(compiled);
  const attachedTo = new Set<ResolvedListener>();
  const parents = attachments.map((attachment) => {
    const accepted = attachment.refusal ?? routeProblem ?? acceptedCondition();
    if (accepted.status === 'True') {
      for (const { listener } of attachment.listeners) attachedTo.add(listener);
      addToModel(route, attachment, compiled, builder);
    }
    const conditions = [accepted, resolvedRefs];
    if (accepted.status === 'True' && compiled.dropped.length > 0) {
      conditions.push({
        type: ConditionType.PartiallyInvalid,
        status: 'True',
        reason: RouteReason.UnsupportedValue,
        message: truncate(describeDropped(compiled, 'Dropped Rule')),
      });
    }
    return { parentRef: attachment.parentRef, conditions };
  });
  for (const listener of attachedTo) listener.attachedRoutes += 1;
  return { route, parents };
}

function addToModel(
  route: HTTPRoute | GRPCRoute,
  attachment: ParentAttachment,
  compiled: CompiledRoute,
  builder: ModelBuilder,
): void {
  const source = { kind: route.kind, namespace: route.metadata.namespace ?? '', name: route.metadata.name ?? '' };
  const created = createdAt(route);
  const owner = namespacedName(route);
  for (const { listener, hostnames } of attachment.listeners) {
    if (!isServable(listener)) continue;
    for (const hostname of hostnames) {
      for (const rule of compiled.rules) {
        rule.matches.forEach((match, matchIndex) => {
          const modelRoute: ModelRoute = {
            name: `${route.kind.toLowerCase()}/${source.namespace}/${source.name}/${rule.index}/${matchIndex}`,
            match,
            action: rule.action,
            ...(rule.requestHeaders === undefined ? {} : { requestHeaders: rule.requestHeaders }),
            ...(rule.responseHeaders === undefined ? {} : { responseHeaders: rule.responseHeaders }),
            source,
          };
          const order = { acme: false, created, owner, ruleIndex: rule.index, matchIndex };
          builder.addRoute(listener.spec.port, hostname, { route: modelRoute, order }, rule.clusters);
        });
      }
    }
  }
}

function resolvedRefsCondition(compiled: CompiledRoute): DesiredCondition {
  const problems = compiled.referenceProblems;
  const first = problems[0];
  if (first === undefined) {
    return {
      type: ConditionType.ResolvedRefs,
      status: 'True',
      reason: RouteReason.ResolvedRefs,
      message: 'Resolved all references',
    };
  }
  return {
    type: ConditionType.ResolvedRefs,
    status: 'False',
    reason: first.reason,
    message: truncate(problems.map((p) => p.message).join('; ')),
  };
}

/** `Dropped Rule 1: <problem>; Dropped Rule 3: ...` — the spec requires PartiallyInvalid to start "Dropped Rule". */
function describeDropped(compiled: CompiledRoute, label: string): string {
  return compiled.dropped.map((d) => `${label} ${d.index}: ${d.problem}`).join('; ');
}

function acceptedCondition(): DesiredCondition {
  return { type: ConditionType.Accepted, status: 'True', reason: RouteReason.Accepted, message: 'Accepted' };
}

function notAccepted(reason: string, message: string): DesiredCondition {
  return { type: ConditionType.Accepted, status: 'False', reason, message };
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}
