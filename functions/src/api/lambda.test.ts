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
  [ApiEnv.IdempotencyTable]: 'p-idempotency',
  [ApiEnv.Tenants]: JSON.stringify({
    tenants: [{ id: 'acme', zones: ['example.com'], principals: ['111111111111'] }],
  }),
};

describe('apiDependenciesFromEnv', () => {
  it('builds every port from a complete environment (no network at construction)', () => {
    const deps = apiDependenciesFromEnv(complete);
    expect(deps.defaultIssuer).toBe('letsencrypt');
    expect(deps.caIdentities).toEqual(['letsencrypt.org']);
    expect(deps.newId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
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
