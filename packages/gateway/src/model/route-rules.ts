/**
 * Compiles the rules of an HTTPRoute or GRPCRoute: matches, filters, backendRefs, timeouts and retries → model
 * matches and one action per rule. A rule with anything the model cannot serve faithfully (non-RE2 regex, unknown
 * filter, incompatible filters) is dropped whole, never served half-understood; reference problems (missing
 * Service, refused namespace) keep the rule and send that backend's share to a 500, as the spec requires.
 */
import type {
  BackendObjectReference,
  GRPCRouteRule,
  HTTPBackendRef,
  HTTPHeaderFilter,
  HTTPPathModifier,
  HTTPRouteFilter,
  HTTPRouteRule,
} from '../sources/gateway-api.js';
import { compareStrings } from '../sources/objects.js';
import type { ReferenceFrom } from '../sources/reference-grants.js';
import { RouteReason } from '../status/conditions.js';
import { type BackendIndex, type BackendRequest, resolveBackend } from './backends.js';
import { parseGatewayDuration } from './duration.js';
import { convertGrpcMatch, convertHttpMatch, MATCH_EVERYTHING, type MatchResult } from './route-matches.js';
import type {
  ClusterProtocol,
  ModelCluster,
  ModelHeaderMutation,
  ModelMirror,
  ModelRetryPolicy,
  ModelRouteAction,
  ModelRouteMatch,
  ModelWeightedCluster,
} from './types.js';

export interface RuleContext {
  readonly backends: BackendIndex;
  /** The route, as the referring side of backend references. */
  readonly from: ReferenceFrom;
  /** `http2` for GRPCRoute backends. */
  readonly protocol?: ClusterProtocol;
}

export interface CompiledRule {
  readonly index: number;
  readonly matches: readonly ModelRouteMatch[];
  readonly action: ModelRouteAction;
  readonly requestHeaders?: ModelHeaderMutation;
  readonly responseHeaders?: ModelHeaderMutation;
  readonly clusters: readonly ModelCluster[];
}

export interface DroppedRule {
  readonly index: number;
  readonly reason: typeof RouteReason.UnsupportedValue | typeof RouteReason.IncompatibleFilters;
  readonly problem: string;
}

export interface ReferenceProblem {
  readonly reason: RouteReason;
  readonly message: string;
}

export interface CompiledRoute {
  readonly rules: readonly CompiledRule[];
  readonly dropped: readonly DroppedRule[];
  readonly referenceProblems: readonly ReferenceProblem[];
}

type AnyRule = HTTPRouteRule | GRPCRouteRule;

export function compileHttpRules(rules: readonly HTTPRouteRule[] | undefined, context: RuleContext): CompiledRoute {
  return compileRules(rules ?? [{}], context, (rule) =>
    (rule.matches?.length ? rule.matches : [MATCH_EVERYTHING]).map(convertHttpMatch),
  );
}

export function compileGrpcRules(rules: readonly GRPCRouteRule[] | undefined, context: RuleContext): CompiledRoute {
  return compileRules(rules ?? [{}], context, (rule) =>
    (rule.matches?.length ? rule.matches : [{}]).map(convertGrpcMatch),
  );
}

function compileRules<R extends AnyRule>(
  rules: readonly R[],
  context: RuleContext,
  convertMatches: (rule: R) => MatchResult[],
): CompiledRoute {
  const compiled: CompiledRule[] = [];
  const dropped: DroppedRule[] = [];
  const referenceProblems: ReferenceProblem[] = [];
  rules.forEach((rule, index) => {
    const result = compileRule(rule, index, context, convertMatches(rule), referenceProblems);
    if ('problem' in result) dropped.push(result);
    else compiled.push(result);
  });
  return { rules: compiled, dropped, referenceProblems };
}

