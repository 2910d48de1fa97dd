/**
 * DnsResolver, CNAME delegation, propagation, CAA and pre-flight against a real bind9 from the local stack. Records
 * are written with sendUpdate (as an operator would set them up) and deleted after each test.
 */
import { randomBytes } from 'node:crypto';
import { CaaVerdictCode } from '@portcullis/core';
import {
  challengeRecordName,
  DnsErrorCode,
  DnsResolver,
  delegateChallengeRecords,
  PreflightCode,
  preflight,
  queryServer,
  Rfc2136Provider,
  sendUpdate,
  txtValues,
  type UpdateOperation,
} from '@portcullis/dns';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let resolver: DnsResolver;
let server: { host: string; port: number };
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ moto: false });
  server = { host: stack.bind.host, port: stack.bind.port };
  // Local mode: lookups start at bind9, and every NS address found (ns1.<zone> A 127.0.0.1) is asked on its port.
  resolver = new DnsResolver({ servers: [server], nameserverPort: stack.bind.port });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await stack?.stop();
});

const value = () => randomBytes(32).toString('base64url');
const zoneOf = (name: string) => (name.endsWith('delegated.test') ? 'delegated.test' : 'example.test');

/** Writes records as an operator would, and removes the whole RRsets afterwards. */
async function setUp(operations: Extract<UpdateOperation, { op: 'add' }>[]): Promise<void> {
  for (const operation of operations) {
    const zone = zoneOf(operation.name);
    await sendUpdate(server, zone, stack.bind.tsig, [operation]);
    cleanups.push(() =>
      sendUpdate(server, zone, stack.bind.tsig, [{ op: 'delete', name: operation.name, type: operation.type }]),
    );
  }
}

function provider(): Rfc2136Provider {
  return new Rfc2136Provider({ server, tsig: stack.bind.tsig, zones: stack.bind.zones });
}

describe('findZone', () => {
  it.each([
    ['_acme-challenge.www.example.test', 'example.test'],
    ['example.test', 'example.test'],
    ['_acme-challenge.deep.name.delegated.test', 'delegated.test'],
  ])('finds %s in %s with its name server on the bind9 port', async (name, zone) => {
    await expect(resolver.findZone(name)).resolves.toEqual({
      zone,
      nameservers: [{ host: '127.0.0.1', port: stack.bind.port, name: `ns1.${zone}` }],
    });
  });

  it('fails with ZoneNotFound for a name no server serves', async () => {
    await expect(resolver.findZone('_acme-challenge.nowhere.invalid')).rejects.toMatchObject({
      code: DnsErrorCode.ZoneNotFound,
    });
  });

  it('fails retryably and promptly when the start server is down', async () => {
    const down = new DnsResolver({ servers: [{ host: '127.0.0.1', port: 9 }], timeoutMs: 10_000 });
    await expect(down.findZone('example.test')).rejects.toMatchObject({ retryable: true });
  });
});

describe('checkPropagation', () => {
  it('sees values missing, then present on every name server, then gone after cleanup', async () => {
    const records = [
      { fqdn: challengeRecordName('prop.example.test'), value: value() },
      { fqdn: challengeRecordName('*.prop.example.test'), value: value() },
      { fqdn: challengeRecordName('prop.delegated.test'), value: value() },
    ];
    const before = await resolver.checkPropagation(records);
    expect(before.ready).toBe(false);
    expect(before.pending).toHaveLength(3);
    expect(before.pending[0]?.server).toBe(`127.0.0.1:${stack.bind.port} (ns1.delegated.test)`);

    const p = provider();
    const presentation = await p.present(records);
    cleanups.push(() => p.cleanup(presentation));
    await expect(resolver.checkPropagation(records)).resolves.toEqual({ ready: true, pending: [] });

    await p.cleanup(presentation);
    const after = await resolver.checkPropagation(records);
    expect(after.pending.map((pending) => pending.value).sort()).toEqual(records.map((r) => r.value).sort());
  });
});

