import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { DnsErrorCode, DnsUpdateError } from '../../errors.js';
import type { UpdateOperation } from '../../wire/update.js';
import { parseRfc2136Config, RFC2136_ENV, type Rfc2136Config, rfc2136ConfigFromEnv } from './config.js';
import { Rfc2136Provider } from './provider.js';

const SECRET = randomBytes(32).toString('base64');
const config: Rfc2136Config = {
  server: { host: '127.0.0.1', port: 5353 },
  tsig: { name: 'portcullis-key', algorithm: 'hmac-sha256', secret: SECRET },
  zones: ['example.test', 'sub.example.test', 'delegated.test'],
};

describe('parseRfc2136Config', () => {
  const cases: Record<string, { input: unknown; field: string; rule: string }> = {
    'refuses an unknown key': { input: { ...config, zone: 'x' }, field: 'rfc2136.zone', rule: 'unknown-key' },
    'refuses a missing server': { input: { ...config, server: undefined }, field: 'rfc2136.server', rule: 'server' },
    'refuses a server without port': {
      input: { ...config, server: { host: '127.0.0.1' } },
      field: 'rfc2136.server.port',
      rule: 'required',
    },
    'refuses port 0': {
      input: { ...config, server: { host: '127.0.0.1', port: 0 } },
      field: 'rfc2136.server.port',
      rule: 'integer-range',
    },
    'refuses an unknown key in server': {
      input: { ...config, server: { host: 'h', port: 53, tls: true } },
      field: 'rfc2136.server.tls',
      rule: 'unknown-key',
    },
    'refuses a bad TSIG algorithm': {
      input: { ...config, tsig: { ...config.tsig, algorithm: 'hmac-sha1' } },
      field: 'rfc2136.tsig.algorithm',
      rule: 'tsig-algorithm',
    },
    'refuses an empty zone list': { input: { ...config, zones: [] }, field: 'rfc2136.zones', rule: 'non-empty' },
    'refuses an invalid zone': { input: { ...config, zones: ['a..b'] }, field: 'rfc2136.zones[0]', rule: 'dns-name' },
    'refuses a duplicate zone': {
      input: { ...config, zones: ['a.test', 'A.test.'] },
      field: 'rfc2136.zones',
      rule: 'unique',
    },
    'refuses a TTL of 0': { input: { ...config, ttl: 0 }, field: 'rfc2136.ttl', rule: 'integer-range' },
    'refuses a fractional time-out': {
      input: { ...config, timeoutMs: 1.5 },
      field: 'rfc2136.timeoutMs',
      rule: 'integer-range',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, field, rule }) => {
    expect(() => parseRfc2136Config(input)).toThrow(ValidationError);
    try {
      parseRfc2136Config(input);
    } catch (error) {
      expect(error).toMatchObject({ field, rule });
    }
  });

  it('fills defaults and keeps the secret redacted', () => {
    const parsed = parseRfc2136Config({ server: config.server, tsig: config.tsig });
    expect(parsed).toMatchObject({ ttl: 60, timeoutMs: 3000, zones: undefined });
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
    expect(inspect(parsed)).not.toContain(SECRET);
  });
});

