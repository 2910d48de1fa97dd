/**
 * HTTP-01 reachability: does anything answer `GET http://<name>:<port>/.well-known/acme-challenge/<random>` the way
 * the CA's validator will ask it (the name's own address from DNS, `Host: <name>`)? Any HTTP answer counts — a 404
 * for a token nobody published is what a healthy responder says; a 5xx or a redirect to a non-HTTP(S) place is a
 * warning; no connection at all is a failure.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';

export interface HttpProbeOutcome {
  readonly url: string;
  readonly address: string;
  readonly status?: number;
  readonly location?: string;
  readonly error?: string;
}

export type HttpGet = (target: {
  address: string;
  port: number;
  hostHeader: string;
  path: string;
  timeoutMs: number;
}) => Promise<{ status: number; location?: string }>;

/** One GET with the `Host` header of the name, connecting to `address` (DNS was asked already). */
export const httpGet: HttpGet = ({ address, port, hostHeader, path, timeoutMs }) =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: address, port, path, method: 'GET', headers: { host: hostHeader }, timeout: timeoutMs, agent: false },
      (res) => {
        res.resume(); // the body does not matter; drain it so the socket closes
        resolve({
          status: res.statusCode ?? 0,
          ...(typeof res.headers.location === 'string' ? { location: res.headers.location } : {}),
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    req.end();
  });

/** A token-shaped random path segment (43 base64url characters, like a real token). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function probeHttp01(
  name: string,
  address: string,
  port: number,
  options: { readonly get?: HttpGet; readonly timeoutMs?: number; readonly token?: string } = {},
): Promise<HttpProbeOutcome> {
  const path = `/.well-known/acme-challenge/${options.token ?? randomToken()}`;
  const hostHeader = port === 80 ? name : `${name}:${port}`;
  const url = `http://${hostHeader}${path}`;
  try {
    const answer = await (options.get ?? httpGet)({
      address,
      port,
      hostHeader,
      path,
      timeoutMs: options.timeoutMs ?? 5000,
    });
    return {
      url,
      address,
      status: answer.status,
      ...(answer.location === undefined ? {} : { location: answer.location }),
    };
  } catch (error) {
    return { url, address, error: error instanceof Error ? error.message : String(error) };
  }
}
