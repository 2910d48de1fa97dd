import { AcmeEnv } from '@portcullis/acme';
import { ROUTE53_ENV } from '@portcullis/dns';
import { ApiEnv, apiDependenciesFromEnv, buildWiring, FunctionsEnv } from '@portcullis/functions';
import { describe, expect, it } from 'vitest';
import { type DeployedValues, ForeignEnv, functionEnvironment, issuerId } from './environment.js';
import { config } from './fixtures.js';
import { FUNCTION_KEYS, type FunctionKey, tableNames } from './resources.js';

const VALUES: DeployedValues<string> = {
  region: 'eu-west-1',
  tableNames: tableNames('portcullis', 'prod'),
  reconcileQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/portcullis-prod-ReconcileQueue',
  deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/portcullis-prod-ReconcileDeadLetterQueue',
  alertTopicArn: 'arn:aws:sns:eu-west-1:111122223333:portcullis-prod-Alerts',
  eventBusName: 'portcullis-prod-Events',
};

/** What Lambda itself sets (the SDK reads the region from it). */
const LAMBDA_ENV = { AWS_REGION: 'eu-west-1' };

describe('ForeignEnv', () => {
  const owners: Record<string, { ours: string; theirs: string }> = {
    'dns provider': { ours: ForeignEnv.DnsProvider, theirs: FunctionsEnv.DnsProvider },
    'dns resolvers': { ours: ForeignEnv.DnsResolvers, theirs: FunctionsEnv.DnsResolvers },
    'issuer id': { ours: ForeignEnv.IssuerId, theirs: FunctionsEnv.IssuerId },
    'account key prefix': { ours: ForeignEnv.AccountKeyPrefix, theirs: FunctionsEnv.AccountKeyPrefix },
    'certificate prefix': { ours: ForeignEnv.CertificatePrefix, theirs: FunctionsEnv.CertificatePrefix },
    'acme issuer': { ours: ForeignEnv.AcmeIssuer, theirs: AcmeEnv.Issuer },
    'acme email': { ours: ForeignEnv.AcmeEmail, theirs: AcmeEnv.Email },
    'acme eab kid': { ours: ForeignEnv.AcmeEabKid, theirs: AcmeEnv.EabKid },
    'acme eab hmac key': { ours: ForeignEnv.AcmeEabHmacKey, theirs: AcmeEnv.EabHmacKey },
    'route53 zones': { ours: ForeignEnv.Route53Zones, theirs: ROUTE53_ENV.zones },
    'route53 role': { ours: ForeignEnv.Route53RoleArn, theirs: ROUTE53_ENV.roleArn },
    'route53 external id': { ours: ForeignEnv.Route53ExternalId, theirs: ROUTE53_ENV.externalId },
    'api tenants': { ours: ForeignEnv.ApiTenants, theirs: ApiEnv.Tenants },
    'idempotency table': { ours: ForeignEnv.IdempotencyTable, theirs: ApiEnv.IdempotencyTable },
  };
  it.each(Object.entries(owners))('names the %s variable as its owner does', (_name, { ours, theirs }) => {
    expect(ours).toBe(theirs);
  });
});

describe('functionEnvironment', () => {
  const wiringFunctions: FunctionKey[] = ['worker', 'plan', 'monitor', 'acmExpiry'];

  it.each(wiringFunctions)('gives %s everything the worker wiring validates at cold start', (key) => {
    const env = { ...LAMBDA_ENV, ...functionEnvironment(key, config(), VALUES) };
    const wiring = buildWiring(env);
    try {
      expect(wiring.config).toMatchObject({
        queueUrl: VALUES.reconcileQueueUrl,
        eventBusName: VALUES.eventBusName,
        dnsProvider: 'route53',
        accountKeyPrefix: 'portcullis/prod/acme-accounts/',
        certificatePrefix: 'portcullis/prod/certificates/',
        issuerId: 'letsencrypt',
      });
    } finally {
      wiring.close();
    }
  });

  it('gives the API everything apiDependenciesFromEnv validates, and the tenants as JSON', () => {
    const env = functionEnvironment('api', config(), VALUES);
    expect(() => apiDependenciesFromEnv({ ...LAMBDA_ENV, ...env })).not.toThrow();
    expect(JSON.parse(env[ForeignEnv.ApiTenants] as string)).toEqual(config().tenants);
  });

  const presence: Record<string, { variable: string; holders: FunctionKey[] }> = {
    'only the API gets the tenants': { variable: ForeignEnv.ApiTenants, holders: ['api'] },
    'only the monitor and the ACM event handler get the alert topic': {
      variable: 'PORTCULLIS_ALERT_TOPIC_ARN',
      holders: ['monitor', 'acmExpiry'],
    },
    'only the monitor and the ACM event handler get the dead-letter queue': {
      variable: 'PORTCULLIS_DLQ_URL',
      holders: ['monitor', 'acmExpiry'],
    },
    'the API gets no ACME settings': {
      variable: ForeignEnv.AcmeIssuer,
      holders: ['worker', 'plan', 'monitor', 'acmExpiry'],
    },
    'everyone gets the alerts table': { variable: 'PORTCULLIS_TABLE_ALERTS', holders: [...FUNCTION_KEYS] },
  };
  it.each(Object.entries(presence))('%s', (_name, { variable, holders }) => {
    expect(FUNCTION_KEYS.filter((key) => variable in functionEnvironment(key, config(), VALUES))).toEqual(holders);
  });

  it('writes the route53 zones as name=id and the cross-account role when configured', () => {
    const env = functionEnvironment(
      'worker',
      config({
        route53: {
          zones: [
            { name: 'example.com', hostedZoneId: 'Z1' },
            { name: 'example.org', hostedZoneId: 'Z2' },
          ],
          roleArn: 'arn:aws:iam::444455556666:role/dns',
          externalId: 'x-123',
        },
      }),
      VALUES,
    );
    expect(env).toMatchObject({
      [ForeignEnv.Route53Zones]: 'example.com=Z1,example.org=Z2',
      [ForeignEnv.Route53RoleArn]: 'arn:aws:iam::444455556666:role/dns',
      [ForeignEnv.Route53ExternalId]: 'x-123',
    });
  });

  it('watches the deployment region and the target regions in the monitor', () => {
    const env = functionEnvironment('monitor', config({ targetRegions: ['us-east-1', 'eu-west-1'] }), VALUES);
    expect(env[ForeignEnv.MonitorRegions]).toBe('eu-west-1,us-east-1');
  });

  it('passes outputs through unresolved (the wiring hands SST outputs in)', () => {
    const marker = { output: 'queue-url' };
    const env = functionEnvironment('plan', config(), { ...VALUES, reconcileQueueUrl: marker as unknown as string });
    expect(env.PORTCULLIS_RECONCILE_QUEUE_URL).toBe(marker);
  });

  const issuers: Record<string, { issuer: string; want: string }> = {
    'a named issuer is its own id': { issuer: 'letsencrypt-staging', want: 'letsencrypt-staging' },
    'a directory URL is served as acme': { issuer: 'https://acme.example.com/directory', want: 'acme' },
  };
  it.each(Object.entries(issuers))('%s', (_name, { issuer, want }) => {
    expect(issuerId(issuer)).toBe(want);
  });
});
