/**
 * The whole issuance flow against the real local stack: pebble validates what our DNS providers really wrote into
 * bind9 (directly by RFC 2136, or via Route53 in moto synced into bind9) and what our HTTP-01 responder serves.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { certificateKeyFactory, createAcmeClient, FileKeyStore } from '@portcullis/acme';
import { countAwsRequests } from '@portcullis/aws';
import { runIssue } from '@portcullis/cli';
import {
  type IssuanceEvent,
  IssuanceStep,
  normalizeIdentifiers,
  obtainCertificate,
  systemClock,
  verifyChain,
} from '@portcullis/core';
import { DnsResolver, queryServer, Rfc2136Provider, Route53Provider, sendUpdate, txtValues } from '@portcullis/dns';
import {
  type LocalStack,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
  syncingRoute53Provider,
} from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let work: string;

beforeAll(async () => {
  stack = await startLocalStack();
  work = await mkdtemp(join(tmpdir(), 'portcullis-issuance-'));
});

afterAll(async () => {
  await stack?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

function acme() {
  return createAcmeClient({
    issuer: 'pebble',
    directoryUrl: stack.pebble.directoryUrl,
    httpsAgent: stack.httpsAgent,
    keyStore: new FileKeyStore(join(work, 'keys')),
    backoffMinMs: 50,
    backoffMaxMs: 500,
  });
}

function resolver() {
  return new DnsResolver({
    servers: [{ host: stack.bind.host, port: stack.bind.port }],
    nameserverPort: stack.bind.port,
  });
}

function rfc2136() {
  return new Rfc2136Provider({ server: { host: stack.bind.host, port: stack.bind.port }, tsig: stack.bind.tsig });
}

async function txtAtBind(fqdn: string): Promise<string[]> {
  const answer = await queryServer({ host: stack.bind.host, port: stack.bind.port }, fqdn, 'TXT');
  return txtValues(answer, fqdn);
}

describe('issuance on the local stack', () => {
  it('issues apex + wildcard by DNS-01 over RFC 2136, chains to pebble’s root and leaves no TXT behind', async () => {
    const events: IssuanceEvent[] = [];
    const identifiers = normalizeIdentifiers(['rfc.example.test', '*.rfc.example.test'], { challenge: 'dns-01' });
    const result = await obtainCertificate(
      { identifiers, challenge: 'dns-01', keyType: 'ec-p256' },
      {
        acme: acme(),
        keys: certificateKeyFactory,
        clock: systemClock,
        dns: { provider: rfc2136(), resolver: resolver() },
        onEvent: (e) => events.push(e),
      },
    );
    const verdict = verifyChain(result.chainPem, await stack.pebble.roots());
    expect([...verdict.dnsNames].sort()).toEqual(['*.rfc.example.test', 'rfc.example.test']);
    expect(events.map((e) => e.step)).toContain(IssuanceStep.Propagated);
    expect(await txtAtBind('_acme-challenge.rfc.example.test')).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('issues through Route53 (moto, synced into bind9) with one change batch to present and one to clean up', async () => {
    const route53 = new Route53Client({
      region: 'us-east-1',
      endpoint: stack.moto?.endpoint as string,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const zone = await route53.send(
      new CreateHostedZoneCommand({ Name: 'example.test', CallerReference: 'issuance-test' }),
    );
    const counter = countAwsRequests(route53);
    const provider = syncingRoute53Provider(new Route53Provider({ client: route53 }), { route53, bind: stack.bind });
    const identifiers = normalizeIdentifiers(['r53.example.test', '*.r53.example.test', 'a.r53.example.test'], {
      challenge: 'dns-01',
    });
    const result = await obtainCertificate(
      { identifiers, challenge: 'dns-01', keyType: 'ec-p384' },
      { acme: acme(), keys: certificateKeyFactory, clock: systemClock, dns: { provider, resolver: resolver() } },
    );
    expect(verifyChain(result.chainPem, await stack.pebble.roots()).dnsNames).toHaveLength(3);
    expect(counter.count('ChangeResourceRecordSetsCommand')).toBe(2);
    const left = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone?.Id }));
    expect((left.ResourceRecordSets ?? []).filter((r) => r.Type === 'TXT')).toEqual([]);
    expect(await txtAtBind('_acme-challenge.r53.example.test')).toEqual([]);
  });

  it('issues by HTTP-01 through the responder on pebble’s HTTP port', async () => {
    const store = new MemoryHttp01TokenStore();
    const responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store });
    try {
      const identifiers = normalizeIdentifiers(['web.example.test'], { challenge: 'http-01' });
      const result = await obtainCertificate(
        { identifiers, challenge: 'http-01', keyType: 'rsa-2048' },
        { acme: acme(), keys: certificateKeyFactory, clock: systemClock, http01: store },
      );
      expect(verifyChain(result.chainPem, await stack.pebble.roots()).dnsNames).toEqual(['web.example.test']);
      expect(responder.requests.some((r) => r.status === 200)).toBe(true);
      expect(await store.get(responder.requests[0]?.path.split('/').at(-1) as string)).toBeUndefined();
    } finally {
      await responder.close();
    }
  });

  // The target sits in the same zone: pebble resolves through our authoritative-only bind9, which does not chase a
  // CNAME into another zone (no recursion), so a cross-zone target would be invisible to pebble's validator here.
  // Cross-zone following itself is covered against bind9 in test/dns/resolver.test.ts.
  it('follows a CNAME-delegated _acme-challenge to its target and cleans up there', async () => {
    const server = { host: stack.bind.host, port: stack.bind.port };
    await sendUpdate(server, 'example.test', stack.bind.tsig, [
      {
        op: 'add',
        name: '_acme-challenge.cname.example.test',
        type: 'CNAME',
        ttl: 60,
        data: 'cname.challenges.example.test',
      },
    ]);
    const events: IssuanceEvent[] = [];
    const identifiers = normalizeIdentifiers(['cname.example.test'], { challenge: 'dns-01' });
    const result = await obtainCertificate(
      { identifiers, challenge: 'dns-01', keyType: 'ec-p256' },
      {
        acme: acme(),
        keys: certificateKeyFactory,
        clock: systemClock,
        dns: { provider: rfc2136(), resolver: resolver() },
        onEvent: (e) => events.push(e),
      },
    );
    expect(verifyChain(result.chainPem, await stack.pebble.roots()).dnsNames).toEqual(['cname.example.test']);
    const delegated = events.find((e) => e.step === IssuanceStep.ChallengeDelegated);
    expect(delegated?.message).toContain('→ CNAME cname.challenges.example.test');
    expect(await txtAtBind('cname.challenges.example.test')).toEqual([]);
  });

  it('refuses a chain against roots it does not end in', async () => {
    const identifiers = normalizeIdentifiers(['roots.example.test'], { challenge: 'dns-01' });
    const result = await obtainCertificate(
      { identifiers, challenge: 'dns-01', keyType: 'ec-p256' },
      {
        acme: acme(),
        keys: certificateKeyFactory,
        clock: systemClock,
        dns: { provider: rfc2136(), resolver: resolver() },
      },
    );
    const [intermediate] = await stack.pebble.intermediates();
    expect(() => verifyChain(result.chainPem, [intermediate as string])).toThrow(/trusted roots/);
  });
});

describe('portcullis issue', () => {
  it('writes fullchain.pem and a 0600 privkey.pem that belong together', async () => {
    const out = join(work, 'cli');
    const lines: string[] = [];
    const env = { ...stack.env(), PORTCULLIS_STATE_DIR: join(work, 'cli-state') };
    const issued = await runIssue(
      { name: ['cli.example.test', '*.cli.example.test'], challenge: 'dns-01', dns: 'rfc2136', key: 'ec-p256', out },
      { out: (t) => lines.push(t), env, localBind: stack.bind },
    );
    const chain = await readFile(join(out, 'fullchain.pem'), 'utf8');
    const key = await readFile(join(out, 'privkey.pem'), 'utf8');
    expect(verifyChain(chain, await stack.pebble.roots()).serial).toBe(issued.serial.replace(/^0+/, ''));
    expect((await stat(join(out, 'privkey.pem'))).mode & 0o777).toBe(0o600);
    const { X509Certificate, createPrivateKey, createPublicKey } = await import('node:crypto');
    const leafKey = new X509Certificate(chain).publicKey.export({ format: 'jwk' });
    expect(createPublicKey(createPrivateKey(key)).export({ format: 'jwk' })).toEqual(leafKey);
    expect(lines.join('\n')).toContain('Downloaded');
    expect(lines.join('\n')).not.toContain('PRIVATE KEY');
  });

  it.each([
    [['bad..name.example.test'], 'dns-01', /empty label/],
    [['*.example.test'], 'http-01', /wildcard/],
    [['192.0.2.1'], 'dns-01', /IP/i],
  ] as const)('refuses %j by %s before any network call', async (names, challenge, message) => {
    // An env with nothing configured: reaching the network or the config would fail differently.
    await expect(
      runIssue(
        { name: [...names], challenge, dns: 'rfc2136', key: 'ec-p256', out: join(work, 'never') },
        { out: () => {}, env: {} },
      ),
    ).rejects.toThrow(message);
  });
});
