import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatShellExports, LocalStackEnv, renderStackEnv } from './env.js';
import type { LocalStackState } from './stack-state.js';

const state: LocalStackState = {
  version: 1,
  dir: '/tmp/portcullis-x',
  detached: true,
  startedAt: '2026-01-01T00:00:00Z',
  children: [],
  bind: {
    host: '127.0.0.1',
    port: 15353,
    zones: ['example.test', 'delegated.test'],
    tsig: { name: 'portcullis-local', algorithm: 'hmac-sha256', secret: 'c2VjcmV0' },
  },
  pebble: {
    directoryUrl: 'https://127.0.0.1:14000/dir',
    managementUrl: 'https://127.0.0.1:15000',
    listenerCaFile: '/tmp/portcullis-x/listener-ca.pem',
    httpPort: 5002,
    tlsPort: 5001,
    rootCount: 1,
    eab: [{ kid: 'kid-1', hmacKey: 'bWFj' }],
  },
  moto: { endpoint: 'http://127.0.0.1:5000', region: 'us-east-1' },
};

describe('renderStackEnv', () => {
  const env = renderStackEnv(state, '/repo/.tmp/local-stack/state.json');
  const cases: Record<string, [string, string]> = {
    'names the ACME directory': [LocalStackEnv.AcmeDirectory, 'https://127.0.0.1:14000/dir'],
    'names the listener CA file': [LocalStackEnv.AcmeCaFile, '/tmp/portcullis-x/listener-ca.pem'],
    'gives bind9 as host:port': [LocalStackEnv.Rfc2136Server, '127.0.0.1:15353'],
    'gives the TSIG key name': [LocalStackEnv.Rfc2136TsigName, 'portcullis-local'],
    'gives the TSIG algorithm': [LocalStackEnv.Rfc2136TsigAlgorithm, 'hmac-sha256'],
    'gives the TSIG secret': [LocalStackEnv.Rfc2136TsigSecret, 'c2VjcmV0'],
    'lists the zones comma-separated': [LocalStackEnv.DnsZones, 'example.test,delegated.test'],
    'gives the moto endpoint': [LocalStackEnv.AwsEndpoint, 'http://127.0.0.1:5000'],
    'gives the HTTP-01 port': [LocalStackEnv.Http01Port, '5002'],
    'gives the first EAB kid': [LocalStackEnv.AcmeEabKid, 'kid-1'],
    'points at the state file of a detached stack': [LocalStackEnv.LocalState, '/repo/.tmp/local-stack/state.json'],
  };
  it.each(Object.entries(cases))('%s', (_name, [variable, value]) => {
    expect(env[variable]).toBe(value);
  });

  it('leaves out moto, EAB and the state file when the stack has none of them', () => {
    const { moto: _moto, ...withoutMoto } = state;
    const { eab: _eab, ...pebbleWithoutEab } = state.pebble;
    const plain = renderStackEnv({ ...withoutMoto, pebble: pebbleWithoutEab });
    expect(Object.keys(plain)).not.toContain(LocalStackEnv.AwsEndpoint);
    expect(Object.keys(plain)).not.toContain(LocalStackEnv.AcmeEabKid);
    expect(Object.keys(plain)).not.toContain(LocalStackEnv.LocalState);
  });
});

describe('formatShellExports', () => {
  it('prints lines that a shell evaluates back to the same values', () => {
    const env = { PORTCULLIS_B: "it's $HOME `x`", PORTCULLIS_A: 'plain' };
    const script = `${formatShellExports(env)}\nprintf '%s\\n' "$PORTCULLIS_A" "$PORTCULLIS_B"`;
    expect(execFileSync('sh', ['-c', script]).toString()).toBe("plain\nit's $HOME `x`\n");
  });
});
