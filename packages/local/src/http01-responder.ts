import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Http01TokenStore } from '@portcullis/core';

/** `Http01TokenStore` in memory: for tests and the local runtime, where the responder runs in the same process. */
export class MemoryHttp01TokenStore implements Http01TokenStore {
  readonly #tokens = new Map<string, string>();

  async put(token: string, keyAuthorization: string): Promise<void> {
    this.#tokens.set(token, keyAuthorization);
  }

  async get(token: string): Promise<string | undefined> {
    return this.#tokens.get(token);
  }

  async delete(token: string): Promise<void> {
    this.#tokens.delete(token);
  }
}

export interface Http01ResponderOptions {
  readonly host: string;
  /** Port to listen on; 0 picks a free one (see `port` of the result). */
  readonly port: number;
  readonly store: Http01TokenStore;
}

export interface Http01Responder {
  readonly host: string;
  readonly port: number;
  /** Every request answered, in order, so tests can see what the validator asked for (pebble sends 3 per token). */
  readonly requests: readonly { readonly host: string | undefined; readonly path: string; readonly status: number }[];
  close(): Promise<void>;
}

const PREFIX = '/.well-known/acme-challenge/';
/** base64url characters only (RFC 8555 §8.3: the token is base64url); anything else cannot be one of ours. */
const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * Serves `GET /.well-known/acme-challenge/<token>` with the key authorization from the store as text/plain, 404
 * for everything else. The validator sends `Host: <name>:<port>`; the answer does not depend on the host, since one
 * responder serves every name that resolves to it.
 */
export async function startHttp01Responder(options: Http01ResponderOptions): Promise<Http01Responder> {
  const requests: { host: string | undefined; path: string; status: number }[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://responder').pathname;
    const token = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : '';
    const keyAuthorization =
      (req.method === 'GET' || req.method === 'HEAD') && TOKEN.test(token) ? await options.store.get(token) : undefined;
    const status = keyAuthorization === undefined ? 404 : 200;
    requests.push({ host: req.headers.host, path, status });
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(req.method === 'HEAD' ? undefined : (keyAuthorization ?? 'not found\n'));
  };
  const server = createServer((req, res) => {
    answer(req, res).catch(() => {
      // The store failed: a 500 makes the validator report the problem instead of hanging.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('token store error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    requests,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
