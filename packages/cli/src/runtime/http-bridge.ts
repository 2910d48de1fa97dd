/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0, IAM auth): a loopback HTTP server that turns
 * each request into the event API Gateway would hand the API Lambda — with the IAM request context of ONE
 * configured local principal, since nothing signs requests locally — and turns the handler's result back into an
 * HTTP response. Only what the handler reads is filled in; the shape follows `APIGatewayProxyEventV2WithIAMAuthorizer`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiEvent, ApiHandler } from '@portcullis/functions';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';

/** Bodies beyond this are refused before the handler (API Gateway's own payload limit is 10 MB). */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface HttpBridge {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new RangeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

/** The API Gateway v2 event for one request, as IAM auth delivers it for `principal` (an IAM ARN). */
export function toApiGatewayEvent(
  request: { method: string; url: string; headers: Readonly<Record<string, string>>; body?: string },
  principal: string,
): ApiEvent {
  const url = new URL(request.url, 'http://localhost');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: request.headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: principal.split(':')[4] ?? '000000000000',
      apiId: 'local',
      authorizer: {
        iam: {
          accessKey: 'LOCAL',
          accountId: principal.split(':')[4] ?? '',
          callerId: 'local',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: principal,
          userId: 'local',
        },
      },
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
  };
  return event as unknown as ApiEvent;
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Serves `handler` on 127.0.0.1 (`port` 0: any free port). */
export async function startHttpBridge(handler: ApiHandler, principal: string, port = 0): Promise<HttpBridge> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        const event = toApiGatewayEvent(
          {
            method: request.method ?? 'GET',
            url: request.url ?? '/',
            headers: flatHeaders(request),
            ...(body === undefined ? {} : { body }),
          },
          principal,
        );
        const result = (await handler(
          event,
          localLambdaContext('portcullis-api'),
        )) as APIGatewayProxyStructuredResultV2;
        const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
        response.writeHead(result.statusCode ?? 200, headers);
        response.end(result.isBase64Encoded === true ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
      } catch (error) {
        // What API Gateway answers when the integration fails: no details of the failure leak to the caller.
        const tooLarge = error instanceof RangeError;
        response.writeHead(tooLarge ? 413 : 500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: tooLarge ? 'Request Entity Too Large' : 'Internal Server Error' }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
