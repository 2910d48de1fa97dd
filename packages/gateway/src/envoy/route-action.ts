/**
 * Route actions: forward (weighted clusters, mirrors, hashing, retries, timeouts, rewrites, WebSocket), redirect
 * and direct response, plus header mutations.
 */
import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import type { HeaderValueOption } from '../generated/envoy/config/core/v3/base_pb.js';
import {
  HeaderValueOption_HeaderAppendAction,
  HeaderValueOptionSchema,
} from '../generated/envoy/config/core/v3/base_pb.js';
import type {
  DirectResponseAction,
  RedirectAction,
  RetryPolicy,
  RouteAction,
} from '../generated/envoy/config/route/v3/route_components_pb.js';
import {
  DirectResponseActionSchema,
  RedirectAction_RedirectResponseCode,
  RedirectActionSchema,
  RetryPolicySchema,
  RouteAction_ClusterNotFoundResponseCode,
  RouteAction_HashPolicySchema,
  RouteAction_RequestMirrorPolicySchema,
  RouteActionSchema,
  WeightedClusterSchema,
} from '../generated/envoy/config/route/v3/route_components_pb.js';
import type { RegexMatchAndSubstitute } from '../generated/envoy/type/matcher/v3/regex_pb.js';
import { RegexMatchAndSubstituteSchema } from '../generated/envoy/type/matcher/v3/regex_pb.js';
import { FractionalPercent_DenominatorType } from '../generated/envoy/type/v3/percent_pb.js';
import type {
  ModelDirectResponseAction,
  ModelForwardAction,
  ModelHashPolicy,
  ModelHeaderMutation,
  ModelMirror,
  ModelRedirectAction,
  ModelRetryPolicy,
} from '../model/types.js';
import { EnvoyUnrepresentableError } from './errors.js';

/**
 * Names the share of a weighted route whose backendRef is invalid. No such cluster ever exists (real cluster names
 * contain `:port`), and `cluster_not_found_response_code: INTERNAL_SERVER_ERROR` makes Envoy answer that share
 * with the 500 Gateway API requires.
 */
export const INVALID_BACKEND_CLUSTER = 'portcullis/invalid-backend';

const REDIRECT_CODES: Readonly<Record<number, RedirectAction_RedirectResponseCode>> = {
  301: RedirectAction_RedirectResponseCode.MOVED_PERMANENTLY,
  302: RedirectAction_RedirectResponseCode.FOUND,
  303: RedirectAction_RedirectResponseCode.SEE_OTHER,
  307: RedirectAction_RedirectResponseCode.TEMPORARY_REDIRECT,
  308: RedirectAction_RedirectResponseCode.PERMANENT_REDIRECT,
};

/** What the route builder knows about the route an action belongs to. */
export interface ActionContext {
  /** The model route name, for error messages. */
  readonly route: string;
  /** Literal prefix the RouteMatch matched (see BuiltMatch); absent for regex matches. */
  readonly matchedPrefix: string | undefined;
  readonly grpc: boolean;
}

type PathRewrite = { case: 'prefixRewrite'; value: string } | { case: 'regexRewrite'; value: RegexMatchAndSubstitute };

const escapeRe2 = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

const regexRewrite = (pattern: string, substitution: string): PathRewrite => ({
  case: 'regexRewrite',
  value: create(RegexMatchAndSubstituteSchema, { pattern: { regex: pattern }, substitution }),
});

/**
 * Gateway API `ReplacePrefixMatch` on path elements. Envoy's `prefix_rewrite` swaps characters, which is right
 * except at the edges: replacing with `/` would leave `//x`, and replacing the prefix `/` would glue `/barx`; those
 * two cases use a regex rewrite instead.
 */
