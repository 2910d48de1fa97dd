/**
 * A scripted ACME server for failure paths pebble cannot produce on demand: `rateLimited` with Retry-After,
 * `alreadyReplaced`, a 5xx answer, orders that send Retry-After while processing (pebble never does), and more consecutive `badNonce` rejections than acme-client retries by itself
 * (pebble rejects nonces at random, so it cannot prove the bound). It speaks just enough RFC 8555 for account
 * registration and newOrder; JWS signatures are decoded but not verified. Everything else is tested on pebble.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SignedRequest {
  readonly path: string;
  readonly nonce: string | undefined;
  readonly payload: Record<string, unknown> | undefined;
}

export interface AcmeStubOptions {
  /** Answer `badNonce` to the first N signed requests. */
  readonly rejectNonces?: number;
  /** newOrder answers by call number (0-based); a missing entry means "201 with a pending order". */
  readonly newOrder?: (payload: Record<string, unknown>, call: number) => StubAnswer | undefined;
  /** Answers to POST-as-GET of the order, by poll number (0-based). */
  readonly orderPoll?: (call: number, orderUrl: string) => StubAnswer;
}

export interface AcmeStub {
  readonly directoryUrl: string;
  /** Every signed (POST) request, in order. */
  readonly signed: SignedRequest[];
  close(): Promise<void>;
}

export async function startAcmeStub(options: AcmeStubOptions = {}): Promise<AcmeStub> {
  const signed: SignedRequest[] = [];
  let base = '';
  let nonceCounter = 0;
  let rejected = 0;
  let orderCalls = 0;
  let registered = false;
  let orderPolls = 0;
  const nextNonce = (): string => `nonce-${++nonceCounter}`;

  const send = (res: ServerResponse, answer: StubAnswer): void => {
    const problem = answer.status >= 400;
    res.writeHead(answer.status, {
      'content-type': problem ? 'application/problem+json' : 'application/json',
      'replay-nonce': nextNonce(),
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  };

  const pendingOrder = (identifiers: unknown): StubAnswer => ({
    status: 201,
    headers: { location: `${base}/order/1` },
    body: { status: 'pending', identifiers, authorizations: [`${base}/authz/1`], finalize: `${base}/finalize/1` },
  });

  const handleSigned = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const jws = JSON.parse(Buffer.concat(chunks).toString()) as { protected: string; payload: string };
    const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString()) as { nonce?: string };
    const payload: Record<string, unknown> | undefined =
      jws.payload === '' ? undefined : JSON.parse(Buffer.from(jws.payload, 'base64url').toString());
    signed.push({ path, nonce: header.nonce, payload });
    if (rejected < (options.rejectNonces ?? 0)) {
      rejected++;
      send(res, {
        status: 400,
        body: { type: 'urn:ietf:params:acme:error:badNonce', detail: 'JWS has an invalid anti-replay nonce' },
      });
      return;
    }
    if (path === '/account' && payload?.onlyReturnExisting === true && !registered) {
      send(res, {
        status: 400,
        body: { type: 'urn:ietf:params:acme:error:accountDoesNotExist', detail: 'no account' },
      });
    } else if (path === '/account') {
      const status = registered ? 200 : 201;
      registered = true;
      send(res, { status, headers: { location: `${base}/account/1` }, body: { status: 'valid' } });
    } else if (path === '/account/1') {
      send(res, { status: 200, body: { status: 'valid' } });
    } else if (path === '/order/1' && options.orderPoll !== undefined) {
      send(res, options.orderPoll(orderPolls++, `${base}/order/1`));
    } else if (path === '/new-order') {
      const call = orderCalls++;
      send(res, options.newOrder?.(payload ?? {}, call) ?? pendingOrder(payload?.identifiers));
    } else {
      send(res, { status: 404, body: { type: 'urn:ietf:params:acme:error:malformed', detail: `${path} not served` } });
    }
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/directory') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          newNonce: `${base}/nonce`,
          newAccount: `${base}/account`,
          newOrder: `${base}/new-order`,
          revokeCert: `${base}/revoke`,
          keyChange: `${base}/key-change`,
          meta: {},
        }),
      );
    } else if (path === '/nonce') {
      res.writeHead(200, { 'replay-nonce': nextNonce(), 'cache-control': 'no-store' });
      res.end();
    } else if (req.method === 'POST') {
      handleSigned(req, res, path).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    directoryUrl: `${base}/directory`,
    signed,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
