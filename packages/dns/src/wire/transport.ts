/**
 * One request/response exchange with one DNS server over UDP or TCP (RFC 1035 §4.2, RFC 7766). Responses whose ID
 * does not match, or that are not responses, are ignored (not errors): a late answer to an earlier request or a
 * spoofed datagram must not end the wait. Time-outs and unreachable servers become retryable `DnsTransportError`s.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6, Socket as TcpSocket } from 'node:net';
import { DnsErrorCode, DnsTransportError, formatServer } from '../errors.js';
import { HeaderFlag } from './packet.js';

export interface DnsServer {
  readonly host: string;
  readonly port: number;
}

/** RFC 1035 §4.2.1: without EDNS a UDP message is at most 512 bytes; larger requests go over TCP. */
export const MAX_UDP_REQUEST = 512;

/** Default time-out of one exchange. Loopback answers in well under a millisecond; real servers in tens. */
export const DEFAULT_TIMEOUT_MS = 3000;

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function transportError(server: DnsServer, transport: string, error: NodeJS.ErrnoException): DnsTransportError {
  const where = formatServer(server);
  if (error.code !== undefined && UNREACHABLE_CODES.has(error.code)) {
    return new DnsTransportError(
      DnsErrorCode.Unreachable,
      where,
      `dns: ${where} (${transport}) unreachable: ${error.code}`,
      error,
    );
  }
  return new DnsTransportError(
    DnsErrorCode.Unreachable,
    where,
    `dns: ${where} (${transport}): ${error.message}`,
    error,
  );
}

function timeoutError(server: DnsServer, transport: string, timeoutMs: number): DnsTransportError {
  const where = formatServer(server);
  return new DnsTransportError(
    DnsErrorCode.Timeout,
    where,
    `dns: ${where} (${transport}) did not answer within ${timeoutMs} ms`,
  );
}

function isAnswerTo(response: Buffer, id: number): boolean {
  return response.length >= 12 && response.readUInt16BE(0) === id && (response.readUInt16BE(2) & HeaderFlag.QR) !== 0;
}

/**
 * UDP exchange on a connected socket (so the kernel reports ICMP port-unreachable as ECONNREFUSED at once, instead
 * of us waiting for the time-out). The request is sent again once at half the time-out: a lost datagram then costs
 * half a time-out, not a failed update. Re-sending is safe for queries and for our updates (adding a present value
 * and deleting an absent one are no-ops).
 */
export function exchangeUdp(server: DnsServer, request: Buffer, timeoutMs: number): Promise<Buffer> {
  const id = request.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const socket: UdpSocket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    let settled = false;
    const finish = (error: Error | undefined, response?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(resend);
      clearTimeout(deadline);
      socket.close();
      if (error !== undefined) reject(error);
      else resolve(response as Buffer);
    };
    const send = (): void => socket.send(request, (error) => error && finish(transportError(server, 'udp', error)));
    const resend = setTimeout(send, timeoutMs / 2);
    const deadline = setTimeout(() => finish(timeoutError(server, 'udp', timeoutMs)), timeoutMs);
    socket.on('error', (error) => finish(transportError(server, 'udp', error)));
    socket.on('message', (message) => {
      if (isAnswerTo(message, id)) finish(undefined, message);
    });
    socket.connect(server.port, server.host, send);
  });
}

/** TCP exchange: 2-byte length prefix each way (RFC 1035 §4.2.2); one request per connection. */
export function exchangeTcp(server: DnsServer, request: Buffer, timeoutMs: number): Promise<Buffer> {
  const id = request.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const socket = new TcpSocket();
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | undefined, response?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(response as Buffer);
    };
    const deadline = setTimeout(() => finish(timeoutError(server, 'tcp', timeoutMs)), timeoutMs);
    socket.on('error', (error) => finish(transportError(server, 'tcp', error)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2) {
        const length = received.readUInt16BE(0);
        if (received.length < 2 + length) return;
        const message = received.subarray(2, 2 + length);
        received = received.subarray(2 + length);
        if (isAnswerTo(message, id)) {
          finish(undefined, Buffer.from(message));
          return;
        }
      }
    });
    socket.on('close', () =>
      finish(
        transportError(
          server,
          'tcp',
          Object.assign(new Error('connection closed before an answer'), { code: 'ECONNRESET' }),
        ),
      ),
    );
    socket.connect(server.port, server.host, () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(request.length, 0);
      socket.write(Buffer.concat([prefix, request]));
    });
  });
}

/** Whether the response has the TC (truncated) bit set. */
export function isTruncated(response: Buffer): boolean {
  return (response.readUInt16BE(2) & HeaderFlag.TC) !== 0;
}
