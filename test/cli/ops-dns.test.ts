/**
 * `portcullis doctor` and `portcullis dns check` against the real local bind9: the records each case needs (CAA,
 * wildcard CNAMEs, `_acme-challenge` delegations, A records) are written by RFC 2136 as an operator would, and
 * removed after each test. The HTTP-01 probe talks to the real responder of @portcullis/local.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CheckStatus, DoctorCheck, runDnsCheckCommand, runDoctorCommand } from '@portcullis/cli';
import { sendUpdate, type UpdateOperation } from '@portcullis/dns';
import { type LocalStack, MemoryHttp01TokenStore, startHttp01Responder, startLocalStack } from '@portcullis/local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dnsEnv, recordingIo } from './ops-support.js';

const ROOT = join(import.meta.dirname, '../..');
let stack: LocalStack;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ moto: false });
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await stack?.stop();
});

const zoneOf = (name: string) => (name.endsWith('delegated.test') ? 'delegated.test' : 'example.test');

async function records(operations: Extract<UpdateOperation, { op: 'add' }>[]): Promise<void> {
  const server = { host: stack.bind.host, port: stack.bind.port };
  for (const operation of operations) {
    const zone = zoneOf(operation.name);
    await sendUpdate(server, zone, stack.bind.tsig, [operation]);
    cleanups.push(() =>
      sendUpdate(server, zone, stack.bind.tsig, [{ op: 'delete', name: operation.name, type: operation.type }]),
    );
  }
}

const env = (extra: Record<string, string> = {}) => ({
  ...dnsEnv(stack),
  PORTCULLIS_DNS_ZONES: 'example.test,delegated.test',
  ...extra,
});

async function doctor(name: string, flags: Parameters<typeof runDoctorCommand>[1], extra?: Record<string, string>) {
  const io = recordingIo(env(extra));
  await runDoctorCommand(name, flags, io);
  return io;
}

const statusOf = (io: { text(): string }, check: string) => {
  const line = io
    .text()
    .split('\n')
    .find((l) => l.slice(2).startsWith(check));
  return line?.slice(0, 1);
};

describe('doctor', () => {
  it('passes a name whose CAA names the issuer, with every check but http-01 run', async () => {
    await records([
      {
        op: 'add',
        name: 'ok.example.test',
        type: 'CAA',
        ttl: 60,
        data: { flags: 0, tag: 'issue', value: 'pebble.test' },
      },
    ]);
    const io = await doctor('www.ok.example.test', { challenge: 'dns-01', issuerCaa: ['pebble.test'] });
    expect(io.exitCode()).toBe(0);
    expect(io.text()).toContain('CAA at ok.example.test authorizes pebble.test');
    for (const check of [DoctorCheck.Zone, DoctorCheck.Delegation, DoctorCheck.Caa, DoctorCheck.WildcardCname]) {
      expect(statusOf(io, check), check).toBe('✔');
    }
    expect(statusOf(io, DoctorCheck.ChallengeZone)).toBe('✔');
    expect(statusOf(io, DoctorCheck.Http01)).toBe('-');
    expect(io.text()).toContain('no problems found');
    expect(io.stderr.join('\n')).toContain('doctor: pre-flight of www.ok.example.test');
  });

  it('fails on a CAA record for another CA, with the record to add as the fix', async () => {
    await records([
      {
        op: 'add',
        name: 'caa.example.test',
        type: 'CAA',
        ttl: 60,
        data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
      },
    ]);
    const io = await doctor('*.caa.example.test', { challenge: 'dns-01', issuerCaa: ['pebble.test'] });
    expect(io.exitCode()).toBe(1);
    expect(statusOf(io, DoctorCheck.Caa)).toBe('✖');
    expect(io.text()).toContain('allows issue only by letsencrypt.org');
    expect(io.text()).toContain('fix: add the CAA record 0 issuewild "pebble.test"');
  });

  it('fails on a wildcard CNAME that captures _acme-challenge', async () => {
    await records([{ op: 'add', name: '*.trap.example.test', type: 'CNAME', ttl: 60, data: 'lb.delegated.test' }]);
    const io = await doctor('host.trap.example.test', { challenge: 'dns-01' });
    expect(io.exitCode()).toBe(1);
    expect(statusOf(io, DoctorCheck.WildcardCname)).toBe('✖');
    expect(io.text()).toContain('fix: create an explicit _acme-challenge.host.trap.example.test record');
  });

  it('follows a CNAME delegation and checks the target zone is one Portcullis updates', async () => {
    await records([
      {
        op: 'add',
        name: '_acme-challenge.deleg.example.test',
        type: 'CNAME',
        ttl: 60,
        data: 'deleg.acme.delegated.test',
      },
    ]);
    const served = await doctor('deleg.example.test', { challenge: 'dns-01' });
    expect(served.exitCode()).toBe(0);
    expect(served.text()).toContain('is delegated by CNAME to deleg.acme.delegated.test');
    expect(statusOf(served, DoctorCheck.ChallengeZone)).toBe('✔');

    const notWritable = await doctor(
      'deleg.example.test',
      { challenge: 'dns-01' },
      { PORTCULLIS_DNS_ZONES: '', PORTCULLIS_RFC2136_ZONES: 'example.test' },
    );
    expect(notWritable.exitCode()).toBe(1);
    expect(statusOf(notWritable, DoctorCheck.ChallengeZone)).toBe('✖');
    expect(notWritable.text()).toContain('not among the zones Portcullis updates (example.test)');
  });

  it('fails when _acme-challenge points into a zone nobody serves', async () => {
    await records([
      { op: 'add', name: '_acme-challenge.lost.example.test', type: 'CNAME', ttl: 60, data: 'x.nowhere.invalid' },
    ]);
    const io = await doctor('lost.example.test', { challenge: 'dns-01' });
    expect(io.exitCode()).toBe(1);
    expect(statusOf(io, DoctorCheck.ChallengeCname)).toBe('✖');
    expect(io.text()).toContain('could not be followed: no zone found for x.nowhere.invalid');
  });

  it('checks HTTP-01: a responder answers, a closed port does not, no address is named', async () => {
    await records([{ op: 'add', name: 'web.example.test', type: 'A', ttl: 60, data: '127.0.0.1' }]);
    const responder = await startHttp01Responder({ host: '127.0.0.1', port: 0, store: new MemoryHttp01TokenStore() });
    cleanups.push(() => responder.close());

    const up = await doctor('web.example.test', { challenge: 'http-01', httpPort: responder.port });
    expect(up.exitCode()).toBe(0);
    expect(statusOf(up, DoctorCheck.Http01)).toBe('✔');
    expect(up.text()).toContain('answered HTTP 404 (expected for an unknown token)');
    // The probe asked as the CA would: the name (and port) in Host, a token-shaped path.
    expect(responder.requests.at(-1)).toMatchObject({
      host: `web.example.test:${responder.port}`,
      path: expect.stringMatching(/^\/\.well-known\/acme-challenge\/[A-Za-z0-9_-]{43}$/),
    });

    await responder.close();
    const down = await doctor('web.example.test', { challenge: 'http-01', httpPort: responder.port });
    expect(down.exitCode()).toBe(1);
    expect(down.text()).toMatch(/✖ http-01 +nothing answered GET http:\/\/web\.example\.test:\d+\/.* ECONNREFUSED/);

    // The zones have `* A 127.0.0.1`; a name that exists (a TXT) but has no A is not covered by it.
    await records([{ op: 'add', name: 'noaddress.example.test', type: 'TXT', ttl: 60, data: 'no address' }]);
    const nowhere = await doctor('noaddress.example.test', {
      challenge: 'http-01',
      httpPort: responder.port,
    });
    expect(nowhere.text()).toContain('noaddress.example.test has no A or AAAA record');
  });

  it('exits 1 through the real entry point, with the report on stdout and progress on stderr', async () => {
    await records([{ op: 'add', name: '*.cli.example.test', type: 'CNAME', ttl: 60, data: 'lb.delegated.test' }]);
    const failed = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'doctor', 'a.cli.example.test'],
      { cwd: ROOT, env: { ...process.env, ...env(), NO_COLOR: '1' } },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('✖ wildcard cname');
    expect(failed.stdout).toContain('1 check(s) failed');
    expect(failed.stderr).toContain('doctor: pre-flight of a.cli.example.test');
  });
});

describe('dns check', () => {
  it('asks every name server for the challenge TXT of a bare name and reports agreement', async () => {
    await records([{ op: 'add', name: '_acme-challenge.txt.example.test', type: 'TXT', ttl: 60, data: 'token-1' }]);
    const io = recordingIo(env());
    await runDnsCheckCommand('txt.example.test', {}, io);
    expect(io.exitCode()).toBe(0);
    expect(io.text()).toContain('_acme-challenge.txt.example.test TXT in zone example.test');
    expect(io.text()).toMatch(
      new RegExp(`ns1\\.example\\.test \\(127\\.0\\.0\\.1:${stack.bind.port}\\) +NOERROR +yes +TXT "token-1"`),
    );
    expect(io.text()).toContain('✔ all 1 name server(s) agree');
  });

  it('asks an explicit type at exactly the name given', async () => {
    await records([{ op: 'add', name: 'host.example.test', type: 'A', ttl: 60, data: '127.0.0.1' }]);
    const io = recordingIo(env());
    await runDnsCheckCommand('host.example.test', { type: 'A' }, io);
    expect(io.text()).toContain('host.example.test A in zone example.test');
    expect(io.text()).toContain('A 127.0.0.1');
  });

  it('follows a delegated _acme-challenge into the target zone', async () => {
    await records([
      { op: 'add', name: '_acme-challenge.cn.example.test', type: 'CNAME', ttl: 60, data: 'cn.acme.delegated.test' },
      { op: 'add', name: 'cn.acme.delegated.test', type: 'TXT', ttl: 60, data: 'delegated-token' },
    ]);
    const io = recordingIo(env());
    await runDnsCheckCommand('cn.example.test', {}, io);
    expect(io.exitCode()).toBe(0);
    expect(io.text()).toContain('CNAME cn.acme.delegated.test');
    expect(io.text()).toContain('cn.acme.delegated.test TXT in zone delegated.test');
    expect(io.text()).toContain('TXT "delegated-token"');
  });

  it('reports "no records" everywhere as agreement (nothing in progress)', async () => {
    const io = recordingIo(env());
    await runDnsCheckCommand('quiet.example.test', {}, io);
    expect(io.exitCode()).toBe(0);
    // NOERROR, not NXDOMAIN: the zones' `* A` record makes every name exist.
    expect(io.text()).toMatch(/NOERROR +yes +\(no records\)/);
  });
});

it('gives each result a status doctor can exit on', () => {
  expect(Object.values(CheckStatus)).toEqual(['pass', 'fail', 'warn', 'skip']);
});
