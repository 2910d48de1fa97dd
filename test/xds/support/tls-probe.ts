/** TLS client side of the SDS tests: handshake with a loopback TLS server, read the served serial, talk on it. */
import { connect, type TLSSocket } from 'node:tls';

export interface ProbeOptions {
  /** SNI to send; also the name checked when `ca` is given. */
  readonly servername?: string;
  /** Trust these roots and verify the chain and name; absent = accept any certificate (self-signed tests). */
  readonly ca?: readonly string[];
}

/** An open TLS connection and the serial of the certificate it was handshaken with. */
export interface OpenConnection {
  readonly socket: TLSSocket;
  /** Upper-case hex, as Node's X509Certificate and getPeerCertificate report it. */
  readonly serialNumber: string;
}

export function openTls(port: number, options: ProbeOptions = {}): Promise<OpenConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ...(options.servername !== undefined && { servername: options.servername }),
      ...(options.ca === undefined ? { rejectUnauthorized: false } : { ca: [...options.ca] }),
    });
    socket.setTimeout(15_000, () => socket.destroy(new Error(`tls probe: 127.0.0.1:${port} timed out`)));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      resolve({ socket, serialNumber: socket.getPeerCertificate().serialNumber });
    });
  });
}

/** Handshakes, reads the serial and closes. */
export async function servedSerial(port: number, options: ProbeOptions = {}): Promise<string> {
  const { socket, serialNumber } = await openTls(port, options);
  socket.end();
  return serialNumber;
}

/** Sends `text` on an open connection and resolves with the echo (the SDS consumer's TLS server echoes). */
export function roundTrip(socket: TLSSocket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.length >= text.length) {
        socket.off('data', onData);
        socket.off('error', reject);
        resolve(received);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(text);
  });
}
