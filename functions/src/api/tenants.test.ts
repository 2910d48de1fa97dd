import { ValidationError } from '@portcullis/core';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { TenantDirectory } from './tenants.js';

const config = {
  tenants: [
    {
      id: 'acme',
      zones: ['example.test', 'shop.example.org'],
      principals: ['arn:aws:iam::111111111111:role/deployer', 'arn:aws:sts::111111111111:assumed-role/ci/*'],
    },
    { id: 'globex', zones: ['globex.test'], principals: ['222222222222'] },
  ],
};

function eventOf(userArn: string | undefined): APIGatewayProxyEventV2WithIAMAuthorizer {
  const iam = userArn === undefined ? undefined : { userArn, accountId: userArn.split(':')[4] ?? '' };
  return { requestContext: { authorizer: iam === undefined ? undefined : { iam } } } as never;
}

describe('TenantDirectory.callerOf', () => {
  const cases: Record<string, { arn: string | undefined; tenant?: string; status?: number }> = {
    'maps an exact role ARN': { arn: 'arn:aws:iam::111111111111:role/deployer', tenant: 'acme' },
    'maps any session of an allowed role by prefix': {
      arn: 'arn:aws:sts::111111111111:assumed-role/ci/job-7',
      tenant: 'acme',
    },
    'maps every principal of an allowed account': { arn: 'arn:aws:iam::222222222222:user/bob', tenant: 'globex' },
    'refuses another role of a known account': { arn: 'arn:aws:iam::111111111111:role/other', status: 403 },
    'refuses a request without IAM identity': { arn: undefined, status: 401 },
  };
  it.each(Object.entries(cases))('%s', (_name, { arn, tenant, status }) => {
    const directory = new TenantDirectory(config);
    if (tenant !== undefined) {
      expect(directory.callerOf(eventOf(arn)).tenant).toBe(tenant);
      return;
    }
    const error = (() => {
      try {
        directory.callerOf(eventOf(arn));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
  });
});

describe('TenantDirectory.zoneOf', () => {
  const cases: Record<string, { name: string; want: string | undefined }> = {
    'finds the zone apex itself': { name: 'example.test', want: 'example.test' },
    'finds a name under the zone': { name: 'a.b.example.test', want: 'example.test' },
    'ignores the wildcard label': { name: '*.example.test', want: 'example.test' },
    'does not match a name that only ends like the zone': { name: 'badexample.test', want: undefined },
    'does not match the parent of a zone': { name: 'example.org', want: undefined },
    'matches a delegated sub-zone': { name: 'www.shop.example.org', want: 'shop.example.org' },
  };
  it.each(Object.entries(cases))('%s', (_name, { name, want }) => {
    expect(new TenantDirectory(config).zoneOf('acme', name)).toBe(want);
  });
});

describe('TenantDirectory.isOperator', () => {
  const withOperator = {
    tenants: [...config.tenants, { id: 'platform', zones: ['ops.test'], principals: ['333333333333'], operator: true }],
  };
  const cases: Record<string, { tenant: string; want: boolean }> = {
    'is true for a tenant marked operator': { tenant: 'platform', want: true },
    'is false for a tenant without the flag (older configs)': { tenant: 'acme', want: false },
    'is false for an unknown tenant': { tenant: 'nobody', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { tenant, want }) => {
    expect(new TenantDirectory(withOperator).isOperator(tenant)).toBe(want);
  });
});

describe('TenantDirectory construction', () => {
  const cases: Record<string, { input: unknown; field: string; rule: string }> = {
    'refuses an unknown key': { input: { ...config, extra: 1 }, field: 'tenantConfig.extra', rule: 'unknown-field' },
    'refuses a tenant without zones': {
      input: { tenants: [{ id: 'a', zones: [], principals: ['111111111111'] }] },
      field: 'tenantConfig.tenants[0].zones',
      rule: 'too-small',
    },
    'refuses an upper-case zone': {
      input: { tenants: [{ id: 'a', zones: ['Example.test'], principals: ['111111111111'] }] },
      field: 'tenantConfig.tenants[0].zones[0]',
      rule: 'pattern',
    },
    'refuses a principal that is neither an account nor an ARN': {
      input: { tenants: [{ id: 'a', zones: ['a.test'], principals: ['bob'] }] },
      field: 'tenantConfig.tenants[0].principals[0]',
      rule: 'custom',
    },
    'refuses an operator flag that is not a boolean': {
      input: { tenants: [{ id: 'a', zones: ['a.test'], principals: ['111111111111'], operator: 'yes' }] },
      field: 'tenantConfig.tenants[0].operator',
      rule: 'invalid-type',
    },
    'refuses a principal in two tenants': {
      input: {
        tenants: [
          { id: 'a', zones: ['a.test'], principals: ['111111111111'] },
          { id: 'b', zones: ['b.test'], principals: ['111111111111'] },
        ],
      },
      field: 'tenants.b.principals',
      rule: 'unique',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, field, rule }) => {
    expect(() => new TenantDirectory(input)).toThrow(ValidationError);
    try {
      new TenantDirectory(input);
    } catch (error) {
      expect({ field: (error as ValidationError).field, rule: (error as ValidationError).rule }).toEqual({
        field,
        rule,
      });
    }
  });
});
