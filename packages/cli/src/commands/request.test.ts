import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { parseEndpoint, parseTarget } from './request.js';

describe('parseTarget', () => {
  const cases = {
    'acm without a region uses the deployment region': {
      value: 'acm',
      want: { id: 'acm-0', type: 'acm', options: {} },
    },
    'acm with a region keeps it in the id': {
      value: 'acm:eu-west-1',
      want: { id: 'acm-eu-west-1', type: 'acm', options: { region: 'eu-west-1' } },
    },
    'a secret name may hold slashes and colons': {
      value: 'secrets-manager:app/tls:v2',
      want: { id: 'sm-0', type: 'secrets-manager', options: { name: 'app/tls:v2' } },
    },
  };
  for (const [name, { value, want }] of Object.entries(cases)) {
    it(name, () => expect(parseTarget(value, 0)).toEqual(want));
  }

  it('refuses an unknown type, naming the flag and the rule', () => {
    expect(() => parseTarget('ftp:x', 2)).toThrow(ValidationError);
    expect(() => parseTarget('ftp:x', 2)).toThrow(/--target\[2\].*enum|must be acm/);
  });

  it('refuses secrets-manager without a name', () => {
    expect(() => parseTarget('secrets-manager', 0)).toThrow(/needs a secret name/);
  });
});

describe('parseEndpoint', () => {
  const cases = {
    'a bare host defaults to port 443': { value: 'www.example.com', want: { host: 'www.example.com', port: 443 } },
    'a port is read': { value: '127.0.0.1:8443', want: { host: '127.0.0.1', port: 8443 } },
    'an SNI follows a slash': {
      value: 'nlb.example.net:443/www.example.com',
      want: { host: 'nlb.example.net', port: 443, serverName: 'www.example.com' },
    },
    'an IPv6 literal is bracketed': { value: '[::1]:9443', want: { host: '::1', port: 9443 } },
  };
  for (const [name, { value, want }] of Object.entries(cases)) {
    it(name, () => expect(parseEndpoint(value, 0)).toEqual(want));
  }

  it('refuses a port out of range', () => {
    expect(() => parseEndpoint('host:70000', 1)).toThrow(/--endpoint\[1\].*|not in 1\.\.65535/);
  });

  it('refuses garbage', () => {
    expect(() => parseEndpoint('a:b:c', 0)).toThrow(ValidationError);
  });
});