function replacePrefix(context: ActionContext, replacement: string): PathRewrite | undefined {
  const matched = context.matchedPrefix;
  if (matched === undefined) {
    throw new EnvoyUnrepresentableError(
      `route ${context.route}`,
      'rewrite.path',
      'ReplacePrefixMatch needs a prefix match',
    );
  }
  const trimmed = replacement.replace(/\/+$/, '');
  if (trimmed === '') {
    if (matched === '/') return undefined;
    return regexRewrite(`^${escapeRe2(matched.replace(/\/+$/, ''))}/*`, '/');
  }
  if (matched === '/') return regexRewrite('^/', `${trimmed}/`);
  return { case: 'prefixRewrite', value: matched.endsWith('/') ? `${trimmed}/` : trimmed };
}

function mirrorPolicy(mirror: ModelMirror, route: string) {
  if (!(mirror.percent > 0 && mirror.percent <= 100)) {
    throw new EnvoyUnrepresentableError(`route ${route}`, 'mirrors.percent', `${mirror.percent} is not in (0, 100]`);
  }
  if (mirror.percent === 100) return create(RouteAction_RequestMirrorPolicySchema, { cluster: mirror.cluster });
  const whole = Number.isInteger(mirror.percent);
  return create(RouteAction_RequestMirrorPolicySchema, {
    cluster: mirror.cluster,
    runtimeFraction: {
      defaultValue: {
        numerator: whole ? mirror.percent : Math.round(mirror.percent * 10_000),
        denominator: whole ? FractionalPercent_DenominatorType.HUNDRED : FractionalPercent_DenominatorType.MILLION,
      },
    },
  });
}

function hashPolicy(policy: ModelHashPolicy) {
  switch (policy.type) {
    case 'Header':
      return create(RouteAction_HashPolicySchema, {
        policySpecifier: { case: 'header', value: { headerName: policy.name } },
      });
    case 'Cookie':
      // No ttl: hash on the cookie when the client sends it; Envoy does not mint one.
      return create(RouteAction_HashPolicySchema, {
        policySpecifier: { case: 'cookie', value: { name: policy.name } },
      });
    case 'SourceIp':
      return create(RouteAction_HashPolicySchema, {
        policySpecifier: { case: 'connectionProperties', value: { sourceIp: true } },
      });
  }
}

/**
 * Retries on connection failures and refused streams (safe: the upstream never saw the request), on the listed
 * status codes, and for gRPC routes on UNAVAILABLE — gRPC reports failures in trailers with HTTP 200, and
 * UNAVAILABLE is the status gRPC defines as safe to retry (gRPC xDS clients only read gRPC status names here).
 */
function retryPolicy(retry: ModelRetryPolicy, grpc: boolean): RetryPolicy | undefined {
  if (retry.attempts < 1) return undefined;
  const retryOn = ['connect-failure', 'refused-stream'];
  if (retry.retriableStatusCodes.length > 0) retryOn.push('retriable-status-codes');
  if (grpc) retryOn.push('unavailable');
  return create(RetryPolicySchema, {
    retryOn: retryOn.join(','),
    numRetries: retry.attempts,
    retriableStatusCodes: [...retry.retriableStatusCodes],
    ...(retry.perTryTimeoutMs !== undefined && { perTryTimeout: durationFromMs(retry.perTryTimeoutMs) }),
    ...(retry.backoffBaseMs !== undefined && { retryBackOff: { baseInterval: durationFromMs(retry.backoffBaseMs) } }),
  });
}

