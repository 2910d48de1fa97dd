/**
 * A TLS endpoint for runbook scenarios that always serves the certificate's CURRENT material from the certificate
 * store (read at each handshake), as a gateway rotating by SDS would: healthy scenarios show no drift.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { CertificateStore } from '@portcullis/core';

export interface LiveEndpoint {
  readonly port: number;
  /** Serve this certificate id from now on. */
  serve(certificateId: string): void;
  /** Re-reads the current material as the default context, for clients that send no SNI (IP literals). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export async function startLiveEndpoint(store: CertificateStore): Promise<LiveEndpoint> {
  let certificateId: string | undefined;
  const contextFor = async (): Promise<tls.SecureContext | undefined> => {
    if (certificateId === undefined) return undefined;
    const material = await store.getCurrent(certificateId);
    return material === undefined
      ? undefined
      : tls.createSecureContext({ cert: material.chainPem, key: material.key.reveal() });
  };
  const server = tls.createServer({
    SNICallback: (_name, callback) => {
      contextFor().then(
        (context) => callback(context === undefined ? new Error('nothing to serve yet') : null, context),
        (error: Error) => callback(error),
      );
    },
  });
  server.on('tlsClientError', () => {});
  server.on('secureConnection', (socket) => socket.end('portcullis runbook endpoint\n'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    serve: (id) => {
      certificateId = id;
    },
    refresh: async () => {
      if (certificateId === undefined) return;
      const material = await store.getCurrent(certificateId);
      if (material !== undefined) server.setSecureContext({ cert: material.chainPem, key: material.key.reveal() });
    },
    close: async () => {
      server.close();
      await once(server, 'close').catch(() => {});
    },
  };
}
