/**
 * The whole certificate chain a TLS server presents, for `inspect host:port`. The monitor's `EndpointProber`
 * (@portcullis/probe) reports only the leaf's facts — all drift needs — so the chain is read here with one more
 * handshake: same SNI rule (`serverNameFor`), same "see what is served, trusted or not" stance
 * (`rejectUnauthorized: false`; nothing is sent and nothing is trusted because of it).
 */
import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { serverNameFor } from '@portcullis/probe';
import { OpsError, OpsErrorCode } from './errors.js';

export interface PresentedChain {
  /** Leaf first, then what the server sent after it (a root only if the server sends one). */
  readonly certificates: readonly X509Certificate[];
  readonly protocol: string;
  readonly cipher: string;
  readonly serverName?: string;
}

/** Walks `issuerCertificate` links of a detailed peer certificate; Node closes a self-signed loop on itself. */
function chainOf(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  while (current?.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

export function readPresentedChain(endpoint: {
  readonly host: string;
  readonly port: number;
  readonly serverName?: string;
  readonly timeoutMs?: number;
}): Promise<PresentedChain> {
  const host = endpoint.host.startsWith('[') ? endpoint.host.slice(1, -1) : endpoint.host;
  const servername = serverNameFor(endpoint.host, endpoint.serverName);
  const where = `tls: ${endpoint.host}:${endpoint.port}${servername === undefined ? '' : ` (SNI ${servername})`}`;
  const timeoutMs = endpoint.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    let socket: TLSSocket | undefined;
    const timer = setTimeout(() => fail(`no TLS handshake within ${timeoutMs} ms`), timeoutMs);
    function fail(detail: string, cause?: unknown): void {
      clearTimeout(timer);
      socket?.destroy();
      reject(new OpsError(OpsErrorCode.HandshakeFailed, `${where}: ${detail}`, { retryable: true, cause }));
    }
    socket = connect({
      host,
      port: endpoint.port,
      ...(servername === undefined ? {} : { servername }),
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const tls = socket as TLSSocket;
      const certificates = chainOf(tls.getPeerCertificate(true));
      const cipher = tls.getCipher();
      const protocol = tls.getProtocol() ?? '?';
      tls.destroy();
      if (certificates.length === 0) {
        reject(new OpsError(OpsErrorCode.HandshakeFailed, `${where}: the server presented no certificate`));
        return;
      }
      resolve({
        certificates,
        protocol,
        cipher: cipher.standardName ?? cipher.name,
        ...(servername === undefined ? {} : { serverName: servername }),
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message, error));
  });
}