describe('rfc2136ConfigFromEnv', () => {
  it('reads every variable', () => {
    const read = rfc2136ConfigFromEnv({
      [RFC2136_ENV.server]: '127.0.0.1:5353',
      [RFC2136_ENV.tsigName]: 'k',
      [RFC2136_ENV.tsigAlgorithm]: 'hmac-sha512.',
      [RFC2136_ENV.tsigSecret]: SECRET,
      [RFC2136_ENV.zones]: 'example.test, delegated.test',
      [RFC2136_ENV.ttl]: '120',
      [RFC2136_ENV.timeoutMs]: '500',
    });
    expect(read).toEqual({
      server: { host: '127.0.0.1', port: 5353 },
      tsig: { name: 'k', algorithm: 'hmac-sha512', secret: SECRET },
      zones: ['example.test', 'delegated.test'],
      ttl: 120,
      timeoutMs: 500,
    });
  });

  const cases: Record<string, [Record<string, string>, unknown]> = {
    'defaults the port to 53 and the algorithm to hmac-sha256': [
      { [RFC2136_ENV.server]: 'ns.example.test', [RFC2136_ENV.tsigName]: 'k', [RFC2136_ENV.tsigSecret]: SECRET },
      { server: { host: 'ns.example.test', port: 53 }, tsig: { name: 'k', algorithm: 'hmac-sha256', secret: SECRET } },
    ],
    'reads a bracketed IPv6 server': [
      { [RFC2136_ENV.server]: '[::1]:5353', [RFC2136_ENV.tsigName]: 'k', [RFC2136_ENV.tsigSecret]: SECRET },
      { server: { host: '::1', port: 5353 }, tsig: { name: 'k', algorithm: 'hmac-sha256', secret: SECRET } },
    ],
  };
  it.each(Object.entries(cases))('%s', (_name, [env, want]) => {
    expect(rfc2136ConfigFromEnv(env)).toEqual(want);
  });

  it('names the missing variable', () => {
    expect(() => rfc2136ConfigFromEnv({ [RFC2136_ENV.server]: '127.0.0.1' })).toThrow(RFC2136_ENV.tsigName);
  });
});

/** Records the updates the provider sends; stands in for the network in these unit tests (bind9 is in test/dns). */
function recorder(fail?: (zone: string, operations: readonly UpdateOperation[]) => Error | undefined) {
  const calls: { zone: string; operations: readonly UpdateOperation[] }[] = [];
  const sendUpdate = async (_server: unknown, zone: string, _tsig: unknown, operations: readonly UpdateOperation[]) => {
    calls.push({ zone, operations });
    const error = fail?.(zone, operations);
    if (error !== undefined) throw error;
  };
  return { calls, sendUpdate };
}

const refused = (zone: string) =>
  new DnsUpdateError(DnsErrorCode.UpdateRejected, {
    server: '127.0.0.1:5353',
    zone,
    records: [],
    answer: 'REFUSED',
    rcode: 'REFUSED',
  });

