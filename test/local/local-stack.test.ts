import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { CreateHostedZoneCommand, ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  type LocalStack,
  LocalStackStartError,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
} from '@portcullis/local';
import * as acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from './process-state.js';

const run = promisify(execFile);

async function dig(stack: LocalStack, name: string, type: string): Promise<string[]> {
  const { stdout } = await run('dig', [
    '+short',
    '+norecurse',
    '-p',
    String(stack.bind.port),
    '@127.0.0.1',
    name,
    type,
  ]);
  return stdout.trim().split('\n').filter(Boolean);
}

async function nsupdate(stack: LocalStack, lines: string[], secret = stack.bind.tsig.secret): Promise<void> {
  const { name, algorithm } = stack.bind.tsig;
  const script = [`server 127.0.0.1 ${stack.bind.port}`, ...lines, 'send', ''].join('\n');
  const child = execFile('nsupdate', ['-y', `${algorithm}:${name}:${secret}`]);
  const done = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`nsupdate exit ${code}: ${stderr}`))));
  });
  child.stdin?.end(script);
  return done;
}

function getStatus(url: string, options: Parameters<typeof httpsGet>[1]): Promise<number> {
  return new Promise((resolve, reject) => {
    httpsGet(url, options, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ pebble: { alternateRoots: 1 } });
});

afterAll(async () => {
  await stack?.stop();
});

describe('bind9', () => {
  it('answers SOA for every configured zone', async () => {
    for (const zone of stack.bind.zones) {
      const [soa] = await dig(stack, zone, 'SOA');
      expect(soa).toMatch(new RegExp(`^ns1\\.${zone.replace('.', '\\.')}\\. hostmaster\\.`));
    }
  });

  it('resolves any name in the zone to 127.0.0.1 through the wildcard', async () => {
    expect(await dig(stack, 'anything.deep.example.test', 'A')).toEqual(['127.0.0.1']);
  });

  it('applies a TSIG-signed TXT update and removes it again', async () => {
    const name = '_acme-challenge.tsig.example.test.';
    await nsupdate(stack, ['zone example.test', `update add ${name} 60 TXT "token-1"`]);
    expect(await dig(stack, name, 'TXT')).toEqual(['"token-1"']);
    await nsupdate(stack, ['zone example.test', `update delete ${name} TXT "token-1"`]);
    expect(await dig(stack, name, 'TXT')).toEqual([]);
  });

  it('refuses an update signed with the wrong secret', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64');
    await expect(
      nsupdate(stack, ['zone example.test', 'update add _acme-challenge.bad.example.test. 60 TXT "x"'], wrong),
    ).rejects.toThrow(/NOTAUTH|BADSIG|tsig verify failure/i);
  });
});

describe('pebble', () => {
  it('serves its directory to clients that use the stack agent, and only to them', async () => {
    expect(await getStatus(stack.pebble.directoryUrl, { agent: stack.httpsAgent })).toBe(200);
    // Trust is per client: a plain request does not know the run's listener CA.
    await expect(getStatus(stack.pebble.directoryUrl, {})).rejects.toThrow(/certificate/i);
  });

  it('hands out one root and one intermediate per chain, each intermediate issued by its root', async () => {
    const roots = (await stack.pebble.roots()).map((pem) => new X509Certificate(pem));
    const intermediates = (await stack.pebble.intermediates()).map((pem) => new X509Certificate(pem));
    expect(roots).toHaveLength(2);
    expect(intermediates).toHaveLength(2);
    for (const [index, root] of roots.entries()) {
      expect(root.ca).toBe(true);
      expect(intermediates[index]?.checkIssued(root)).toBe(true);
    }
  });

  it('issues through HTTP-01 served by the responder, and shows the revocation in certStatus', async () => {
    const store = new MemoryHttp01TokenStore();
    const responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store });
    const previousAgent = acme.axios.defaults.httpsAgent;
    acme.axios.defaults.httpsAgent = stack.httpsAgent;
    try {
      const client = new acme.Client({
        directoryUrl: stack.pebble.directoryUrl,
        accountKey: await acme.crypto.createPrivateEcdsaKey(),
        backoffMin: 20,
        backoffMax: 200,
      });
      await client.createAccount({ termsOfServiceAgreed: true });
      const order = await client.createOrder({ identifiers: [{ type: 'dns', value: 'www.example.test' }] });
      const [authorization] = await client.getAuthorizations(order);
      const challenge = authorization?.challenges.find((candidate) => candidate.type === 'http-01');
      if (authorization === undefined || challenge === undefined) throw new Error('pebble offered no http-01');
      await store.put(challenge.token, await client.getChallengeKeyAuthorization(challenge));
      await client.completeChallenge(challenge);
      await client.waitForValidStatus(authorization);
      const [, csr] = await acme.crypto.createCsr({ altNames: ['www.example.test'] });
      const finalized = await client.finalizeOrder(order, csr);
      const chain = acme.crypto.splitPemChain(await client.getCertificate(finalized));
      await store.delete(challenge.token);

      const validation = responder.requests.filter((request) => request.path.endsWith(challenge.token));
      expect(validation.length).toBeGreaterThan(0);
      expect(validation.every((request) => request.host === `www.example.test:${stack.pebble.httpPort}`)).toBe(true);
      expect(validation.every((request) => request.status === 200)).toBe(true);

      const leaf = new X509Certificate(chain[0] as string);
      expect((await stack.pebble.certStatus(leaf.serialNumber)).status).toBe('Valid');
      await client.revokeCertificate(chain[0] as string, { reason: 4 });
      const revoked = await stack.pebble.certStatus(leaf.serialNumber);
      expect(revoked.status).toBe('Revoked');
      expect(revoked.revocationReason).toBe(4);
    } finally {
      acme.axios.defaults.httpsAgent = previousAgent;
      await responder.close();
    }
  });
});