function compileRule(
  rule: AnyRule,
  index: number,
  context: RuleContext,
  matchResults: MatchResult[],
  referenceProblems: ReferenceProblem[],
): CompiledRule | DroppedRule {
  const unsupported = (problem: string): DroppedRule => ({ index, reason: RouteReason.UnsupportedValue, problem });
  const matches: ModelRouteMatch[] = [];
  for (const result of matchResults) {
    if (!result.ok) return unsupported(result.problem);
    matches.push(result.match);
  }
  const filters = (rule.filters ?? []) as readonly HTTPRouteFilter[];
  const byType = (type: string) => filters.filter((f) => f.type === type);
  const known = new Set([
    'RequestHeaderModifier',
    'ResponseHeaderModifier',
    'RequestMirror',
    'RequestRedirect',
    'URLRewrite',
  ]);
  const unknown = filters.find((f) => !known.has(f.type));
  if (unknown !== undefined) return unsupported(`filter ${unknown.type} is not supported`);
  const redirect = byType('RequestRedirect')[0]?.requestRedirect;
  const rewrite = byType('URLRewrite')[0]?.urlRewrite;
  const backendRefs = (rule.backendRefs ?? []) as readonly HTTPBackendRef[];
  if (redirect !== undefined && (rewrite !== undefined || backendRefs.length > 0)) {
    return {
      index,
      reason: RouteReason.IncompatibleFilters,
      problem: 'RequestRedirect cannot be combined with URLRewrite or backendRefs',
    };
  }
  const pathModifier = redirect?.path ?? rewrite?.path;
  if (pathModifier?.type === 'ReplacePrefixMatch' && matches.some((m) => m.path.type !== 'PathPrefix')) {
    return unsupported('ReplacePrefixMatch needs every match of the rule to be a PathPrefix match');
  }
  const modifierPath = pathModifier === undefined ? undefined : convertPathModifier(pathModifier);
  if (typeof modifierPath === 'string') return unsupported(modifierPath);
  if (backendRefs.some((b) => (b.filters ?? []).length > 0)) return unsupported('backendRef filters are not supported');
  const headers = {
    ...optionalMutation('requestHeaders', byType('RequestHeaderModifier')[0]?.requestHeaderModifier),
    ...optionalMutation('responseHeaders', byType('ResponseHeaderModifier')[0]?.responseHeaderModifier),
  };
  if (redirect !== undefined) {
    const statusCode = redirect.statusCode ?? 302;
    if (![301, 302, 303, 307, 308].includes(statusCode))
      return unsupported(`redirect statusCode ${statusCode} is not supported`);
    const action: ModelRouteAction = {
      type: 'Redirect',
      ...(redirect.scheme === undefined ? {} : { scheme: redirect.scheme }),
      ...(redirect.hostname === undefined ? {} : { hostname: redirect.hostname }),
      ...(redirect.port === undefined ? {} : { port: redirect.port }),
      ...(modifierPath === undefined ? {} : { path: modifierPath }),
      statusCode,
    };
    return { index, matches, action, ...headers, clusters: [] };
  }
  const timing = compileTiming(rule);
  if (typeof timing === 'string') return unsupported(timing);
  const clusters = new Map<string, ModelCluster>();
  const weights = new Map<string, number>();
  let invalidBackendWeight = 0;
  let websocket = false;
  for (const ref of backendRefs) {
    const weight = ref.weight ?? 1;
    const result = resolveBackend(context.backends, backendRequest(ref, context));
    if (!result.ok) {
      // A BackendTLSPolicy that forbids the backend is reported on the policy; the route's references are fine.
      if (result.policy !== true) {
        referenceProblems.push({ reason: result.reason, message: `rule ${index}: ${result.message}` });
      }
      invalidBackendWeight += weight;
      continue;
    }
    websocket ||= result.websocket;
    if (weight === 0) continue;
    clusters.set(result.cluster.name, result.cluster);
    weights.set(result.cluster.name, (weights.get(result.cluster.name) ?? 0) + weight);
  }
  const mirrors: ModelMirror[] = [];
  for (const filter of byType('RequestMirror')) {
    const mirror = filter.requestMirror;
    if (mirror === undefined) continue;
    const result = resolveBackend(context.backends, backendRequest(mirror.backendRef, context));
    if (!result.ok) {
      if (result.policy !== true) {
        referenceProblems.push({ reason: result.reason, message: `rule ${index} mirror: ${result.message}` });
      }
      continue;
    }
    const percent = Math.min(100, mirrorPercent(mirror.percent, mirror.fraction));
    if (percent <= 0) continue;
    clusters.set(result.cluster.name, result.cluster);
    mirrors.push({ cluster: result.cluster.name, percent });
  }
  const backends: ModelWeightedCluster[] = [...weights]
    .map(([cluster, weight]) => ({ cluster, weight }))
    .sort((a, b) => compareStrings(a.cluster, b.cluster));
  if (backends.length === 0) {
    // Nothing valid to forward to: the spec requires 500 for all of this rule's traffic.
    return { index, matches, action: { type: 'DirectResponse', status: 500 }, ...headers, clusters: [] };
  }
  const action: ModelRouteAction = {
    type: 'Forward',
    backends,
    invalidBackendWeight,
    mirrors: mirrors.sort((a, b) => compareStrings(a.cluster, b.cluster)),
    hashPolicies: [],
    websocket,
    ...timing,
    ...(rewrite === undefined
      ? {}
      : {
          rewrite: {
            ...(rewrite.hostname === undefined ? {} : { hostname: rewrite.hostname }),
            ...(modifierPath === undefined ? {} : { path: modifierPath }),
          },
        }),
  };
  return { index, matches, action, ...headers, clusters: [...clusters.values()] };
}

