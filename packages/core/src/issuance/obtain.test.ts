/**
 * Unit tests of the flow's ordering and cleanup guarantees with in-memory fakes of the ports (the real adapters
 * are exercised against pebble + bind9 + moto in test/issuance). Fakes here because the failure paths tested
 * (a validation failure after presenting, a propagation time-out) must be produced on demand.
 */
import { describe, expect, it } from 'vitest';
import type { AcmeAuthorization, AcmeClient, AcmeOrder, CertificateKeyFactory } from '../ports/acme-client.js';
import { AcmeProblemError } from '../ports/acme-client.js';
import type { Clock } from '../ports/clock.js';
import type { DnsProvider, Presentation, TxtRecord } from '../ports/dns-provider.js';
import type { Resolver } from '../ports/resolver.js';
import { redact } from '../redacted.js';
import { IssuanceStep } from './events.js';
import { obtainCertificate } from './obtain.js';

const order: AcmeOrder = {
  url: 'https://ca/order/1',
  status: 'pending',
  identifiers: [
    { type: 'dns', value: 'example.test' },
    { type: 'dns', value: '*.example.test' },
  ],
  authorizations: ['https://ca/authz/1', 'https://ca/authz/2'],
  finalize: 'https://ca/order/1/finalize',
};

function authz(n: number, wildcard: boolean): AcmeAuthorization {
  return {
    url: `https://ca/authz/${n}`,
    identifier: { type: 'dns', value: 'example.test' },
    wildcard,
    status: 'pending',
    challenges: [{ type: 'dns-01', url: `https://ca/chall/${n}`, token: `t${n}`, status: 'pending' }],
  };
}

function fakeAcme(log: string[], options: { failValidation?: boolean } = {}): AcmeClient {
  const fail = () => {
    throw new Error('not used in this test');
  };
  return {
    directory: fail,
    ensureAccount: fail,
    getOrder: fail,
    pollAuthorization: fail,
    pollOrder: fail,
    revoke: fail,
    certId: fail,
    renewalInfo: fail,
    newOrder: async () => {
      log.push('newOrder');
      return order;
    },
    getAuthorizations: async () => [authz(1, false), authz(2, true)],
    challengeResponse: async (c) => ({ type: 'dns-01', txtValue: `value-${c.token}` }),
    acceptChallenge: async (c) => {
      log.push(`accept ${c.token}`);
      return c;
    },
    waitForAuthorization: async (url) => {
      if (options.failValidation) {
        throw new AcmeProblemError({
          type: 'urn:ietf:params:acme:error:unauthorized',
          detail: 'Correct value not found',
        });
      }
      log.push(`valid ${url}`);
      return authz(1, false);
    },
    waitForOrder: async () => ({ ...order, status: 'valid', certificate: 'https://ca/cert/1' }),
    finalize: async (o) => {
      log.push('finalize');
      return o;
    },
    downloadCertificate: async () => 'CHAIN',
  };
}

function fakeDns(log: string[], propagated: () => boolean): { provider: DnsProvider; resolver: Resolver } {
  const provider: DnsProvider = {
    name: 'fake',
    present: async (records: readonly TxtRecord[]): Promise<Presentation> => {
      log.push(`present ${records.map((r) => `${r.fqdn}=${r.value}`).join(',')}`);
      return { provider: 'fake', zones: [{ zone: 'example.test', records }] };
    },
    cleanup: async (p) => {
      log.push(`cleanup ${p.zones[0]?.records.length}`);
    },
  };
  const resolver = {
    followCnames: async (fqdn: string) => fqdn,
    checkPropagation: async (records: readonly TxtRecord[]) =>
      propagated()
        ? { ready: true, pending: [] }
        : { ready: false, pending: records.map((r) => ({ ...r, server: '127.0.0.1:53' })) },
  } as unknown as Resolver;
  return { provider, resolver };
}

const keys: CertificateKeyFactory = {
  generateKey: async () => redact('KEY'),
  createCsr: async () => 'CSR',
};

function fakeClock(): Clock & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

const request = {
  identifiers: order.identifiers,
  challenge: 'dns-01',
  keyType: 'ec-p256',
} as const;

describe('obtainCertificate', () => {
  it('presents every value in one call, waits for propagation, validates, cleans up, then finalizes', async () => {
    const log: string[] = [];
    let checks = 0;
    const steps: string[] = [];
    const result = await obtainCertificate(request, {
      acme: fakeAcme(log),
      keys,
      clock: fakeClock(),
      dns: fakeDns(log, () => ++checks > 2),
      onEvent: (e) => steps.push(e.step),
    });
    expect(result.chainPem).toBe('CHAIN');
    expect(log).toEqual([
      'newOrder',
      'present _acme-challenge.example.test=value-t1,_acme-challenge.example.test=value-t2',
      'accept t1',
      'accept t2',
      'valid https://ca/authz/1',
      'valid https://ca/authz/2',
      'cleanup 2',
      'finalize',
    ]);
    expect(steps).toContain(IssuanceStep.PropagationPending);
    expect(steps.indexOf(IssuanceStep.Propagated)).toBeLessThan(steps.indexOf(IssuanceStep.ChallengesAccepted));
  });

  it('cleans up and surfaces the problem type when validation fails', async () => {
    const log: string[] = [];
    const run = obtainCertificate(request, {
      acme: fakeAcme(log, { failValidation: true }),
      keys,
      clock: fakeClock(),
      dns: fakeDns(log, () => true),
    });
    await expect(run).rejects.toThrow('urn:ietf:params:acme:error:unauthorized: Correct value not found');
    expect(log).toContain('cleanup 2');
    expect(log).not.toContain('finalize');
  });

  it('cleans up and gives a retryable time-out when the records never propagate', async () => {
    const log: string[] = [];
    const clock = fakeClock();
    const run = obtainCertificate(request, {
      acme: fakeAcme(log),
      keys,
      clock,
      dns: fakeDns(log, () => false),
      propagation: { timeoutMs: 5_000, intervalMs: 1_000 },
    });
    await expect(run).rejects.toMatchObject({ code: 'Timeout', retryable: true });
    expect(log.at(-1)).toBe('cleanup 2');
    expect(clock.slept).toBe(5_000);
  });

  it('refuses dns-01 without a DNS provider before any call to the CA', async () => {
    const log: string[] = [];
    await expect(obtainCertificate(request, { acme: fakeAcme(log), keys, clock: fakeClock() })).rejects.toThrow(
      'challenge: dns-01 needs a DNS provider',
    );
    expect(log).toEqual([]);
  });
});

describe('waiting for the provider to commit', () => {
  it('backs off between commit checks (×2 up to 8 s) so a pending Route53 change costs few GetChange calls', async () => {
    const log: string[] = [];
    const clock = fakeClock();
    const sleeps: number[] = [];
    const sleep = clock.sleep;
    clock.sleep = async (ms: number) => {
      sleeps.push(ms);
      await sleep(ms);
    };
    const dns = fakeDns(log, () => true);
    let checks = 0;
    const provider = { ...dns.provider, isCommitted: async () => ++checks > 7 };
    await obtainCertificate(request, { acme: fakeAcme(log), keys, clock, dns: { provider, resolver: dns.resolver } });
    expect(checks).toBe(8);
    expect(sleeps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });
});
