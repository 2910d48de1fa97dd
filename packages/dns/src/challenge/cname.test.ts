import { describe, expect, it } from 'vitest';
import { DnsErrorCode, DnsResolveError } from '../errors.js';
import { delegateChallengeRecords, followCnameChain } from './cname.js';

const PROBE = 'probe';

/** CNAMEs by owner; a `*.` owner matches any name below its base that has no explicit entry (RFC 4592, simplified). */
function zoneData(cnames: Record<string, string>) {
  const asked: string[] = [];
  const cnameOf = async (name: string) => {
    asked.push(name);
    if (cnames[name] !== undefined) return cnames[name];
    // Wildcard synthesis only when no explicit owner exists at or between the name and the wildcard's base.
    for (const [owner, target] of Object.entries(cnames)) {
      if (!owner.startsWith('*.')) continue;
      const base = owner.slice(2);
      if (!name.endsWith(`.${base}`)) continue;
      const between = name.slice(0, -(base.length + 1)).split('.');
      const shadowed = between.some((_, i) => Object.keys(cnames).includes(`${between.slice(i).join('.')}.${base}`));
      if (!shadowed) return target;
    }
    return undefined;
  };
  return { cnameOf, asked };
}

describe('followCnameChain', () => {
  const cases: Record<string, { cnames: Record<string, string>; start: string; want?: string; code?: string }> = {
    'returns the name itself when it has no CNAME': {
      cnames: {},
      start: '_acme-challenge.a.test',
      want: '_acme-challenge.a.test',
    },
    'follows one delegation': {
      cnames: { '_acme-challenge.a.test': 'a.acme.b.test' },
      start: '_acme-challenge.a.test',
      want: 'a.acme.b.test',
    },
    'follows a chain to its end': {
      cnames: { '_acme-challenge.a.test': 'x.b.test', 'x.b.test': 'y.c.test' },
      start: '_acme-challenge.a.test',
      want: 'y.c.test',
    },
    'accepts an explicit delegation next to a wildcard CNAME': {
      cnames: { '_acme-challenge.a.test': 'a.acme.b.test', '*.a.test': 'lb.c.test' },
      start: '_acme-challenge.a.test',
      want: 'a.acme.b.test',
    },
    'refuses a wildcard CNAME that captures _acme-challenge': {
      cnames: { '*.a.test': 'lb.c.test' },
      start: '_acme-challenge.www.a.test',
      code: DnsErrorCode.WildcardCnameCapture,
    },
    'refuses a loop': {
      cnames: { '_acme-challenge.a.test': 'x.b.test', 'x.b.test': '_acme-challenge.a.test' },
      start: '_acme-challenge.a.test',
      code: DnsErrorCode.CnameChainBroken,
    },
    'refuses a chain longer than the limit': {
      cnames: Object.fromEntries(
        Array.from({ length: 5 }, (_, i) => [i === 0 ? '_acme-challenge.a.test' : `h${i}.test`, `h${i + 1}.test`]),
      ),
      start: '_acme-challenge.a.test',
      code: DnsErrorCode.CnameChainBroken,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { cnames, start, want, code }) => {
    const { cnameOf } = zoneData(cnames);
    const result = followCnameChain(start, { cnameOf, randomLabel: () => PROBE, maxHops: 3 });
    if (code === undefined) await expect(result).resolves.toBe(want);
    else {
      await expect(result).rejects.toBeInstanceOf(DnsResolveError);
      await expect(result).rejects.toMatchObject({ code, fqdn: start });
    }
  });

  it('probes a random label below the challenge name, not a sibling', async () => {
    const { cnameOf, asked } = zoneData({ '_acme-challenge.a.test': 'a.acme.b.test' });
    await followCnameChain('_acme-challenge.a.test', { cnameOf, randomLabel: () => PROBE, maxHops: 3 });
    expect(asked).toContain(`${PROBE}._acme-challenge.a.test`);
  });
});

describe('delegateChallengeRecords', () => {
  it('rewrites each record to its chain end, asking once per name', async () => {
    const asked: string[] = [];
    const resolver = {
      followCnames: async (fqdn: string) => {
        asked.push(fqdn);
        return fqdn === '_acme-challenge.a.test' ? 'a.acme.b.test' : fqdn;
      },
    };
    const records = await delegateChallengeRecords(
      [
        { fqdn: '_acme-challenge.a.test', value: 'apex' },
        { fqdn: '_acme-challenge.A.test.', value: 'wildcard' },
        { fqdn: '_acme-challenge.c.test', value: 'other' },
      ],
      resolver,
    );
    expect(records).toEqual([
      { fqdn: 'a.acme.b.test', value: 'apex' },
      { fqdn: 'a.acme.b.test', value: 'wildcard' },
      { fqdn: '_acme-challenge.c.test', value: 'other' },
    ]);
    expect(asked).toEqual(['_acme-challenge.a.test', '_acme-challenge.c.test']);
  });
});
