/** Small builders of valid configurations for the infra unit tests (modifiers override single fields). */
import { type InfraConfig, parseInfraConfig } from './config.js';
import type { AwsScope } from './iam.js';
import type { ResourceArns } from './roles.js';

export const SCOPE: AwsScope = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };

/** A same-account Route53 deployment, the shape of infra/stages/example.json. */
export function configInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dns: { provider: 'route53', resolvers: ['1.1.1.1:53', '8.8.8.8:53'] },
    route53: { zones: [{ name: 'example.com', hostedZoneId: 'Z0123456789ABC' }] },
    acme: { issuer: 'letsencrypt', email: 'ops@example.com' },
    tenants: { tenants: [{ id: 'web', zones: ['example.com'], principals: ['111122223333'] }] },
    ...overrides,
  };
}

export function config(overrides: Record<string, unknown> = {}): InfraConfig {
  return parseInfraConfig('prod', configInput(overrides));
}

const table = (name: string) => `arn:aws:dynamodb:eu-west-1:111122223333:table/portcullis-prod-${name}`;

export const ARNS: ResourceArns = {
  tables: {
    certificates: table('certificates'),
    orders: table('orders'),
    ledger: table('ledger'),
    events: table('events'),
    alerts: table('alerts'),
    idempotency: table('idempotency'),
  },
  reconcileQueue: 'arn:aws:sqs:eu-west-1:111122223333:portcullis-prod-ReconcileQueue',
  deadLetterQueue: 'arn:aws:sqs:eu-west-1:111122223333:portcullis-prod-ReconcileDeadLetterQueue',
  alertTopic: 'arn:aws:sns:eu-west-1:111122223333:portcullis-prod-Alerts',
  eventBus: 'arn:aws:events:eu-west-1:111122223333:event-bus/portcullis-prod-Events',
};