describe('CNAME delegation', () => {
  it('follows _acme-challenge to the target zone, where the provider writes and the CA finds the value', async () => {
    const challenge = challengeRecordName('deleg.example.test');
    const target = 'deleg.acme.delegated.test';
    await setUp([{ op: 'add', name: challenge, type: 'CNAME', ttl: 60, data: target }]);
    await expect(resolver.followCnames(challenge)).resolves.toBe(target);

    const token = value();
    const records = await delegateChallengeRecords([{ fqdn: challenge, value: token }], resolver);
    const p = provider();
    const presentation = await p.present(records);
    cleanups.push(() => p.cleanup(presentation));
    expect(presentation.zones).toEqual([{ zone: 'delegated.test', records: [{ fqdn: target, value: token }] }]);

    // What a validating CA's resolver sees: the challenge name is a CNAME (bind9 does not chase it into another
    // zone in an authoritative answer), and the target holds the token.
    const atChallenge = await queryServer(server, challenge, 'TXT');
    expect(atChallenge.answers).toMatchObject([{ type: 'CNAME', name: challenge, data: target }]);
    expect(txtValues(await queryServer(server, target, 'TXT'), target)).toEqual([token]);
    await expect(resolver.checkPropagation(records)).resolves.toMatchObject({ ready: true });
  });

  it('follows a chain of two CNAMEs across zones', async () => {
    const challenge = challengeRecordName('chain.example.test');
    await setUp([
      { op: 'add', name: challenge, type: 'CNAME', ttl: 60, data: 'hop.delegated.test' },
      { op: 'add', name: 'hop.delegated.test', type: 'CNAME', ttl: 60, data: 'end.chain.example.test' },
    ]);
    await expect(resolver.followCnames(challenge)).resolves.toBe('end.chain.example.test');
  });

  it('refuses a CNAME loop', async () => {
    const challenge = challengeRecordName('loop.example.test');
    await setUp([
      { op: 'add', name: challenge, type: 'CNAME', ttl: 60, data: 'loop.delegated.test' },
      { op: 'add', name: 'loop.delegated.test', type: 'CNAME', ttl: 60, data: challenge },
    ]);
    await expect(resolver.followCnames(challenge)).rejects.toMatchObject({ code: DnsErrorCode.CnameChainBroken });
  });

  it('refuses a wildcard CNAME that captures _acme-challenge, but accepts an explicit one beside it', async () => {
    await setUp([
      { op: 'add', name: '*.wild.example.test', type: 'CNAME', ttl: 60, data: 'lb.delegated.test' },
      {
        op: 'add',
        name: challengeRecordName('explicit.wild.example.test'),
        type: 'CNAME',
        ttl: 60,
        data: 'explicit.acme.delegated.test',
      },
    ]);
    const captured = challengeRecordName('host.wild.example.test');
    await expect(resolver.followCnames(captured)).rejects.toMatchObject({
      code: DnsErrorCode.WildcardCnameCapture,
      fqdn: captured,
      message: expect.stringContaining('lb.delegated.test'),
    });
    await expect(resolver.followCnames(challengeRecordName('explicit.wild.example.test'))).resolves.toBe(
      'explicit.acme.delegated.test',
    );
  });
});

