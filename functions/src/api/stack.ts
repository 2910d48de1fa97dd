/**
 * The one middy stack every API handler runs in (outermost first):
 *   Logger (Lambda context, request id) → Metrics (EMF, flushed per invocation) → problem+json error handler →
 *   request guard (body size, body presence, media type) → JSON body parser → caller (IAM → tenant) →
 *   Idempotency-Key (POST and PATCH) → the route's use case.
 * Handlers stay thin: a route declares its method, path and body rule, and maps a parsed request to a use case.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ApiDependencies } from './dependencies.js';
import { ApiError, ApiErrorCode, invalidRequest } from './errors.js';
import { idempotencyMiddleware } from './idempotency.js';
import { problemErrorHandler } from './problem.js';
import type { Caller } from './tenants.js';

export type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer;
export type ApiHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResultV2>;

/** Largest body accepted (the biggest valid request, 100 names and 10 targets, is far below it). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** API Gateway route path (`/certificates/{id}`), also the metric dimension. */
  readonly path: string;
  /** `required`: JSON object body; `optional`: JSON when present; `none`: a body is refused. */
  readonly body: 'required' | 'optional' | 'none';
  /**
   * Runs before the caller's Idempotency-Key is stored, so a malformed or forbidden request writes nothing at all,
   * not even a transient idempotency record (the use case parses again for its typed value; parsing is cheap).
   */
  readonly check?: (request: ApiRequest) => void;
}

export interface ApiRequest {
  readonly caller: Caller;
  readonly body: unknown;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly event: ApiEvent;
}

export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The caller of each in-flight event, set by the caller middleware (middy hands the handler only the event). */
const callers = new WeakMap<ApiEvent, Caller>();

function bodyBytes(event: ApiEvent): number {
  if (event.body === undefined) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body, 'utf8');
}

function requestGuard(route: RouteSpec): MiddlewareObj<ApiEvent> {
  return {
    before: async (request) => {
      const event = request.event;
      if (event.requestContext?.http?.method !== undefined && event.requestContext.http.method !== route.method) {
        throw new ApiError(
          ApiErrorCode.MethodNotAllowed,
          405,
          `${event.requestContext.http.method} is not allowed on ${route.path}`,
          [{ field: 'method', rule: 'method', message: `only ${route.method} is allowed` }],
          { allow: route.method },
        );
      }
      const size = bodyBytes(event);
      if (size > MAX_BODY_BYTES) {
        throw new ApiError(ApiErrorCode.PayloadTooLarge, 413, `the body has ${size} bytes, at most ${MAX_BODY_BYTES}`, [
          { field: 'body', rule: 'max-size', message: `must have at most ${MAX_BODY_BYTES} bytes` },
        ]);
      }
      const present = event.body !== undefined && event.body !== '';
      if (route.body === 'none' && present) {
        throw invalidRequest([
          { field: 'body', rule: 'absent', message: `${route.method} ${route.path} takes no body` },
        ]);
      }
      if (route.body === 'required' && !present) {
        throw invalidRequest([{ field: 'body', rule: 'required', message: 'a JSON object is required' }]);
      }
      if (!present) delete event.body;
    },
  };
}

/** The JSON parser, only when there is a body (renew takes an optional one; GET and DELETE none). */
function jsonBody(): MiddlewareObj<ApiEvent> {
  const parser = httpJsonBodyParser();
  return {
    before: async (request) => {
      if (request.event.body !== undefined) await parser.before?.(request as never);
    },
  };
}

function requestOf(event: ApiEvent): ApiRequest {
  const caller = callers.get(event);
  if (caller === undefined) throw new Error('api: the caller middleware did not run');
  return {
    caller,
    body: event.body,
    path: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    event,
  };
}

function routeCheck(route: RouteSpec): MiddlewareObj<ApiEvent> {
  return {
    before: async (request) => {
      route.check?.(requestOf(request.event));
    },
  };
}

function callerMiddleware(deps: ApiDependencies): MiddlewareObj<ApiEvent> {
  return {
    before: async (request) => {
      const caller = deps.tenants.callerOf(request.event);
      callers.set(request.event, caller);
      deps.logger.appendKeys({ tenant: caller.tenant, principal: caller.principal });
    },
  };
}

/**
 * `ApiRequests` (count) per route and status class; placed outside the error handler, so its `onError` runs after
 * the problem answer is set and counts refused requests too.
 */
function countRequests(deps: ApiDependencies, route: RouteSpec): MiddlewareObj<ApiEvent, APIGatewayProxyResultV2> {
  const count = (response: APIGatewayProxyResultV2 | null | undefined) => {
    const status = typeof response === 'object' && response !== null ? (response.statusCode ?? 500) : 500;
    deps.metrics.addDimensions({
      route: `${route.method} ${route.path}`,
      statusClass: `${Math.floor(status / 100)}xx`,
    });
    deps.metrics.addMetric('ApiRequests', MetricUnit.Count, 1);
  };
  return { after: async (request) => count(request.response), onError: async (request) => count(request.response) };
}

/** Builds handlers for routes over the shared stack. */
export function createRouteFactory(deps: ApiDependencies) {
  return (route: RouteSpec, run: (request: ApiRequest) => Promise<ApiResult>): ApiHandler => {
    const core = async (event: ApiEvent): Promise<APIGatewayProxyResultV2> => {
      const result = await run(requestOf(event));
      return {
        statusCode: result.status,
        headers: { 'content-type': 'application/json', ...result.headers },
        body: JSON.stringify(result.body),
      };
    };
    const handler = middy<ApiEvent, APIGatewayProxyResultV2>()
      .use(injectLambdaContext(deps.logger, { resetKeys: true }))
      .use(logMetrics(deps.metrics))
      .use(countRequests(deps, route))
      .use(problemErrorHandler(deps.logger))
      .use(requestGuard(route))
      .use(jsonBody())
      .use(callerMiddleware(deps))
      .use(routeCheck(route));
    // Idempotency-Key on the routes that write (DELETE is idempotent by itself: a second request changes nothing).
    if (route.method === 'POST' || route.method === 'PATCH') handler.use(idempotencyMiddleware(deps.idempotency));
    return handler.handler(core) as unknown as ApiHandler;
  };
}