describe('Rfc2136Provider', () => {
  const records = [
    { fqdn: '_acme-challenge.example.test', value: 'apex' },
    { fqdn: '_acme-challenge.example.test', value: 'wild' },
    { fqdn: '_acme-challenge.a.sub.example.test', value: 'sub' },
    { fqdn: 'x.acme.Delegated.test.', value: 'cname-target' },
    { fqdn: '_acme-challenge.example.test', value: 'apex' },
  ];

  it('sends one add per zone (longest configured suffix) and records what it wrote', async () => {
    const { calls, sendUpdate } = recorder();
    const provider = new Rfc2136Provider(config, { sendUpdate });
    const presentation = await provider.present(records);
    expect(calls.map((call) => call.zone)).toEqual(['delegated.test', 'example.test', 'sub.example.test']);
    expect(calls[1]?.operations).toEqual([
      { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: 'apex' },
      { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: 'wild' },
    ]);
    expect(presentation).toEqual({
      provider: 'rfc2136',
      zones: [
        { zone: 'delegated.test', records: [{ fqdn: 'x.acme.delegated.test', value: 'cname-target' }] },
        {
          zone: 'example.test',
          records: [
            { fqdn: '_acme-challenge.example.test', value: 'apex' },
            { fqdn: '_acme-challenge.example.test', value: 'wild' },
          ],
        },
        { zone: 'sub.example.test', records: [{ fqdn: '_acme-challenge.a.sub.example.test', value: 'sub' }] },
      ],
    });
  });

  it('cleans up by deleting exactly the recorded values, one update per zone', async () => {
    const { calls, sendUpdate } = recorder();
    const provider = new Rfc2136Provider(config, { sendUpdate });
    const presentation = await provider.present(records);
    calls.length = 0;
    await provider.cleanup(JSON.parse(JSON.stringify(presentation)));
    expect(calls).toHaveLength(3);
    expect(calls.flatMap((call) => call.operations)).toEqual([
      { op: 'delete', name: 'x.acme.delegated.test', type: 'TXT', data: 'cname-target' },
      { op: 'delete', name: '_acme-challenge.example.test', type: 'TXT', data: 'apex' },
      { op: 'delete', name: '_acme-challenge.example.test', type: 'TXT', data: 'wild' },
      { op: 'delete', name: '_acme-challenge.a.sub.example.test', type: 'TXT', data: 'sub' },
    ]);
  });

  it('discovers zones when none are configured', async () => {
    const { calls, sendUpdate } = recorder();
    const asked: string[] = [];
    const provider = new Rfc2136Provider(
      { server: config.server, tsig: config.tsig },
      {
        sendUpdate,
        findZoneName: async (fqdn) => {
          asked.push(fqdn);
          return fqdn.endsWith('delegated.test') ? 'delegated.test' : 'example.test';
        },
      },
    );
    await provider.present(records);
    expect(calls.map((call) => call.zone)).toEqual(['delegated.test', 'example.test']);
    expect(asked).toHaveLength(3); // once per distinct name
  });

  it('refuses a name outside the configured zones before sending anything', async () => {
    const { calls, sendUpdate } = recorder();
    const provider = new Rfc2136Provider(config, { sendUpdate });
    const attempt = provider.present([...records, { fqdn: '_acme-challenge.other.test', value: 'v' }]);
    await expect(attempt).rejects.toMatchObject({ field: 'records[5].fqdn', rule: 'in-configured-zone' });
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['an empty value', { fqdn: '_acme-challenge.example.test', value: '' }, 'records[0].value'],
    ['an invalid name', { fqdn: 'a..example.test', value: 'v' }, 'records[0].fqdn'],
  ])('refuses %s before sending anything', async (_name, record, field) => {
    const { calls, sendUpdate } = recorder();
    await expect(new Rfc2136Provider(config, { sendUpdate }).present([record])).rejects.toMatchObject({ field });
    expect(calls).toHaveLength(0);
  });

  it('rolls back the zones already written (and the failed one) when a zone fails', async () => {
    const { calls, sendUpdate } = recorder((zone, operations) =>
      zone === 'example.test' && operations[0]?.op === 'add' ? refused(zone) : undefined,
    );
    const provider = new Rfc2136Provider(config, { sendUpdate });
    await expect(provider.present(records)).rejects.toMatchObject({
      code: DnsErrorCode.UpdateRejected,
      zone: 'example.test',
    });
    const deletes = calls.filter((call) => call.operations[0]?.op === 'delete').map((call) => call.zone);
    expect(deletes.sort()).toEqual(['delegated.test', 'example.test']);
    expect(calls.some((call) => call.zone === 'sub.example.test')).toBe(false);
  });

  it('attempts every zone on cleanup and then reports the failure', async () => {
    const { calls, sendUpdate } = recorder((zone) => (zone === 'delegated.test' ? refused(zone) : undefined));
    const provider = new Rfc2136Provider(config, { sendUpdate });
    const presentation = {
      provider: 'rfc2136',
      zones: [
        { zone: 'delegated.test', records: [{ fqdn: 'x.delegated.test', value: 'a' }] },
        { zone: 'example.test', records: [{ fqdn: '_acme-challenge.example.test', value: 'b' }] },
      ],
    };
    await expect(provider.cleanup(presentation)).rejects.toBeInstanceOf(DnsUpdateError);
    expect(calls.map((call) => call.zone)).toEqual(['delegated.test', 'example.test']);
  });

  it("refuses another provider's presentation", async () => {
    const provider = new Rfc2136Provider(config, { sendUpdate: recorder().sendUpdate });
    await expect(provider.cleanup({ provider: 'route53', zones: [] })).rejects.toMatchObject({ rule: 'same-provider' });
  });

  it('does not print the TSIG secret', () => {
    const provider = new Rfc2136Provider(config);
    expect(inspect(provider, { depth: 10 })).not.toContain(SECRET);
    expect(JSON.stringify(provider)).not.toContain(SECRET);
  });
});
