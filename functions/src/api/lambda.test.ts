import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { ApiEnv, apiDependenciesFromEnv } from './lambda.js';

const complete: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  PORTCULLIS_RECONCILE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/reconcile',
  PORTCULLIS_DNS_RESOLVERS: '10.0.0.2:53',
  PORTCULLIS_TABLE_CERTIFICATES: 'p-certificates',
  PORTCULLIS_TABLE_ORDERS: 'p-orders',
  PORTCULLIS_TABLE_LEDGER: 'p-ledger',
  PORTCULLIS_TABLE_EVENTS: 'p-events',
  PORTCULLIS_TABLE_ALERTS: 'p-alerts',
  [ApiEnv.IdempotencyTable]: 'p-idempotency',
  [ApiEnv.Tenants]: JSON.stringify({
    tenants: [{ id: 'acme', zones: ['example.com'], principals: ['111111111111'] }],
  }),
};

describe('apiDependenciesFromEnv', () => {
  it('builds every port from a complete environment (no network at construction)', () => {
    const deps = apiDependenciesFromEnv(complete);
    // What the worker's wiring serves when no issuer is configured (the ACME client's default).
    expect(deps.defaultIssuer).toBe('letsencrypt-staging');
    expect(deps.issuers).toEqual(['letsencrypt-staging']);
    expect(deps.caIdentities).toEqual(['letsencrypt.org']);
    expect(deps.newId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  const issuerCases: Record<string, { env: Record<string, string>; issuers: string[] }> = {
    'serves the named ACME issuer': { env: { PORTCULLIS_ACME_ISSUER: 'letsencrypt' }, issuers: ['letsencrypt'] },
    'lets PORTCULLIS_ISSUER_ID name the primary issuer': {
      env: { PORTCULLIS_ACME_DIRECTORY: 'https://127.0.0.1:14000/dir', PORTCULLIS_ISSUER_ID: 'local' },
      issuers: ['local'],
    },
    'names a bare directory pebble, as the worker does': {
      env: { PORTCULLIS_ACME_DIRECTORY: 'https://127.0.0.1:14000/dir' },
      issuers: ['pebble'],
    },
    'adds the issuers of PORTCULLIS_ACME_ISSUERS after the primary one': {
      env: {
        PORTCULLIS_ACME_ISSUER: 'letsencrypt',
        PORTCULLIS_ACME_ISSUERS: 'zerossl=zerossl, backup=https://ca.example/acme/directory',
      },
      issuers: ['letsencrypt', 'zerossl', 'backup'],
    },
  };
  it.each(Object.entries(issuerCases))('%s', (_name, { env, issuers }) => {
    const deps = apiDependenciesFromEnv({ ...complete, ...env });
    expect({ defaultIssuer: deps.defaultIssuer, issuers: deps.issuers }).toEqual({
      defaultIssuer: issuers[0],
      issuers,
    });
  });

  const cases: Record<string, { env: Record<string, string>; field: string; rule: string }> = {
    'refuses a missing tenant config': {
      env: { ...complete, [ApiEnv.Tenants]: '' },
      field: ApiEnv.Tenants,
      rule: 'required',
    },
    'refuses a tenant config that is not JSON': {
      env: { ...complete, [ApiEnv.Tenants]: '{tenants' },
      field: ApiEnv.Tenants,
      rule: 'json',
    },
    'refuses a missing idempotency table': {
      env: { ...complete, [ApiEnv.IdempotencyTable]: ' ' },
      field: ApiEnv.IdempotencyTable,
      rule: 'required',
    },
    'refuses an extra issuer reusing the primary issuer’s id': {
      env: { ...complete, PORTCULLIS_ACME_ISSUERS: 'letsencrypt-staging=letsencrypt' },
      field: 'PORTCULLIS_ACME_ISSUERS',
      rule: 'unique',
    },
    'refuses an invalid tenant config': {
      env: { ...complete, [ApiEnv.Tenants]: '{"tenants":[]}' },
      field: 'tenantConfig.tenants',
      rule: 'too-small',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { env, field, rule }) => {
    let error: unknown;
    try {
      apiDependenciesFromEnv(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect({ field: (error as ValidationError).field, rule: (error as ValidationError).rule }).toEqual({ field, rule });
  });
});
