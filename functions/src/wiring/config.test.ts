import { describe, expect, it } from 'vitest';
import { FunctionsEnv, readFunctionsConfig } from './config.js';

const valid = {
  PORTCULLIS_RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/portcullis-reconcile',
  [FunctionsEnv.DnsResolvers]: '10.0.0.2:53',
};

describe('readFunctionsConfig', () => {
  const refused: Record<string, { env: Record<string, string>; field: string }> = {
    'refuses a missing queue URL': {
      env: { [FunctionsEnv.DnsResolvers]: '10.0.0.2:53' },
      field: 'PORTCULLIS_RECONCILE_QUEUE_URL',
    },
    'refuses missing resolvers instead of falling back to the system resolver': {
      env: { PORTCULLIS_RECONCILE_QUEUE_URL: valid.PORTCULLIS_RECONCILE_QUEUE_URL },
      field: FunctionsEnv.DnsResolvers,
    },
    'refuses a resolver without a port': {
      env: { ...valid, [FunctionsEnv.DnsResolvers]: '10.0.0.2' },
      field: FunctionsEnv.DnsResolvers,
    },
    'refuses an unknown DNS provider': {
      env: { ...valid, [FunctionsEnv.DnsProvider]: 'cloudflare' },
      field: FunctionsEnv.DnsProvider,
    },
    'refuses a nameserver port out of range': {
      env: { ...valid, [FunctionsEnv.DnsNameserverPort]: '70000' },
      field: FunctionsEnv.DnsNameserverPort,
    },
    'refuses a plan limit above 1000': {
      env: { ...valid, [FunctionsEnv.PlanLimit]: '5000' },
      field: FunctionsEnv.PlanLimit,
    },
    'refuses an issuer id with upper case': {
      env: { ...valid, [FunctionsEnv.IssuerId]: 'Pebble' },
      field: FunctionsEnv.IssuerId,
    },
    'refuses a secret prefix without a trailing slash': {
      env: { ...valid, [FunctionsEnv.CertificatePrefix]: 'certs' },
      field: FunctionsEnv.CertificatePrefix,
    },
  };
  it.each(Object.entries(refused))('%s', (_name, { env, field }) => {
    expect(() => readFunctionsConfig(env)).toThrow(expect.objectContaining({ field }));
  });

  it('applies the documented defaults', () => {
    expect(readFunctionsConfig(valid)).toEqual({
      queueUrl: valid.PORTCULLIS_RECONCILE_QUEUE_URL,
      eventBusName: 'default',
      metricsNamespace: 'Portcullis',
      dnsProvider: 'rfc2136',
      dnsResolvers: [{ host: '10.0.0.2', port: 53 }],
      dnsNameserverPort: 53,
      planLimit: 500,
    });
  });

  it('reads the local-mode resolver, port and issuer settings', () => {
    const config = readFunctionsConfig({
      ...valid,
      [FunctionsEnv.DnsResolvers]: '127.0.0.1:5301,[::1]:5302',
      [FunctionsEnv.DnsNameserverPort]: '5301',
      [FunctionsEnv.IssuerId]: 'pebble',
      [FunctionsEnv.IssuerCaa]: '',
    });
    expect(config.dnsResolvers).toEqual([
      { host: '127.0.0.1', port: 5301 },
      { host: '::1', port: 5302 },
    ]);
    expect(config).toMatchObject({ dnsNameserverPort: 5301, issuerId: 'pebble', issuerCaa: [] });
  });
});
