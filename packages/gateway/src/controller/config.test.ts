import { describe, expect, it } from 'vitest';
import { controllerConfigFromEnv } from './config.js';

describe('controllerConfigFromEnv', () => {
  it('defaults to the Kubernetes provider on 0.0.0.0:18000 with health on 8080', () => {
    expect(controllerConfigFromEnv({})).toEqual({
      host: '0.0.0.0',
      xdsPort: 18_000,
      httpPort: 8080,
      provider: { kind: 'kubernetes' },
      addresses: [],
      proxyProtocol: false,
    });
  });

  it('reads the File provider, addresses and proxy protocol', () => {
    const config = controllerConfigFromEnv({
      PORTCULLIS_GATEWAY_MANIFESTS: '/etc/portcullis/manifests',
      PORTCULLIS_GATEWAY_ADDRESSES: '192.0.2.10, gw.example.com',
      PORTCULLIS_PROXY_PROTOCOL: 'true',
    });
    expect(config.provider).toEqual({ kind: 'file', directory: '/etc/portcullis/manifests' });
    expect(config.addresses).toEqual([
      { type: 'IPAddress', value: '192.0.2.10' },
      { type: 'Hostname', value: 'gw.example.com' },
    ]);
    expect(config.proxyProtocol).toBe(true);
  });

  const bad: Record<string, [Record<string, string>, RegExp]> = {
    'a port that is not a number': [{ PORTCULLIS_XDS_PORT: 'eighty' }, /PORTCULLIS_XDS_PORT: "eighty" is not a port/],
    'a port out of range': [{ PORTCULLIS_HTTP_PORT: '70000' }, /PORTCULLIS_HTTP_PORT/],
    'the same port twice': [{ PORTCULLIS_XDS_PORT: '9000', PORTCULLIS_HTTP_PORT: '9000' }, /must differ/],
    'a proxy protocol flag that is not a boolean': [
      { PORTCULLIS_PROXY_PROTOCOL: 'yes' },
      /PORTCULLIS_PROXY_PROTOCOL: must be true or false/,
    ],
  };
  it.each(Object.entries(bad))('refuses %s, naming the variable', (_name, [env, message]) => {
    expect(() => controllerConfigFromEnv(env)).toThrow(message);
  });
});
