/**
 * The monitor's `EndpointProber`: one TLS handshake with `host:port` (SNI = the server name), then the leaf the
 * server presented, and the connection is closed before any application data.
 *
 * `rejectUnauthorized: false` on purpose: the drift check must see what is SERVED — an expired, self-signed,
 * wrongly named or untrusted certificate is exactly what it has to report, and a verifying client would only see
 * an error. Nothing is sent over the connection and nothing trusts the peer: the serial is only compared with the
 * lifecycle's own record. (The handshake still proves the server holds the key of the certificate it shows, so a
 * server cannot pass for ours by replaying our public certificate.)
 */
import { connect, type TLSSocket } from 'node:tls';
import { type EndpointProber, type ProbeResult, ValidationError } from '@portcullis/core';
import { ProbeError, ProbeErrorCode } from './errors.js';
import { probeResultOf, serverNameFor, unbracket } from './peer-certificate.js';

export interface TlsEndpointProberOptions {
  /** Timeout of a probe without its own `timeoutMs` (1..60,000 ms; default 5,000 as the port documents). */
  readonly defaultTimeoutMs?: number;
}

export interface ProbeEndpoint {
  readonly host: string;
  readonly port: number;
  readonly serverName?: string;
  readonly timeoutMs?: number;
}

export class TlsEndpointProber implements EndpointProber {
  readonly #defaultTimeoutMs: number;

  constructor(options: TlsEndpointProberOptions = {}) {
    this.#defaultTimeoutMs = requireTimeout('defaultTimeoutMs', options.defaultTimeoutMs ?? 5_000);
  }

  probe(endpoint: ProbeEndpoint): Promise<ProbeResult> {
    const host = requireHost(endpoint?.host);
    const port = endpoint.port;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new ValidationError('port', 'range', `must be an integer from 1 to 65535, got ${String(port)}`);
    }
    if (endpoint.serverName !== undefined) requireHost(endpoint.serverName, 'serverName');
    const timeoutMs = requireTimeout('timeoutMs', endpoint.timeoutMs ?? this.#defaultTimeoutMs);
    const servername = serverNameFor(host, endpoint.serverName);
    const where = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}${servername === undefined ? '' : ` (SNI ${servername})`}`;

    return new Promise<ProbeResult>((resolve, reject) => {
      let settled = false;
      let socket: TLSSocket | undefined;
      const finish = (outcome: { result: ProbeResult } | { error: ProbeError }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket?.destroy();
        if ('result' in outcome) resolve(outcome.result);
        else reject(outcome.error);
      };
      // One deadline for connect + handshake: a silent firewall and a server that accepts but never answers alike.
      const timer = setTimeout(
        () =>
          finish({
            error: new ProbeError(ProbeErrorCode.Timeout, where, `no TLS handshake within ${timeoutMs} ms`, {
              retryable: true,
            }),
          }),
        timeoutMs,
      );
      socket = connect({
        host: unbracket(host),
        port,
        ...(servername === undefined ? {} : { servername }),
        rejectUnauthorized: false,
      });
      socket.once('secureConnect', () => {
        const leaf = socket?.getPeerX509Certificate();
        if (leaf === undefined) {
          finish({ error: new ProbeError(ProbeErrorCode.NoCertificate, where, 'the server presented no certificate') });
          return;
        }
        try {
          finish({ result: probeResultOf(leaf) });
        } catch (error) {
          finish({
            error: new ProbeError(
              ProbeErrorCode.HandshakeFailed,
              where,
              `unreadable server certificate: ${(error as Error).message}`,
              {
                cause: error,
              },
            ),
          });
        }
      });
      // TCP connected or not tells "nobody there" from "somebody there who does not speak TLS (to us)".
      let connected = false;
      socket.once('connect', () => {
        connected = true;
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        const connectFailed = !connected;
        finish({
          error: connectFailed
            ? new ProbeError(ProbeErrorCode.ConnectFailed, where, `connection failed: ${stableReason(error)}`, {
                retryable: true,
                cause: error,
              })
            : new ProbeError(ProbeErrorCode.HandshakeFailed, where, `TLS handshake failed: ${stableReason(error)}`, {
                cause: error,
              }),
        });
      });
    });
  }
}

/** The error code when there is one (stable across runs), else the message without addresses and ports. */
function stableReason(error: NodeJS.ErrnoException): string {
  return error.code ?? error.message.replace(/\d+\.\d+\.\d+\.\d+(:\d+)?/g, '<address>');
}

function requireHost(value: unknown, field = 'host'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[\s/]/.test(value)) {
    throw new ValidationError(field, 'host', `must be a host name or IP address, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireTimeout(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 60_000) {
    throw new ValidationError(field, 'range', `must be an integer from 1 to 60000 (ms), got ${String(value)}`);
  }
  return value;
}