describe('HTTP-01 responder', () => {
  it('serves a stored key authorization as text/plain and 404 for an unknown token', async () => {
    const store = new MemoryHttp01TokenStore();
    const responder = await startHttp01Responder({ host: '127.0.0.1', port: 0, store });
    try {
      await store.put('tok-1', 'tok-1.thumbprint');
      const fetchToken = (token: string) =>
        new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
          const url = `http://127.0.0.1:${responder.port}/.well-known/acme-challenge/${token}`;
          httpGet(url, { headers: { host: `a.example.test:${responder.port}` } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => {
              body += chunk.toString();
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
          }).on('error', reject);
        });
      expect(await fetchToken('tok-1')).toEqual({ status: 200, type: 'text/plain', body: 'tok-1.thumbprint' });
      expect((await fetchToken('tok-2')).status).toBe(404);
    } finally {
      await responder.close();
    }
  });
});

describe('moto', () => {
  it('forgets every hosted zone on reset', async () => {
    const { moto } = stack;
    if (moto === undefined) throw new Error('moto was not started');
    const route53 = new Route53Client({
      endpoint: moto.endpoint,
      region: moto.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await route53.send(new CreateHostedZoneCommand({ Name: 'reset.test', CallerReference: `ref-${Date.now()}` }));
    expect((await route53.send(new ListHostedZonesCommand({}))).HostedZones).toHaveLength(1);
    await moto.reset();
    expect((await route53.send(new ListHostedZonesCommand({}))).HostedZones).toEqual([]);
    route53.destroy();
  });
});

async function occupyTcp(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('a failed start', () => {
  it('reports pebble log tail and stops named and moto when pebble cannot listen', async () => {
    const { port, server } = await occupyTcp();
    try {
      const error = await startLocalStack({ ports: { acme: port } }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LocalStackStartError);
      const failure = error as LocalStackStartError;
      expect(failure.child).toBe('pebble');
      expect(failure.message).toMatch(/address already in use/);
      expect(failure.pids).toHaveLength(3);
      expect(failure.pids.filter(isRunning)).toEqual([]);
      expect(existsSync(failure.dir)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('reports named log tail and stops moto when the DNS port is taken', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
    try {
      const error = await startLocalStack({ ports: { dns: socket.address().port } }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LocalStackStartError);
      const failure = error as LocalStackStartError;
      expect(failure.child).toBe('named');
      expect(failure.logTail).toMatch(/unable to listen|address in use/);
      expect(failure.pids.filter(isRunning)).toEqual([]);
      expect(existsSync(failure.dir)).toBe(false);
    } finally {
      socket.close();
    }
  });
});

describe('stop', () => {
  it('ends every child by PID, removes the dir, and may be called again', async () => {
    const pids = stack.processes.map((child) => child.pid);
    expect(pids.filter(isRunning)).toHaveLength(3);
    await Promise.all([stack.stop(), stack.stop()]);
    await stack.stop();
    expect(pids.filter(isRunning)).toEqual([]);
    expect(existsSync(stack.dir)).toBe(false);
  });
});