function backendRequest(ref: BackendObjectReference, context: RuleContext): BackendRequest {
  return {
    from: context.from,
    group: ref.group,
    kind: ref.kind,
    namespace: ref.namespace ?? context.from.namespace,
    name: ref.name,
    port: ref.port,
    protocol: context.protocol,
  };
}

function convertPathModifier(modifier: HTTPPathModifier): { type: HTTPPathModifier['type']; value: string } | string {
  const value = modifier.type === 'ReplaceFullPath' ? modifier.replaceFullPath : modifier.replacePrefixMatch;
  if (value === undefined) return `path modifier ${modifier.type} has no value`;
  return { type: modifier.type, value };
}

function optionalMutation<K extends string>(
  key: K,
  filter: HTTPHeaderFilter | undefined,
): { [P in K]?: ModelHeaderMutation } {
  if (filter === undefined) return {};
  const byName = (a: { name: string }, b: { name: string }) => compareStrings(a.name, b.name);
  const pairs = (list: HTTPHeaderFilter['set']) =>
    (list ?? []).map((h) => ({ name: h.name.toLowerCase(), value: h.value })).sort(byName);
  const mutation: ModelHeaderMutation = {
    set: pairs(filter.set),
    add: pairs(filter.add),
    remove: (filter.remove ?? []).map((h) => h.toLowerCase()).sort(compareStrings),
  };
  return { [key]: mutation } as { [P in K]?: ModelHeaderMutation };
}

/** `timeouts.request` / `timeouts.backendRequest` and the (experimental) `retry` of an HTTPRoute rule. */
function compileTiming(rule: AnyRule): { timeoutMs?: number; retry?: ModelRetryPolicy } | string {
  const httpRule = rule as HTTPRouteRule;
  const out: { timeoutMs?: number; retry?: ModelRetryPolicy } = {};
  const parse = (field: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const ms = parseGatewayDuration(value);
    return ms === undefined ? `${field} ${value} is not a valid duration` : ms;
  };
  const request = parse('timeouts.request', httpRule.timeouts?.request);
  const backendRequest = parse('timeouts.backendRequest', httpRule.timeouts?.backendRequest);
  const backoff = parse('retry.backoff', httpRule.retry?.backoff);
  for (const value of [request, backendRequest, backoff]) if (typeof value === 'string') return value;
  if (typeof request === 'number') out.timeoutMs = request;
  if (typeof request === 'number' && typeof backendRequest === 'number' && request !== 0 && backendRequest > request) {
    return 'timeouts.backendRequest must not be longer than timeouts.request';
  }
  if (httpRule.retry !== undefined || typeof backendRequest === 'number') {
    out.retry = {
      attempts: httpRule.retry?.attempts ?? 0,
      retriableStatusCodes: [...(httpRule.retry?.codes ?? [])].sort((a, b) => a - b),
      ...(typeof backendRequest === 'number' ? { perTryTimeoutMs: backendRequest } : {}),
      ...(typeof backoff === 'number' ? { backoffBaseMs: backoff } : {}),
    };
  }
  return out;
}

/** `percent` (0..100) or `fraction` (numerator / denominator, default denominator 100); neither = 100%. */
function mirrorPercent(
  percent: number | undefined,
  fraction: { numerator: number; denominator?: number } | undefined,
): number {
  if (percent !== undefined) return percent;
  if (fraction !== undefined) return (fraction.numerator / (fraction.denominator ?? 100)) * 100;
  return 100;
}
