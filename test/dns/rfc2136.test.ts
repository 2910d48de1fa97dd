/**
 * RFC 2136 against a real bind9 from the local stack: updates, TSIG, error answers, transports. Each test deletes
 * what it wrote. The two fake servers at the end stand in only for what bind9 cannot be made to do on purpose
 * (stay silent; truncate an UPDATE answer).
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import type { Presentation } from '@portcullis/core';
import {
  challengeRecordName,
  DnsErrorCode,
  DnsUpdateError,
  queryServer,
  Rfc2136Provider,
  sendUpdate,
  txtValues,
  type UpdateOperation,
} from '@portcullis/dns';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let server: { host: string; port: number };
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ moto: false });
  server = { host: stack.bind.host, port: stack.bind.port };
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await stack?.stop();
});

const value = () => randomBytes(32).toString('base64url');

async function served(name: string): Promise<string[]> {
  return txtValues(await queryServer(server, name, 'TXT'), name).sort();
}

/** Adds TXT values as "someone else" (not through the provider) and registers their removal. */
async function addForeign(name: string, values: string[]): Promise<void> {
  const zone = name.endsWith('delegated.test') ? 'delegated.test' : 'example.test';
  await sendUpdate(
    server,
    zone,
    stack.bind.tsig,
    values.map((data) => ({ op: 'add', name, type: 'TXT', ttl: 60, data })),
  );
  cleanups.push(() => sendUpdate(server, zone, stack.bind.tsig, [{ op: 'delete', name, type: 'TXT' }]));
}

function provider(zones?: string[]): Rfc2136Provider {
  return new Rfc2136Provider({ server, tsig: stack.bind.tsig, ...(zones === undefined ? {} : { zones }) });
}

function track(p: Rfc2136Provider, presentation: Presentation): Presentation {
  cleanups.push(() => p.cleanup(presentation));
  return presentation;
}

describe('Rfc2136Provider against bind9', () => {
  it('presents values that bind9 serves, and cleanup removes only them', async () => {
    const name = '_acme-challenge.roundtrip.example.test';
    const theirs = value();
    await addForeign(name, [theirs]);
    const ours = [value(), value()];
    const p = provider(stack.bind.zones);
    const presentation = track(p, await p.present(ours.map((v) => ({ fqdn: name, value: v }))));

    expect(await served(name)).toEqual([theirs, ...ours].sort());
    await p.cleanup(presentation);
    expect(await served(name)).toEqual([theirs]);
  });

  it('puts apex and wildcard values in one RRset, idempotently', async () => {
    const name = challengeRecordName('*.example.test');
    expect(challengeRecordName('example.test')).toBe(name);
    const records = [
      { fqdn: challengeRecordName('example.test'), value: value() },
      { fqdn: name, value: value() },
    ];
    const p = provider(stack.bind.zones);
    const presentation = track(p, await p.present(records));
    await p.present(records); // presenting again adds nothing: bind keeps RRsets as sets
    expect(presentation.zones).toEqual([
      { zone: 'example.test', records: [...records].sort((a, b) => a.value.localeCompare(b.value)) },
    ]);
    expect(await served(name)).toEqual(records.map((r) => r.value).sort());
    await p.cleanup(presentation);
    await p.cleanup(presentation); // removing what is absent is success
    expect(await served(name)).toEqual([]);
  });

  it('finds each zone by SOA when none are configured, one update per zone', async () => {
    const records = [
      { fqdn: '_acme-challenge.www.example.test', value: value() },
      { fqdn: '_acme-challenge.www.delegated.test', value: value() },
    ];
    const p = provider();
    const presentation = track(p, await p.present(records));
    expect(presentation.zones.map((z) => z.zone)).toEqual(['delegated.test', 'example.test']);
    for (const record of records) expect(await served(record.fqdn)).toEqual([record.value]);
  });

  it('sends an update larger than 512 bytes over TCP, and reads a large answer over TCP after truncation', async () => {
    const name = '_acme-challenge.large.example.test';
    const values = Array.from({ length: 60 }, value); // ~4 KB of update, ~3 KB of answer
    const p = provider(stack.bind.zones);
    track(p, await p.present(values.map((v) => ({ fqdn: name, value: v }))));
    const answer = await queryServer(server, name, 'TXT');
    expect(answer.transport).toBe('tcp');
    expect(txtValues(answer, name).sort()).toEqual(values.sort());
  });

  it('carries 200 signed updates in a row', async () => {
    const name = '_acme-challenge.burst.example.test';
    cleanups.push(() => sendUpdate(server, 'example.test', stack.bind.tsig, [{ op: 'delete', name, type: 'TXT' }]));
    for (let i = 0; i < 200; i++) {
      await sendUpdate(server, 'example.test', stack.bind.tsig, [
        { op: 'add', name, type: 'TXT', ttl: 60, data: `v${i % 10}` },
      ]);
    }
    expect(await served(name)).toHaveLength(10);
  });
});