export function buildForwardAction(action: ModelForwardAction, context: ActionContext): RouteAction {
  if (action.backends.length === 0) {
    throw new EnvoyUnrepresentableError(`route ${context.route}`, 'backends', 'a forward action needs a backend');
  }
  const [single] = action.backends;
  const clusterSpecifier: RouteAction['clusterSpecifier'] =
    action.backends.length === 1 && single !== undefined && action.invalidBackendWeight === 0
      ? { case: 'cluster', value: single.cluster }
      : {
          case: 'weightedClusters',
          value: create(WeightedClusterSchema, {
            clusters: [
              ...action.backends.map((backend) => ({ name: backend.cluster, weight: backend.weight })),
              ...(action.invalidBackendWeight > 0
                ? [{ name: INVALID_BACKEND_CLUSTER, weight: action.invalidBackendWeight }]
                : []),
            ],
          }),
        };
  const retry = action.retry === undefined ? undefined : retryPolicy(action.retry, context.grpc);
  const rewritePath = action.rewrite?.path;
  let pathRewrite: PathRewrite | undefined;
  if (rewritePath?.type === 'ReplacePrefixMatch') pathRewrite = replacePrefix(context, rewritePath.value);
  else if (rewritePath?.type === 'ReplaceFullPath') pathRewrite = regexRewrite('^/.*$', rewritePath.value);
  const hostname = action.rewrite?.hostname;
  return create(RouteActionSchema, {
    clusterSpecifier,
    ...(action.invalidBackendWeight > 0 && {
      clusterNotFoundResponseCode: RouteAction_ClusterNotFoundResponseCode.INTERNAL_SERVER_ERROR,
    }),
    ...(pathRewrite?.case === 'prefixRewrite' && { prefixRewrite: pathRewrite.value }),
    ...(pathRewrite?.case === 'regexRewrite' && { regexRewrite: pathRewrite.value }),
    ...(hostname !== undefined && { hostRewriteSpecifier: { case: 'hostRewriteLiteral', value: hostname } }),
    ...(action.timeoutMs !== undefined && { timeout: durationFromMs(action.timeoutMs) }),
    ...(retry !== undefined && { retryPolicy: retry }),
    requestMirrorPolicies: action.mirrors.map((mirror) => mirrorPolicy(mirror, context.route)),
    hashPolicy: action.hashPolicies.map(hashPolicy),
    upgradeConfigs: action.websocket ? [{ upgradeType: 'websocket', enabled: true }] : [],
  });
}

export function buildRedirectAction(action: ModelRedirectAction, context: ActionContext): RedirectAction {
  const responseCode = REDIRECT_CODES[action.statusCode];
  if (responseCode === undefined) {
    throw new EnvoyUnrepresentableError(`route ${context.route}`, 'redirect.statusCode', `${action.statusCode}`);
  }
  let pathRewriteSpecifier: RedirectAction['pathRewriteSpecifier'] = { case: undefined };
  if (action.path?.type === 'ReplaceFullPath')
    pathRewriteSpecifier = { case: 'pathRedirect', value: action.path.value };
  else if (action.path?.type === 'ReplacePrefixMatch') {
    pathRewriteSpecifier = replacePrefix(context, action.path.value) ?? { case: undefined };
  }
  return create(RedirectActionSchema, {
    // Absent scheme keeps the request's; `https_redirect` is the form Envoy documents for HTTP → HTTPS.
    schemeRewriteSpecifier:
      action.scheme === 'https'
        ? { case: 'httpsRedirect', value: true }
        : action.scheme === 'http'
          ? { case: 'schemeRedirect', value: 'http' }
          : { case: undefined },
    ...(action.hostname !== undefined && { hostRedirect: action.hostname }),
    // No port: the connection manager strips the port from Host (strip_any_host_port), so Location carries none
    // and the client uses the scheme's default port — the model's meaning of an absent port.
    ...(action.port !== undefined && { portRedirect: action.port }),
    pathRewriteSpecifier,
    responseCode,
  });
}

export function buildDirectResponse(action: ModelDirectResponseAction): DirectResponseAction {
  return create(DirectResponseActionSchema, {
    status: action.status,
    ...(action.body !== undefined && { body: { specifier: { case: 'inlineString', value: action.body } } }),
  });
}

/** Set overwrites (or adds), add appends; removals are separate lists on the Route. */
export function headerValueOptions(mutation: ModelHeaderMutation | undefined): HeaderValueOption[] {
  if (mutation === undefined) return [];
  const option = (name: string, value: string, appendAction: HeaderValueOption_HeaderAppendAction) =>
    create(HeaderValueOptionSchema, { header: { key: name, value }, appendAction });
  return [
    ...mutation.set.map((h) =>
      option(h.name, h.value, HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD),
    ),
    ...mutation.add.map((h) => option(h.name, h.value, HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)),
  ];
}
