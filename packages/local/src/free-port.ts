import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * Free loopback ports: the kernel picks an ephemeral port for a TCP listener, which is closed again at once and
 * handed to a child. Another process can take it in between; the stack retries its start with new ports when a
 * child reports the address in use. DNS needs the same number free for UDP as well, so `udp: true` checks both.
 */
async function reserveTcp(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('net: listener on 127.0.0.1 has no port');
  return address.port;
}

async function isUdpFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: '127.0.0.1', port, exclusive: true }, resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    await new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve(); // never bound: nothing to close
      }
    });
  }
}

/** Returns `count` distinct free TCP ports on 127.0.0.1 (and UDP too when `udp`). */
export async function findFreePorts(count: number, options: { udp?: boolean } = {}): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = await reserveTcp();
    if (ports.has(port)) continue;
    if (options.udp === true && !(await isUdpFree(port))) continue;
    ports.add(port);
  }
  return [...ports];
}
