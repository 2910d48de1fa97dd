/**
 * One entry point for every route, for a single `$default` integration and the local runtime (HTTP → API Gateway v2
 * events): matches `rawPath`, fills `routeKey` and `pathParameters` as API Gateway would, and answers unknown
 * paths with 404 and known paths with a wrong method with 405 (+ `allow`), as problem+json.
 */
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ApiErrorCode } from './errors.js';
import type { ApiHandlers } from './handlers.js';
import { PROBLEM_TYPE_BASE, problemResponse } from './problem.js';
import type { ApiEvent, ApiHandler } from './stack.js';

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly handler: keyof ApiHandlers;
}

function routeOf(method: string, template: string, handler: keyof ApiHandlers): Route {
  const pattern = new RegExp(`^${template.replace('{id}', '(?<id>[^/]+)')}$`);
  return { method, template, pattern, handler };
}

/** Every route of openapi.yaml. */
export const API_ROUTES: readonly Route[] = [
  routeOf('POST', '/certificates', 'createCertificate'),
  routeOf('GET', '/certificates', 'listCertificates'),
  routeOf('GET', '/certificates/{id}', 'getCertificate'),
  routeOf('PATCH', '/certificates/{id}', 'updateCertificate'),
  routeOf('DELETE', '/certificates/{id}', 'deleteCertificate'),
  routeOf('POST', '/certificates/{id}/renew', 'renewCertificate'),
  routeOf('POST', '/certificates/{id}/revoke', 'revokeCertificate'),
  routeOf('GET', '/certificates/{id}/events', 'listCertificateEvents'),
  routeOf('POST', '/certificates/{id}/restore', 'restoreCertificate'),
  routeOf('GET', '/certificates/{id}/versions', 'listCertificateVersions'),
  routeOf('POST', '/preflight', 'preflight'),
  routeOf('GET', '/alerts', 'listAlerts'),
];

export function createApiRouter(handlers: ApiHandlers): ApiHandler {
  return async (event: ApiEvent, context: Context): Promise<APIGatewayProxyResultV2> => {
    const method = event.requestContext?.http?.method ?? '';
    const path = event.rawPath ?? '';
    const matching = API_ROUTES.map((route) => ({ route, match: route.pattern.exec(path) })).filter(
      (candidate) => candidate.match !== null,
    );
    const chosen = matching.find(({ route }) => route.method === method);
    if (chosen === undefined) {
      const allowed = matching.map(({ route }) => route.method);
      const status = allowed.length === 0 ? 404 : 405;
      const message = status === 404 ? `no route ${path}` : `${method} is not allowed on ${path}`;
      const code = status === 404 ? ApiErrorCode.NotFound : ApiErrorCode.MethodNotAllowed;
      return problemResponse(
        {
          type: `${PROBLEM_TYPE_BASE}${code === ApiErrorCode.NotFound ? 'not-found' : 'method-not-allowed'}`,
          title: status === 404 ? 'Not Found' : 'Method Not Allowed',
          status,
          detail: message,
          errors: [
            status === 404
              ? { field: 'path', rule: 'route', message: `no route matches ${path}` }
              : { field: 'method', rule: 'method', message: `allowed: ${allowed.join(', ')}` },
          ],
        },
        status === 405 ? { allow: allowed.join(', ') } : {},
      );
    }
    const id = chosen.match?.groups?.id;
    const routed: ApiEvent = {
      ...event,
      routeKey: `${chosen.route.method} ${chosen.route.template}`,
      ...(id === undefined ? {} : { pathParameters: { ...event.pathParameters, id: safeDecode(id) } }),
    };
    return handlers[chosen.route.handler](routed, context);
  };
}

/** API Gateway passes path parameters decoded; a malformed escape stays as sent (and fails the id pattern). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
