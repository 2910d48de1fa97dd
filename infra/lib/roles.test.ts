import { describe, expect, it } from 'vitest';
import { ARNS, config, SCOPE } from './fixtures.js';
import type { IamStatement } from './iam.js';
import { FUNCTION_KEYS, type FunctionKey } from './resources.js';
import { functionStatements } from './roles.js';

const statementsOf = (key: FunctionKey, overrides: Record<string, unknown> = {}) =>
  functionStatements(key, config(overrides), SCOPE, ARNS);

/** Every (action, resource) pair a function may use. */
function grants(statements: readonly IamStatement[]): Set<string> {
  return new Set(statements.flatMap((s) => s.actions.flatMap((a) => s.resources.map((r) => `${a} ${r}`))));
}

function actions(statements: readonly IamStatement[]): Set<string> {
  return new Set(statements.flatMap((s) => s.actions));
}

describe('functionStatements', () => {
  const only: Record<string, { action: string; holders: FunctionKey[] }> = {
    'only the worker imports into ACM': { action: 'acm:ImportCertificate', holders: ['worker'] },
    'only the worker changes DNS records': { action: 'route53:ChangeResourceRecordSets', holders: ['worker'] },
    'only the worker consumes the reconcile queue': { action: 'sqs:ReceiveMessage', holders: ['worker'] },
    'only the worker publishes lifecycle events': { action: 'events:PutEvents', holders: ['worker'] },
    'only the worker creates secrets': { action: 'secretsmanager:CreateSecret', holders: ['worker'] },
    'only the monitor and the ACM event handler publish alerts': {
      action: 'sns:Publish',
      holders: ['monitor', 'acmExpiry'],
    },
    'everyone but the monitor enqueues': { action: 'sqs:SendMessage', holders: ['api', 'worker', 'plan', 'acmExpiry'] },
    'nobody scans a table': { action: 'dynamodb:Scan', holders: [] },
    'nobody assumes a role without a cross-account zone': { action: 'sts:AssumeRole', holders: [] },
  };
  it.each(Object.entries(only))('%s', (_name, { action, holders }) => {
    expect(FUNCTION_KEYS.filter((key) => actions(statementsOf(key)).has(action))).toEqual(holders);
  });

  const tableCases: Record<string, { key: FunctionKey; grant: string; want: boolean }> = {
    'the planner queries the due index': {
      key: 'plan',
      grant: `dynamodb:Query ${ARNS.tables.certificates}/index/*`,
      want: true,
    },
    'the planner cannot write a certificate record': {
      key: 'plan',
      grant: `dynamodb:PutItem ${ARNS.tables.certificates}`,
      want: false,
    },
    'the monitor cannot write a certificate record': {
      key: 'monitor',
      grant: `dynamodb:PutItem ${ARNS.tables.certificates}`,
      want: false,
    },
    'the ACM event handler marks a certificate for renewal': {
      key: 'acmExpiry',
      grant: `dynamodb:PutItem ${ARNS.tables.certificates}`,
      want: true,
    },
    'the worker appends to the event log': {
      key: 'worker',
      grant: `dynamodb:PutItem ${ARNS.tables.events}`,
      want: true,
    },
    'the worker does not read the alerts': {
      key: 'worker',
      grant: `dynamodb:Query ${ARNS.tables.alerts}`,
      want: false,
    },
    'the API uses the idempotency table': {
      key: 'api',
      grant: `dynamodb:PutItem ${ARNS.tables.idempotency}`,
      want: true,
    },
    'only the API sees the idempotency table': {
      key: 'worker',
      grant: `dynamodb:GetItem ${ARNS.tables.idempotency}`,
      want: false,
    },
    'the monitor writes alerts': { key: 'monitor', grant: `dynamodb:PutItem ${ARNS.tables.alerts}`, want: true },
    'the API only reads alerts': { key: 'api', grant: `dynamodb:PutItem ${ARNS.tables.alerts}`, want: false },
  };
  it.each(Object.entries(tableCases))('%s', (_name, { key, grant, want }) => {
    expect(grants(statementsOf(key)).has(grant)).toBe(want);
  });

  it('lets only the monitor look at the dead-letter queue', () => {
    const grant = `sqs:GetQueueAttributes ${ARNS.deadLetterQueue}`;
    expect(FUNCTION_KEYS.filter((key) => grants(statementsOf(key)).has(grant))).toEqual(['monitor']);
  });

  it('gives the worker AssumeRole (with the ExternalId) instead of Route53 rights for a cross-account zone', () => {
    const route53 = {
      zones: [{ name: 'example.com', hostedZoneId: 'Z1' }],
      roleArn: 'arn:aws:iam::444455556666:role/portcullis-dns',
      externalId: 'portcullis-prod',
    };
    const statements = statementsOf('worker', { route53 });
    expect([...actions(statements)].filter((a) => a.startsWith('route53:'))).toEqual([]);
    expect(statements.find((s) => s.actions.includes('sts:AssumeRole'))).toEqual({
      sid: 'AssumeConfiguredRole0',
      actions: ['sts:AssumeRole'],
      resources: ['arn:aws:iam::444455556666:role/portcullis-dns'],
      conditions: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['portcullis-prod'] }],
    });
  });

  it('gives no DNS rights with the rfc2136 provider', () => {
    const statements = statementsOf('worker', {
      dns: { provider: 'rfc2136', resolvers: ['10.0.0.2:53'] },
      route53: undefined,
    });
    expect([...actions(statements)].some((a) => a.startsWith('route53:') || a.startsWith('sts:'))).toBe(false);
  });

  it('extends ACM rights to the target regions', () => {
    const read = statementsOf('monitor', { targetRegions: ['us-east-1'] }).find((s) => s.sid === 'AcmReadCertificates');
    expect(read?.resources).toEqual([
      'arn:aws:acm:eu-west-1:111122223333:certificate/*',
      'arn:aws:acm:us-east-1:111122223333:certificate/*',
    ]);
  });

  it('names every resource by ARN (no * except where AWS has no resource-level permission)', () => {
    const allowedStar = new Set(['acm:ListCertificates', 'route53:ListHostedZones']);
    for (const key of FUNCTION_KEYS) {
      for (const statement of statementsOf(key)) {
        if (!statement.resources.includes('*')) continue;
        expect(statement.actions.every((a) => allowedStar.has(a))).toBe(true);
      }
    }
  });

  it('gives every statement a unique sid per function', () => {
    for (const key of FUNCTION_KEYS) {
      const sids = statementsOf(key).map((s) => s.sid);
      expect(new Set(sids).size).toBe(sids.length);
    }
  });
});
