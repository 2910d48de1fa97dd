/**
 * The TLS prober against real Node TLS servers on 127.0.0.1 with certificates generated at test time: SNI picks
 * the certificate, an IP literal sends no SNI (the server's default certificate), an expired self-signed
 * certificate is still read (the drift check must see what is served), and the failures a monitor meets — a port
 * that accepts and never answers, a closed port, a server that does not speak TLS — become ProbeErrors naming
 * host:port.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { ValidationError } from '@portcullis/core';
import { issueTestCertificate } from '@portcullis/core/testing';
import { ProbeError, ProbeErrorCode, TlsEndpointProber } from '@portcullis/probe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface ServedCertificate {
  readonly cert: string;
  readonly key: string;
}

async function certificate(options: {
  names: string[];
  serial: string;
  notAfter: Date;
  rsa?: boolean;
}): Promise<ServedCertificate> {
  const algorithm = options.rsa
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }
    : { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await issueTestCertificate({
    names: options.names,
    serial: options.serial,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: options.notAfter,
    keys,
    ...(options.rsa ? { signingAlgorithm: algorithm } : {}),
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return { cert, key };
}

function listen(server: TlsServer | TcpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

function close(server: TlsServer | TcpServer | undefined): Promise<void> {
  return new Promise((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
}

const inAMonth = new Date(Date.now() + 30 * 86_400_000);
const servers: (TlsServer | TcpServer)[] = [];
let sniPort: number;
let expiredPort: number;
let silentPort: number;
let plainPort: number;
let closedPort: number;
const openSockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  const fallback = await certificate({ names: ['default.example.test'], serial: '0d0d0d01', notAfter: inAMonth });
  const alpha = await certificate({
    names: ['alpha.example.test', 'www.alpha.example.test'],
    serial: '00a1a1a1a1a1a1a1',
    notAfter: inAMonth,
  });
  const beta = await certificate({ names: ['beta.example.test'], serial: 'b2b2b2b2', notAfter: inAMonth, rsa: true });
  const contexts = new Map([
    ['alpha.example.test', createSecureContext(alpha)],
    ['beta.example.test', createSecureContext(beta)],
  ]);
  const sni = createTlsServer({ ...fallback, SNICallback: (name, done) => done(null, contexts.get(name)) });
  const expired = createTlsServer(
    await certificate({ names: ['old.example.test'], serial: '01d', notAfter: new Date(Date.now() - 86_400_000) }),
  );
  // Accepts the connection and then says nothing: a hung server.
  const silent = createTcpServer(() => undefined);
  // Answers in plain HTTP.
  const plain = createTcpServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  const closed = createTcpServer();
  servers.push(sni, expired, silent, plain);
  // Server-side sockets are closed by hand in afterAll: close() alone waits for every open connection.
  for (const server of servers) {
    server.on('connection', (socket) => openSockets.add(socket));
  }
  const ports = await Promise.all([sni, expired, silent, plain, closed].map(listen));
  [sniPort, expiredPort, silentPort, plainPort, closedPort] = ports as [number, number, number, number, number];
  await close(closed);
});

afterAll(async () => {
  for (const socket of openSockets) socket.destroy();
  await Promise.all(servers.map(close));
});

const prober = new TlsEndpointProber();

describe('TlsEndpointProber', () => {
  it.each([
    [
      'the SNI name picks the first certificate',
      { host: 'localhost', serverName: 'alpha.example.test' },
      {
        serial: 'a1a1a1a1a1a1a1',
        names: ['alpha.example.test', 'www.alpha.example.test'],
        issuer: 'alpha.example.test',
      },
    ],
    [
      'another SNI name picks the second (RSA) certificate',
      { host: 'localhost', serverName: 'beta.example.test' },
      { serial: 'b2b2b2b2', names: ['beta.example.test'], issuer: 'beta.example.test' },
    ],
    [
      'an IP literal sends no SNI and gets the default certificate',
      { host: '127.0.0.1' },
      { serial: 'd0d0d01', names: ['default.example.test'], issuer: 'default.example.test' },
    ],
    [
      'an unknown SNI name gets the default certificate',
      { host: '127.0.0.1', serverName: 'nobody.example.test' },
      { serial: 'd0d0d01', names: ['default.example.test'], issuer: 'default.example.test' },
    ],
  ])('%s', async (_name, endpoint, expected) => {
    const result = await prober.probe({ ...endpoint, port: sniPort });
    expect(result).toEqual({ ...expected, notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    expect(Date.parse(result.notAfter)).toBeGreaterThan(Date.now());
  });

  it('reads an expired self-signed certificate instead of refusing it', async () => {
    const result = await prober.probe({ host: '127.0.0.1', port: expiredPort, serverName: 'old.example.test' });
    expect(result.serial).toBe('1d');
    expect(Date.parse(result.notAfter)).toBeLessThan(Date.now());
  });

  it.each([
    [
      'a server that accepts and never answers times out',
      () => ({ host: '127.0.0.1', port: silentPort, timeoutMs: 300 }),
      ProbeErrorCode.Timeout,
      true,
      () => `tls: 127.0.0.1:${silentPort}: no TLS handshake within 300 ms`,
    ],
    [
      'a closed port fails to connect',
      () => ({ host: '127.0.0.1', port: closedPort }),
      ProbeErrorCode.ConnectFailed,
      true,
      () => `tls: 127.0.0.1:${closedPort}: connection failed: ECONNREFUSED`,
    ],
    [
      'a server speaking plain HTTP fails the handshake',
      () => ({ host: 'localhost', port: plainPort }),
      ProbeErrorCode.HandshakeFailed,
      false,
      () => `tls: localhost:${plainPort} (SNI localhost): TLS handshake failed:`,
    ],
  ])('%s', async (_name, endpoint, code, retryable, message) => {
    const failure = await prober.probe(endpoint()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProbeError);
    expect(failure).toMatchObject({ code, retryable });
    expect((failure as Error).message.startsWith(message())).toBe(true);
  });

  it.each([
    ['a port out of range', { host: '127.0.0.1', port: 70_000 }, 'port'],
    ['an empty host', { host: '', port: 443 }, 'host'],
    ['a timeout of zero', { host: '127.0.0.1', port: 443, timeoutMs: 0 }, 'timeoutMs'],
  ])('refuses %s before connecting', (_name, endpoint, field) => {
    expect(() => prober.probe(endpoint)).toThrow(ValidationError);
    expect(() => prober.probe(endpoint)).toThrow(expect.objectContaining({ field }));
  });
});
