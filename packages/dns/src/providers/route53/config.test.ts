import { Route53Client } from '@aws-sdk/client-route-53';
import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import {
  accountOf,
  ROUTE53_ENV,
  type Route53ProviderConfig,
  route53ConfigFromEnv,
  validateRoute53Config,
} from './config.js';

const client = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const ROLE = 'arn:aws:iam::210987654321:role/dns';

describe('validateRoute53Config', () => {
  it('fills the defaults and normalizes zone names and ids', () => {
    const config = validateRoute53Config({
      client,
      zones: [{ name: 'Example.Test.', hostedZoneId: '/hostedzone/Z0123ABC' }],
    });
    expect(config).toMatchObject({
      zones: [{ name: 'example.test', hostedZoneId: 'Z0123ABC' }],
      ttl: 60,
      zoneCacheTtlMs: 300_000,
      maxConflictRetries: 4,
      retry: { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 },
    });
    expect(config.clientFor(undefined)).toBe(client);
  });

  const invalid: Record<string, { config: Record<string, unknown>; field: string; rule: string }> = {
    'a missing client': { config: {}, field: 'route53.client', rule: 'required' },
    'an unknown option': { config: { client, zone: [] }, field: 'route53.zone', rule: 'unknown' },
    'an unknown zone option': {
      config: { client, zones: [{ name: 'a.test', id: 'Z1' }] },
      field: 'route53.zones[0].id',
      rule: 'unknown',
    },
    'a zone name with a space': {
      config: { client, zones: [{ name: 'a b.test' }] },
      field: 'route53.zones[0].name',
      rule: 'dns-name',
    },
    'a lower-case hosted zone id': {
      config: { client, zones: [{ name: 'a.test', hostedZoneId: 'z1' }] },
      field: 'route53.zones[0].hostedZoneId',
      rule: 'hosted-zone-id',
    },
    'a role that is not a role ARN': {
      config: { client, zones: [{ name: 'a.test', roleArn: 'dns' }] },
      field: 'route53.zones[0].roleArn',
      rule: 'role-arn',
    },
    'an ExternalId without a role': {
      config: { client, zones: [{ name: 'a.test', externalId: 'tenant-1' }] },
      field: 'route53.zones[0].externalId',
      rule: 'needs-role',
    },
    'the same zone twice': {
      config: { client, zones: [{ name: 'a.test' }, { name: 'A.test.' }] },
      field: 'route53.zones[1].name',
      rule: 'duplicate',
    },
    'a TTL of zero': { config: { client, ttl: 0 }, field: 'route53.ttl', rule: 'range' },
    'an unknown retry option': {
      config: { client, retry: { attempts: 3 } },
      field: 'route53.retry.attempts',
      rule: 'unknown',
    },
    'a retry cap under the base delay': {
      config: { client, retry: { baseDelayMs: 500, maxDelayMs: 100 } },
      field: 'route53.retry.maxDelayMs',
      rule: 'range',
    },
    'a clock without sleep': {
      config: { client, clock: { now: () => new Date() } },
      field: 'route53.clock',
      rule: 'type',
    },
  };
  it.each(Object.entries(invalid))('refuses %s', (_name, { config, field, rule }) => {
    const attempt = () => validateRoute53Config(config as unknown as Route53ProviderConfig);
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(expect.objectContaining({ field, rule }));
  });
});

describe('accountOf', () => {
  it('throttles a role zone under the role account and everything else under the default identity', () => {
    expect(accountOf({ name: 'a.test', roleArn: ROLE })).toBe('210987654321');
    expect(accountOf({ name: 'a.test' })).toBe('default');
    expect(accountOf(undefined)).toBe('default');
  });
});

describe('route53ConfigFromEnv', () => {
  const cases: Record<string, { env: Record<string, string>; want: object }> = {
    'discovers every zone when nothing is set': { env: {}, want: {} },
    'reads zones with and without hosted zone ids': {
      env: { [ROUTE53_ENV.zones]: 'example.test=Z0123, other.test', [ROUTE53_ENV.ttl]: '120' },
      want: { zones: [{ name: 'example.test', hostedZoneId: 'Z0123' }, { name: 'other.test' }], ttl: 120 },
    },
    'applies the role to every listed zone': {
      env: { [ROUTE53_ENV.zones]: 'tenant.test', [ROUTE53_ENV.roleArn]: ROLE, [ROUTE53_ENV.externalId]: 'tenant-1' },
      want: { zones: [{ name: 'tenant.test', roleArn: ROLE, externalId: 'tenant-1' }] },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { env, want }) => {
    const config = route53ConfigFromEnv(env);
    expect(config).toEqual(want);
    expect(() => validateRoute53Config({ client, ...config })).not.toThrow();
  });

  const invalid: Record<string, { env: Record<string, string>; field: string }> = {
    'a role without zones': { env: { [ROUTE53_ENV.roleArn]: ROLE }, field: ROUTE53_ENV.zones },
    'a TTL that is not a number': { env: { [ROUTE53_ENV.ttl]: '1m' }, field: ROUTE53_ENV.ttl },
  };
  it.each(Object.entries(invalid))('refuses %s', (_name, { env, field }) => {
    expect(() => route53ConfigFromEnv(env)).toThrow(expect.objectContaining({ field }));
  });
});
