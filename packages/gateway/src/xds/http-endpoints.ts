/**
 * The controller's HTTP side: `/metrics` (Prometheus text), `/healthz` (the process serves requests) and `/readyz`
 * (the first full sync is done, so proxies connecting now get a complete configuration).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XdsBindError } from './errors.js';
import type { XdsMetrics } from './metrics.js';
import type { SnapshotCache } from './snapshot-cache.js';

/** Paths served; anything else is 404. */
export const HttpPath = {
  /** Prometheus exposition of the xDS metrics. */
  Metrics: '/metrics',
  /** Liveness: 200 while the event loop answers. */
  Healthz: '/healthz',
  /** Readiness: 200 after the first snapshot, 503 before. */
  Readyz: '/readyz',
} as const;
export type HttpPath = (typeof HttpPath)[keyof typeof HttpPath];

export interface HttpEndpointsOptions {
  readonly host: string;
  readonly port: number;
  readonly cache: SnapshotCache;
  readonly metrics: XdsMetrics;
}

export async function startHttpEndpoints(
  options: HttpEndpointsOptions,
): Promise<{ readonly port: number; close(): Promise<void> }> {
  const { cache, metrics } = options;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const reply = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      response.writeHead(code, { 'content-type': type });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'method not allowed\n');
    switch (path) {
      case HttpPath.Healthz:
        return reply(200, 'ok\n');
      case HttpPath.Readyz:
        return cache.ready ? reply(200, 'ready\n') : reply(503, 'waiting for the first full sync\n');
      case HttpPath.Metrics:
        metrics.registry.metrics().then(
          (text) => reply(200, text, metrics.registry.contentType),
          (error: unknown) => reply(500, `metrics: ${error instanceof Error ? error.message : String(error)}\n`),
        );
        return;
      default:
        return reply(404, 'not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new XdsBindError('http', `${options.host}:${options.port}`, error)));
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
