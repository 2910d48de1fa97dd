import { createSocket } from 'node:dgram';
import { request as httpRequest } from 'node:http';
import { type Agent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import * as dnsPacket from 'dns-packet';

/** Readiness probes and the small HTTP(S) client the stack uses for pebble's and moto's management APIs. */

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One request over http or https (with `agent` for trust); rejects only on transport errors. */
export function fetchText(
  url: string,
  options: { method?: string; agent?: Agent; timeoutMs?: number; body?: string } = {},
): Promise<HttpResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        ...(options.agent === undefined ? {} : { agent: options.agent }),
        timeout: options.timeoutMs ?? 5_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 5_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends one SOA query over UDP and resolves with true when the answer is NOERROR with the zone's SOA. */
export function querySoa(port: number, zone: string, timeoutMs = 300): Promise<boolean> {
  const socket = createSocket('udp4');
  const id = Math.floor(Math.random() * 65_535);
  const query = dnsPacket.encode({
    type: 'query',
    id,
    flags: 0,
    questions: [{ type: 'SOA', class: 'IN', name: zone }],
  });
  return new Promise<boolean>((resolve) => {
    const finish = (ready: boolean): void => {
      clearTimeout(timer);
      socket.close();
      resolve(ready);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(false));
    socket.on('message', (message: Buffer) => {
      try {
        const answer = dnsPacket.decode(message);
        if (answer.id !== id) return;
        finish(((answer.flags ?? 0) & 0x0f) === 0 && (answer.answers ?? []).some((record) => record.type === 'SOA'));
      } catch {
        finish(false);
      }
    });
    socket.send(query, port, '127.0.0.1');
  });
}

/**
 * Polls `probe` until it returns true, the deadline passes, or `exited` resolves (the child died: no point
 * waiting). Resolves with undefined when ready, otherwise with the reason.
 */
export async function waitUntilReady(
  probe: () => Promise<boolean>,
  exited: Promise<string>,
  deadline: number,
): Promise<string | undefined> {
  let exitReason: string | undefined;
  void exited.then((reason) => {
    exitReason = reason;
  });
  let lastError = '';
  while (exitReason === undefined) {
    try {
      if (await probe()) return undefined;
    } catch (error) {
      lastError = `: last probe error: ${(error as Error).message}`;
    }
    if (Date.now() >= deadline) return `not ready before the deadline${lastError}`;
    await sleep(25);
  }
  return `exited before it was ready (${exitReason})`;
}