describe('checkCaa', () => {
  const caa = (name: string, tag: string, caValue: string, flags = 0): Extract<UpdateOperation, { op: 'add' }> => ({
    op: 'add',
    name,
    type: 'CAA',
    ttl: 60,
    data: { flags, tag, value: caValue },
  });

  it('allows any CA when no level has CAA', async () => {
    await expect(resolver.checkCaa('www.example.test', ['pebble.test'])).resolves.toMatchObject({
      allowed: true,
      code: CaaVerdictCode.NoRecords,
    });
  });

  it('climbs to the parent, honours issue and issuewild, and ignores parameters', async () => {
    await setUp([
      caa('caa.example.test', 'issue', 'pebble.test; accounturi=https://127.0.0.1/acct/1'),
      caa('caa.example.test', 'issuewild', ';'),
    ]);
    const cases: [string, string[], boolean, string][] = [
      ['a.b.caa.example.test', ['pebble.test'], true, CaaVerdictCode.Authorized],
      ['a.b.caa.example.test', ['letsencrypt.org'], false, CaaVerdictCode.NotAuthorized],
      ['*.caa.example.test', ['pebble.test'], false, CaaVerdictCode.NotAuthorized],
      ['caa.example.test', ['PEBBLE.test'], true, CaaVerdictCode.Authorized],
    ];
    for (const [identifier, ids, allowed, code] of cases) {
      const verdict = await resolver.checkCaa(identifier, ids);
      expect({ identifier, ...verdict }).toMatchObject({ identifier, allowed, code, domain: 'caa.example.test' });
    }
  });

  it('lets a record at the name override its parent', async () => {
    await setUp([caa('over.example.test', 'issue', ';'), caa('www.over.example.test', 'issue', 'pebble.test')]);
    await expect(resolver.checkCaa('www.over.example.test', ['pebble.test'])).resolves.toMatchObject({
      allowed: true,
      domain: 'www.over.example.test',
    });
    await expect(resolver.checkCaa('other.over.example.test', ['pebble.test'])).resolves.toMatchObject({
      allowed: false,
      domain: 'over.example.test',
    });
  });

  it('refuses on a critical property with an unknown tag', async () => {
    await setUp([caa('crit.example.test', 'issue', 'pebble.test'), caa('crit.example.test', 'futuretag', 'x', 128)]);
    await expect(resolver.checkCaa('crit.example.test', ['pebble.test'])).resolves.toMatchObject({
      allowed: false,
      code: CaaVerdictCode.UnknownCriticalTag,
      record: '128 futuretag "x"',
    });
  });

  it('reads CAA at a CNAME target in another zone without climbing from the target', async () => {
    await setUp([
      { op: 'add', name: 'alias.example.test', type: 'CNAME', ttl: 60, data: 'real.delegated.test' },
      caa('real.delegated.test', 'issue', 'letsencrypt.org'),
    ]);
    await expect(resolver.checkCaa('alias.example.test', ['pebble.test'])).resolves.toMatchObject({
      allowed: false,
      domain: 'alias.example.test',
      record: '0 issue "letsencrypt.org"',
    });
  });
});

describe('preflight', () => {
  it('reports a delegated, reachable, CAA-allowed name', async () => {
    await setUp([
      {
        op: 'add',
        name: challengeRecordName('ok.example.test'),
        type: 'CNAME',
        ttl: 60,
        data: 'ok.acme.delegated.test',
      },
    ]);
    const report = await preflight('*.ok.example.test', resolver, { caIdentities: ['pebble.test'] });
    expect(report).toMatchObject({ ok: true, recordName: 'ok.acme.delegated.test', zone: 'delegated.test' });
    expect(report.findings.map((finding) => finding.code)).toEqual([
      PreflightCode.CnameDelegated,
      PreflightCode.ZoneFound,
      PreflightCode.NameserverReachable,
      PreflightCode.CaaAllowed,
    ]);
  });

  it('reports wildcard capture and forbidding CAA as errors', async () => {
    await setUp([
      { op: 'add', name: '*.trap.example.test', type: 'CNAME', ttl: 60, data: 'lb.delegated.test' },
      {
        op: 'add',
        name: 'trap.example.test',
        type: 'CAA',
        ttl: 60,
        data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
      },
    ]);
    const report = await preflight('host.trap.example.test', resolver, { caIdentities: ['pebble.test'] });
    expect(report.ok).toBe(false);
    expect(report.findings.map((finding) => finding.code)).toEqual([
      PreflightCode.WildcardCnameCapture,
      PreflightCode.CaaForbidden,
    ]);
  });
});
