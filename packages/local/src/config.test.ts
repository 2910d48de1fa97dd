import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderNamedConf, renderPebbleConfig, renderPebbleEnv, renderZoneFile, zoneFileName } from './config.js';

const tsig = {
  name: 'portcullis-local',
  algorithm: 'hmac-sha256' as const,
  secret: Buffer.alloc(32, 1).toString('base64'),
};
const dir = mkdtempSync(join(tmpdir(), 'portcullis-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderNamedConf', () => {
  const conf = renderNamedConf({ dir, port: 15353, zones: ['example.test', 'delegated.test'], tsig });
  const cases: Record<string, string> = {
    'listens on loopback at the given port only': 'listen-on port 15353 { 127.0.0.1; };',
    'never listens on IPv6': 'listen-on-v6 { none; };',
    'is authoritative only': 'recursion no;',
    'declares the TSIG key with its algorithm': `key "portcullis-local" {\n  algorithm hmac-sha256;\n  secret "${tsig.secret}";`,
    'uses absolute zone file paths': `file "${dir}/example.test.zone";`,
    'keeps the journal in the run dir': `journal "${dir}/delegated.test.jnl";`,
    'lets the key update TXT, A, AAAA, CNAME and CAA below the apex':
      'grant portcullis-local wildcard *.example.test. TXT A AAAA CNAME CAA;',
    'lets the key update everything but CNAME at the apex':
      'grant portcullis-local name delegated.test. TXT A AAAA CAA;',
    'disables the control channel': 'controls { };',
    'writes no pid file': 'pid-file none;',
  };
  it.each(Object.entries(cases))('%s', (_name, expected) => {
    expect(conf).toContain(expected);
  });

  it('is accepted by named-checkconf', () => {
    const file = join(dir, 'named.conf');
    writeFileSync(file, conf);
    for (const zone of ['example.test', 'delegated.test'])
      writeFileSync(join(dir, zoneFileName(zone)), renderZoneFile(zone));
    // -z also loads every zone, so the zone files are checked together with the config.
    expect(() => execFileSync('named-checkconf', ['-z', file], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('renderZoneFile', () => {
  const zone = renderZoneFile('example.test', 7);
  const cases: Record<string, string> = {
    'sets a 60 second TTL': '$TTL 60',
    'names ns1 in the SOA with the given serial': '@ IN SOA ns1.example.test. hostmaster.example.test. ( 7 ',
    'delegates to ns1': '@ IN NS ns1.example.test.',
    'gives ns1 a loopback address': 'ns1 IN A 127.0.0.1',
    'gives the apex a loopback address': '@ IN A 127.0.0.1',
    'resolves every other name through a wildcard': '* IN A 127.0.0.1',
  };
  it.each(Object.entries(cases))('%s', (_name, expected) => {
    expect(zone).toContain(expected);
  });

  it('is accepted by named-checkzone', () => {
    const file = join(dir, 'check.zone');
    writeFileSync(file, zone);
    expect(execFileSync('named-checkzone', ['example.test', file]).toString()).toContain('OK');
  });
});

describe('renderPebbleConfig', () => {
  const base = {
    acmePort: 14000,
    managementPort: 15000,
    certificateFile: '/run/cert.pem',
    privateKeyFile: '/run/key.pem',
    httpPort: 5002,
    tlsPort: 5001,
  };
  const cases: Record<string, { input: Parameters<typeof renderPebbleConfig>[0]; want: Record<string, unknown> }> = {
    'listens on loopback and points the VA at the given ports': {
      input: base,
      want: {
        listenAddress: '127.0.0.1:14000',
        managementListenAddress: '127.0.0.1:15000',
        httpPort: 5002,
        tlsPort: 5001,
        externalAccountBindingRequired: false,
      },
    },
    'requires EAB and lists the MAC keys when keys are given': {
      input: { ...base, eabKeys: { 'kid-1': 'bWFj' } },
      want: { externalAccountBindingRequired: true, externalAccountMACKeys: { 'kid-1': 'bWFj' } },
    },
    'sets the certificate validity period when asked': {
      input: { ...base, validitySeconds: 30 },
      want: { certificateValidityPeriod: 30 },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    const { pebble } = JSON.parse(renderPebbleConfig(input)) as { pebble: Record<string, unknown> };
    expect(pebble).toMatchObject(want);
  });

  it('leaves out the validity period and MAC keys when not asked', () => {
    const { pebble } = JSON.parse(renderPebbleConfig(base)) as { pebble: Record<string, unknown> };
    expect(pebble).not.toHaveProperty('certificateValidityPeriod');
    expect(pebble).not.toHaveProperty('externalAccountMACKeys');
  });
});

describe('renderPebbleEnv', () => {
  const cases: Record<string, { input: Parameters<typeof renderPebbleEnv>[0]; want: Record<string, string> }> = {
    'never sleeps, never reuses authorizations and rejects no nonces by default': {
      input: {},
      want: { PEBBLE_VA_NOSLEEP: '1', PEBBLE_AUTHZREUSE: '0', PEBBLE_WFE_NONCEREJECT: '0' },
    },
    'passes nonce rejection, alternate roots and chain length through': {
      input: { nonceRejectPercent: 50, alternateRoots: 2, chainLength: 3 },
      want: {
        PEBBLE_VA_NOSLEEP: '1',
        PEBBLE_AUTHZREUSE: '0',
        PEBBLE_WFE_NONCEREJECT: '50',
        PEBBLE_ALTERNATE_ROOTS: '2',
        PEBBLE_CHAIN_LENGTH: '3',
      },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    expect(renderPebbleEnv(input)).toEqual(want);
  });
});
