import { FunctionsEnv } from '@portcullis/functions';
import { describe, expect, it } from 'vitest';
import { issuerEnv, KeyStoreKind, keyStoreKindFor, primaryIssuerId } from './account.js';
import { type CheckResult, renderChecks } from './checks.js';
import { DnsEnv, dnsSettingsFromEnv, parseServerList, writableZonesFromEnv } from './dns-settings.js';

describe('dns settings', () => {
  it("uses the functions' variable names", () => {
    expect(DnsEnv.DnsResolvers).toBe(FunctionsEnv.DnsResolvers);
    expect(DnsEnv.DnsNameserverPort).toBe(FunctionsEnv.DnsNameserverPort);
  });

  it('reads resolvers and the name server port as the functions do', () => {
    const settings = dnsSettingsFromEnv({
      PORTCULLIS_DNS_RESOLVERS: '127.0.0.1:5301,[::1]:5302',
      PORTCULLIS_DNS_NAMESERVER_PORT: '5301',
    });
    expect(settings.resolver).toEqual({
      servers: [
        { host: '127.0.0.1', port: 5301 },
        { host: '::1', port: 5302 },
      ],
      nameserverPort: 5301,
    });
  });

  it.each([['10.0.0.2'], ['10.0.0.2:70000'], ['a b:53']])('refuses the resolver %s naming the variable', (raw) => {
    expect(() => parseServerList(raw, 'PORTCULLIS_DNS_RESOLVERS')).toThrow(/^PORTCULLIS_DNS_RESOLVERS: /);
  });

  it('collects the zones Portcullis updates from every provider list', () => {
    expect(
      writableZonesFromEnv({
        PORTCULLIS_RFC2136_ZONES: 'Example.test.',
        PORTCULLIS_ROUTE53_ZONES: 'aws.test=Z123,example.test',
      }),
    ).toEqual(['aws.test', 'example.test']);
    expect(writableZonesFromEnv({})).toBeUndefined();
  });
});

describe('account settings', () => {
  const cases: Record<string, { env: Record<string, string>; want: string }> = {
    'takes PORTCULLIS_ISSUER_ID first': {
      env: { PORTCULLIS_ISSUER_ID: 'main', PORTCULLIS_ACME_ISSUER: 'zerossl' },
      want: 'main',
    },
    'names a named issuer by its name': { env: { PORTCULLIS_ACME_ISSUER: 'zerossl' }, want: 'zerossl' },
    'calls a directory URL issuer "acme"': { env: { PORTCULLIS_ACME_ISSUER: 'https://ca.example/dir' }, want: 'acme' },
    'calls a bare directory (local mode) "pebble"': {
      env: { PORTCULLIS_ACME_DIRECTORY: 'https://127.0.0.1:14000/dir' },
      want: 'pebble',
    },
    'defaults to letsencrypt-staging': { env: {}, want: 'letsencrypt-staging' },
  };
  it.each(Object.entries(cases))('primary issuer id %s', (_name, { env, want }) => {
    expect(primaryIssuerId(env)).toBe(want);
  });

  it("overlays an extra issuer's own issuer and binding, without the primary's directory", () => {
    const env = {
      PORTCULLIS_ACME_DIRECTORY: 'https://127.0.0.1:14000/dir',
      PORTCULLIS_ACME_ISSUERS: 'backup-ca=zerossl',
      PORTCULLIS_ACME_EAB_KID_BACKUP_CA: 'kid-1',
      PORTCULLIS_ACME_EAB_HMAC_KEY_BACKUP_CA: 'hmac-1',
    };
    expect(issuerEnv(env, 'backup-ca').env).toMatchObject({
      PORTCULLIS_ACME_ISSUER: 'zerossl',
      PORTCULLIS_ACME_DIRECTORY: undefined,
      PORTCULLIS_ACME_EAB_KID: 'kid-1',
      PORTCULLIS_ACME_EAB_HMAC_KEY: 'hmac-1',
    });
    expect(issuerEnv(env).id).toBe('pebble');
  });

  it.each([
    [{ PORTCULLIS_AWS_ENDPOINT: 'http://127.0.0.1:5000' }, KeyStoreKind.SecretsManager],
    [{ PORTCULLIS_ACCOUNT_KEY_PREFIX: 'p/' }, KeyStoreKind.SecretsManager],
    [{ AWS_REGION: 'eu-west-1' }, KeyStoreKind.File],
  ])('chooses the key store for %o: %s', (env, want) => {
    expect(keyStoreKindFor(env)).toBe(want);
    expect(keyStoreKindFor(env, KeyStoreKind.File)).toBe(KeyStoreKind.File);
  });
});

describe('renderChecks', () => {
  it('aligns the names and shows fix hints only under failures and warnings', () => {
    const checks: CheckResult[] = [
      { check: 'zone', status: 'pass', message: 'found', hint: 'not shown' },
      { check: 'caa', status: 'fail', message: 'forbidden', hint: 'add a record' },
      { check: 'http-01', status: 'skip', message: 'not used' },
    ];
    expect(renderChecks(checks)).toBe(
      ['✔ zone     found', '✖ caa      forbidden', '           fix: add a record', '- http-01  not used'].join('\n'),
    );
  });
});
