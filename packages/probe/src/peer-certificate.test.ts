import { describe, expect, it } from 'vitest';
import { issuerCommonName, namesOfSubjectAltName, serverNameFor } from './peer-certificate.js';

describe('serverNameFor', () => {
  it.each([
    ['a host name is its own server name', 'www.example.test', undefined, 'www.example.test'],
    ['an explicit server name wins over the host', '10.0.0.7', 'api.example.test', 'api.example.test'],
    ['an IPv4 literal sends no SNI', '127.0.0.1', undefined, undefined],
    ['an IPv6 literal sends no SNI', '::1', undefined, undefined],
    ['a bracketed IPv6 literal sends no SNI', '[::1]', undefined, undefined],
    ['an explicit IP server name sends no SNI either', 'www.example.test', '192.0.2.1', undefined],
    ['a trailing dot is dropped', 'www.example.test.', undefined, 'www.example.test'],
  ])('%s', (_name, host, serverName, expected) => {
    expect(serverNameFor(host, serverName)).toBe(expected);
  });
});

describe('namesOfSubjectAltName', () => {
  it.each([
    ['no extension gives no names', undefined, []],
    ['DNS names in order', 'DNS:a.example.test, DNS:*.b.example.test', ['a.example.test', '*.b.example.test']],
    [
      'IP addresses too, other kinds skipped',
      'DNS:a.test, IP Address:127.0.0.1, email:x@a.test',
      ['a.test', '127.0.0.1'],
    ],
    ['a quoted entry with a comma is read back', 'DNS:"odd,name.test", DNS:b.test', ['odd,name.test', 'b.test']],
  ])('%s', (_name, input, expected) => {
    expect(namesOfSubjectAltName(input)).toEqual(expected);
  });
});

describe('issuerCommonName', () => {
  it.each([
    ['the CN line of an issuer', "C=US\nO=Let's Encrypt\nCN=R11", 'R11'],
    ['the whole issuer when it has no CN', 'C=US\nO=Example', 'C=US, O=Example'],
  ])('%s', (_name, issuer, expected) => {
    expect(issuerCommonName(issuer)).toBe(expected);
  });
});