describe('sendUpdate errors from bind9', () => {
  const add = (name: string): UpdateOperation[] => [{ op: 'add', name, type: 'TXT', ttl: 60, data: value() }];

  it('names the zone and BADSIG when the TSIG secret is wrong', async () => {
    const tsig = { ...stack.bind.tsig, secret: randomBytes(32).toString('base64') };
    const attempt = sendUpdate(server, 'example.test', tsig, add('_acme-challenge.badsig.example.test'));
    await expect(attempt).rejects.toBeInstanceOf(DnsUpdateError);
    await expect(attempt).rejects.toMatchObject({
      code: DnsErrorCode.TsigFailed,
      zone: 'example.test',
      rcode: 'NOTAUTH',
      tsigError: 'BADSIG',
      retryable: false,
      message: expect.stringMatching(
        /zone example\.test: update of _acme-challenge\.badsig\.example\.test TXT failed: NOTAUTH \(BADSIG\)/,
      ),
    });
    expect(await served('_acme-challenge.badsig.example.test')).toEqual([]);
  });

  it('names BADKEY when the server does not know the key', async () => {
    const tsig = { ...stack.bind.tsig, name: 'unknown-key' };
    await expect(sendUpdate(server, 'example.test', tsig, add('_acme-challenge.example.test'))).rejects.toMatchObject({
      code: DnsErrorCode.TsigFailed,
      tsigError: 'BADKEY',
    });
  });

  it('names BADTIME when our clock is off by more than the fudge', async () => {
    const anHourAgo = () => new Date(Date.now() - 3_600_000);
    const attempt = sendUpdate(server, 'example.test', stack.bind.tsig, add('_acme-challenge.example.test'), {
      now: anHourAgo,
    });
    await expect(attempt).rejects.toMatchObject({ code: DnsErrorCode.TsigFailed, tsigError: 'BADTIME' });
  });

  it('names the zone and NOTAUTH for a zone the server does not serve', async () => {
    const attempt = sendUpdate(server, 'foreign.test', stack.bind.tsig, add('_acme-challenge.foreign.test'));
    await expect(attempt).rejects.toMatchObject({
      code: DnsErrorCode.UpdateRejected,
      zone: 'foreign.test',
      rcode: 'NOTAUTH',
      message: expect.stringContaining('zone foreign.test'),
    });
  });

  it('names REFUSED when the update-policy does not grant the type', async () => {
    // The local policy grants no CNAME at the apex (RFC 1034 §3.6.2).
    const attempt = sendUpdate(server, 'example.test', stack.bind.tsig, [
      { op: 'add', name: 'example.test', type: 'CNAME', ttl: 60, data: 'elsewhere.test' },
    ]);
    await expect(attempt).rejects.toMatchObject({
      code: DnsErrorCode.UpdateRejected,
      rcode: 'REFUSED',
      records: ['example.test CNAME'],
    });
  });
});

describe('transport failures', () => {
  let silent: UdpSocket | undefined;
  let relay: Awaited<ReturnType<typeof startTruncatingRelay>> | undefined;

  afterAll(async () => {
    silent?.close();
    relay?.udp.close();
    await new Promise((resolve) => (relay === undefined ? resolve(undefined) : relay.tcp.close(resolve)));
  });

  it('gives a retryable Unreachable error at once when nothing listens', async () => {
    const closed = await freeUdpPort();
    const attempt = sendUpdate({ host: '127.0.0.1', port: closed }, 'example.test', stack.bind.tsig, add1(), {
      timeoutMs: 10_000,
    });
    await expect(attempt).rejects.toMatchObject({
      code: DnsErrorCode.Unreachable,
      retryable: true,
      zone: 'example.test',
    });
  });

  it('gives a retryable Timeout error when the server stays silent', async () => {
    // Fake: a socket that reads and never answers (bind9 always answers).
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent?.bind(0, '127.0.0.1', resolve));
    const port = silent.address().port;
    const attempt = sendUpdate({ host: '127.0.0.1', port }, 'example.test', stack.bind.tsig, add1(), {
      timeoutMs: 200,
    });
    await expect(attempt).rejects.toMatchObject({ code: DnsErrorCode.Timeout, retryable: true, zone: 'example.test' });
    const query = queryServer({ host: '127.0.0.1', port }, 'example.test', 'SOA', { timeoutMs: 200 });
    await expect(query).rejects.toMatchObject({ code: DnsErrorCode.Timeout, retryable: true });
  });

  it('repeats an update over TCP when the UDP answer is truncated', async () => {
    // Fake UDP side answering every request with a bare TC header (bind9 never truncates an UPDATE answer); the TCP
    // side relays to the real bind9, which applies the update and signs the answer we verify.
    relay = await startTruncatingRelay(stack.bind.port);
    const name = '_acme-challenge.truncated.example.test';
    const data = value();
    cleanups.push(() => sendUpdate(server, 'example.test', stack.bind.tsig, [{ op: 'delete', name, type: 'TXT' }]));
    await sendUpdate({ host: '127.0.0.1', port: relay.port }, 'example.test', stack.bind.tsig, [
      { op: 'add', name, type: 'TXT', ttl: 60, data },
    ]);
    expect(relay.truncated).toBeGreaterThan(0);
    expect(await served(name)).toEqual([data]);
  });

  function add1(): UpdateOperation[] {
    return [{ op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: value() }];
  }
});

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** UDP: answer with ID + QR + TC only. TCP: pipe to bind9. Same port number for both. */
async function startTruncatingRelay(bindPort: number) {
  const tcp = createServer((client) => {
    const upstream = connect(bindPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const port = (tcp.address() as { port: number }).port;
  const udp = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, '127.0.0.1', resolve);
  });
  const state = { udp, tcp, port, truncated: 0 };
  udp.on('message', (message, peer) => {
    const header = Buffer.from(message.subarray(0, 12));
    header.writeUInt16BE(0x8000 | (message.readUInt16BE(2) & 0x7800) | 0x0200, 2);
    header.fill(0, 4);
    state.truncated += 1;
    udp.send(header, peer.port, peer.address);
  });
  return state;
}
