import { readFileSync } from 'node:fs';
import { ValidationError } from '@portcullis/core';
import { TenantDirectory } from '@portcullis/functions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULES, parseInfraConfig } from './config.js';
import { configInput } from './fixtures.js';

describe('parseInfraConfig', () => {
  it('applies the defaults to a minimal route53 configuration', () => {
    const parsed = parseInfraConfig('prod', configInput());
    expect(parsed).toMatchObject({
      stage: 'prod',
      partition: 'aws',
      targetRegions: [],
      acm: { certificateArns: [], allowNewImports: true },
      secrets: { prefix: 'portcullis/prod/', exportPrefixes: [], kmsKeyArns: [] },
      schedules: DEFAULT_SCHEDULES,
      kubernetesClusters: false,
      metricsNamespace: 'Portcullis',
      route53: { zones: [{ name: 'example.com', hostedZoneId: 'Z0123456789ABC' }], discoverZones: false },
    });
  });

  it('accepts the documented example stage, whose tenants the API accepts too', () => {
    const example = JSON.parse(readFileSync(new URL('../stages/example.json', import.meta.url), 'utf8')) as unknown;
    const parsed = parseInfraConfig('example', example);
    expect(parsed.route53?.delegatedRecordNames).toEqual(['*.acme.example.net']);
    expect(() => new TenantDirectory(parsed.tenants)).not.toThrow();
  });

  it('accepts /hostedzone/ ids and strips the prefix', () => {
    const parsed = parseInfraConfig(
      'prod',
      configInput({ route53: { zones: [{ name: 'example.com', hostedZoneId: '/hostedzone/Z9' }] } }),
    );
    expect(parsed.route53?.zones[0]?.hostedZoneId).toBe('Z9');
  });

  it('keeps first imports off by default when certificate ARNs are known', () => {
    const arn = 'arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012';
    expect(parseInfraConfig('prod', configInput({ acm: { certificateArns: [arn] } })).acm).toEqual({
      certificateArns: [arn],
      allowNewImports: false,
    });
  });

  const zone = { name: 'example.com', hostedZoneId: 'Z1' };
  const invalid: Record<string, { stage?: string; input: Record<string, unknown>; field: string; rule: string }> = {
    'refuses an unknown top-level key': { input: configInput({ zones: [] }), field: 'config.zones', rule: 'unknown' },
    'refuses a stage with capitals': { stage: 'Prod', input: configInput(), field: 'stage', rule: 'stage' },
    'needs route53 zones for the route53 provider': {
      input: configInput({ route53: undefined }),
      field: 'route53',
      rule: 'required',
    },
    'needs at least one zone': {
      input: configInput({ route53: { zones: [] } }),
      field: 'route53.zones',
      rule: 'required',
    },
    'needs a hosted zone id on every zone': {
      input: configInput({ route53: { zones: [{ name: 'example.com' }] } }),
      field: 'route53.zones[0].hostedZoneId',
      rule: 'hosted-zone-id',
    },
    'refuses a zone name with a trailing dot': {
      input: configInput({ route53: { zones: [{ name: 'example.com.', hostedZoneId: 'Z1' }] } }),
      field: 'route53.zones[0].name',
      rule: 'dns-name',
    },
    'refuses a zone listed twice': {
      input: configInput({ route53: { zones: [zone, zone] } }),
      field: 'route53.zones[1].name',
      rule: 'duplicate',
    },
    'refuses a role ARN that is not a role': {
      input: configInput({ route53: { zones: [zone], roleArn: 'arn:aws:iam::111122223333:user/dns' } }),
      field: 'route53.roleArn',
      rule: 'role-arn',
    },
    'refuses an ExternalId without a role': {
      input: configInput({ route53: { zones: [zone], externalId: 'abc123' } }),
      field: 'route53.externalId',
      rule: 'needs-role',
    },
    'refuses a delegated name outside every zone': {
      input: configInput({ route53: { zones: [zone], delegatedRecordNames: ['*.acme.example.net'] } }),
      field: 'route53.delegatedRecordNames[0]',
      rule: 'in-zone',
    },
    'refuses a route53 section with the rfc2136 provider': {
      input: configInput({ dns: { provider: 'rfc2136', resolvers: ['10.0.0.2:53'] } }),
      field: 'route53',
      rule: 'unused',
    },
    'needs a resolver': {
      input: configInput({ dns: { provider: 'route53', resolvers: [] } }),
      field: 'dns.resolvers',
      rule: 'required',
    },
    'refuses a resolver without a port': {
      input: configInput({ dns: { provider: 'route53', resolvers: ['1.1.1.1'] } }),
      field: 'dns.resolvers[0]',
      rule: 'host-port',
    },
    'refuses a secret prefix that does not end in a slash': {
      input: configInput({ secrets: { prefix: 'portcullis' } }),
      field: 'secrets.prefix',
      rule: 'secret-prefix',
    },
    'refuses an export prefix overlapping the portcullis prefix': {
      input: configInput({ secrets: { prefix: 'portcullis/', exportPrefixes: ['portcullis/exports/'] } }),
      field: 'secrets.exportPrefixes[0]',
      rule: 'disjoint',
    },
    'refuses a malformed ACM ARN': {
      input: configInput({ acm: { certificateArns: ['arn:aws:acm:eu-west-1:111122223333:certificate/x'] } }),
      field: 'acm.certificateArns[0]',
      rule: 'acm-arn',
    },
    'refuses a KMS alias instead of a key ARN': {
      input: configInput({ secrets: { kmsKeyArns: ['alias/portcullis'] } }),
      field: 'secrets.kmsKeyArns[0]',
      rule: 'kms-key-arn',
    },
    'refuses a bad target region': {
      input: configInput({ targetRegions: ['europe'] }),
      field: 'targetRegions[0]',
      rule: 'region',
    },
    'refuses a one-off at() schedule': {
      input: configInput({ schedules: { plan: 'at(2026-01-01T00:00:00)' } }),
      field: 'schedules.plan',
      rule: 'schedule',
    },
    'refuses rate(1 minutes) (EventBridge wants the singular)': {
      input: configInput({ schedules: { monitor: 'rate(1 minutes)' } }),
      field: 'schedules.monitor',
      rule: 'schedule',
    },
    'needs the tenants': { input: configInput({ tenants: undefined }), field: 'tenants', rule: 'required' },
    'refuses an http runbook link': {
      input: configInput({ alerts: { runbookBaseUrl: 'http://example.com' } }),
      field: 'alerts.runbookBaseUrl',
      rule: 'https-url',
    },
    'refuses an unknown partition': { input: configInput({ partition: 'aws-eu' }), field: 'partition', rule: 'one-of' },
  };
  it.each(Object.entries(invalid))('%s', (_name, { stage, input, field, rule }) => {
    const clean = JSON.parse(JSON.stringify(input)) as unknown;
    let error: unknown;
    try {
      parseInfraConfig(stage ?? 'prod', clean);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field, rule });
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  });
});
