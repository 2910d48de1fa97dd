import { describe, expect, it } from 'vitest';
import type { Route53InfraConfig } from './config.js';
import {
  type AcmScope,
  acmStatements,
  assumeRoleStatements,
  type IamStatement,
  route53RoleStatements,
  route53Statements,
  type SecretsScope,
  secretsStatements,
  toPolicyDocument,
  toSstPermissions,
} from './iam.js';

const ZONES: Route53InfraConfig = {
  zones: [
    { name: 'example.com', hostedZoneId: 'Z111' },
    { name: 'acme.example.net', hostedZoneId: 'Z222' },
  ],
  delegatedRecordNames: [],
  discoverZones: false,
};

const bySid = (statements: readonly IamStatement[], sid: string) => statements.find((s) => s.sid === sid);

describe('route53Statements', () => {
  it('limits changes to TXT records named _acme-challenge.* in the configured zones', () => {
    const change = bySid(route53Statements(ZONES, 'aws'), 'Route53ChallengeRecords');
    expect(change).toEqual({
      sid: 'Route53ChallengeRecords',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: ['arn:aws:route53:::hostedzone/Z111', 'arn:aws:route53:::hostedzone/Z222'],
      conditions: [
        { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: ['TXT'] },
        {
          test: 'ForAllValues:StringLike',
          variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames',
          values: ['_acme-challenge.*'],
        },
      ],
    });
  });

  const cases: Record<string, { route53: Route53InfraConfig; sid: string; want: Partial<IamStatement> | undefined }> = {
    'reads record sets of the configured zones only': {
      route53: ZONES,
      sid: 'Route53ReadZones',
      want: {
        actions: ['route53:ListResourceRecordSets'],
        resources: ['arn:aws:route53:::hostedzone/Z111', 'arn:aws:route53:::hostedzone/Z222'],
      },
    },
    'reads change status on change/*': {
      route53: ZONES,
      sid: 'Route53ChangeStatus',
      want: { actions: ['route53:GetChange'], resources: ['arn:aws:route53:::change/*'] },
    },
    'grants no zone listing unless discovery is on': { route53: ZONES, sid: 'Route53DiscoverZones', want: undefined },
    'grants zone listing on * when discovery is on': {
      route53: { ...ZONES, discoverZones: true },
      sid: 'Route53DiscoverZones',
      want: { actions: ['route53:ListHostedZones'], resources: ['*'] },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { route53, sid, want }) => {
    const found = bySid(route53Statements(route53, 'aws'), sid);
    if (want === undefined) expect(found).toBeUndefined();
    else expect(found).toMatchObject(want);
  });

  it('adds delegated CNAME targets to the allowed record names', () => {
    const change = bySid(
      route53Statements({ ...ZONES, delegatedRecordNames: ['*.acme.example.net'] }, 'aws'),
      'Route53ChallengeRecords',
    );
    expect(change?.conditions?.[1]?.values).toEqual(['_acme-challenge.*', '*.acme.example.net']);
  });

  it('uses the partition in zone ARNs', () => {
    expect(bySid(route53Statements(ZONES, 'aws-cn'), 'Route53ReadZones')?.resources[0]).toBe(
      'arn:aws-cn:route53:::hostedzone/Z111',
    );
  });

  it('grants the function nothing in Route53 when a cross-account role holds the zones', () => {
    const withRole = { ...ZONES, roleArn: 'arn:aws:iam::444455556666:role/portcullis-dns' };
    expect(route53Statements(withRole, 'aws')).toEqual([]);
    // ...the role in the zones' account gets them instead.
    expect(route53RoleStatements(withRole, 'aws').map((s) => s.sid)).toEqual([
      'Route53ChallengeRecords',
      'Route53ReadZones',
      'Route53ChangeStatus',
    ]);
  });
});

describe('assumeRoleStatements', () => {
  const cases: Record<string, { roles: { roleArn: string; externalId?: string }[]; want: IamStatement[] }> = {
    'allows exactly the configured role': {
      roles: [{ roleArn: 'arn:aws:iam::444455556666:role/dns' }],
      want: [
        {
          sid: 'AssumeConfiguredRole0',
          actions: ['sts:AssumeRole'],
          resources: ['arn:aws:iam::444455556666:role/dns'],
        },
      ],
    },
    'requires the ExternalId when one is configured': {
      roles: [{ roleArn: 'arn:aws:iam::444455556666:role/dns', externalId: 'portcullis-prod' }],
      want: [
        {
          sid: 'AssumeConfiguredRole0',
          actions: ['sts:AssumeRole'],
          resources: ['arn:aws:iam::444455556666:role/dns'],
          conditions: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['portcullis-prod'] }],
        },
      ],
    },
    'allows nothing without roles': { roles: [], want: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, { roles, want }) => {
    expect(assumeRoleStatements(roles)).toEqual(want);
  });
});

describe('acmStatements', () => {
  const scope: AcmScope = {
    partition: 'aws',
    account: '111122223333',
    regions: ['eu-west-1', 'us-east-1'],
    certificateArns: [],
    allowNewImports: true,
  };
  const known = 'arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012';
  const all = ['arn:aws:acm:eu-west-1:111122223333:certificate/*', 'arn:aws:acm:us-east-1:111122223333:certificate/*'];

  const cases: Record<
    string,
    { access: 'deliver' | 'read'; scope: AcmScope; want: Record<string, Partial<IamStatement>> }
  > = {
    'reading covers describe, get and tags in every region, listing on *': {
      access: 'read',
      scope,
      want: {
        AcmReadCertificates: {
          actions: ['acm:DescribeCertificate', 'acm:GetCertificate', 'acm:ListTagsForCertificate'],
          resources: all,
        },
        AcmListCertificates: { actions: ['acm:ListCertificates'], resources: ['*'] },
      },
    },
    'delivering re-imports only certificates tagged managed-by portcullis': {
      access: 'deliver',
      scope,
      want: {
        AcmReimportManaged: {
          actions: ['acm:ImportCertificate', 'acm:AddTagsToCertificate'],
          resources: all,
          conditions: [
            { test: 'StringEquals', variable: 'aws:ResourceTag/portcullis:managed-by', values: ['portcullis'] },
          ],
        },
        AcmImportNewTagged: {
          conditions: [
            { test: 'StringEquals', variable: 'aws:RequestTag/portcullis:managed-by', values: ['portcullis'] },
          ],
        },
      },
    },
    'with known ARNs, imports only onto those ARNs': {
      access: 'deliver',
      scope: { ...scope, certificateArns: [known], allowNewImports: false },
      want: {
        AcmReimportKnown: { actions: ['acm:ImportCertificate', 'acm:AddTagsToCertificate'], resources: [known] },
      },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { access, scope: s, want }) => {
    const statements = acmStatements(access, s);
    expect(statements.map((statement) => statement.sid).sort()).toEqual(
      ['AcmReadCertificates', 'AcmListCertificates', ...Object.keys(want)]
        .filter((v, i, a) => a.indexOf(v) === i)
        .sort(),
    );
    for (const [sid, statement] of Object.entries(want)) expect(bySid(statements, sid)).toMatchObject(statement);
  });

  it('never grants an unconditioned import on certificate/*', () => {
    for (const allowNewImports of [true, false]) {
      for (const statement of acmStatements('deliver', { ...scope, allowNewImports })) {
        if (!statement.actions.includes('acm:ImportCertificate')) continue;
        const wildcard = statement.resources.some((r) => r.endsWith('certificate/*'));
        expect(wildcard && statement.conditions === undefined).toBe(false);
      }
    }
  });
});

describe('secretsStatements', () => {
  const scope: SecretsScope = {
    partition: 'aws',
    account: '111122223333',
    region: 'eu-west-1',
    regions: ['eu-west-1', 'us-east-1'],
    prefix: 'portcullis/prod/',
    exportPrefixes: ['tls/'],
    kmsKeyArns: [],
    kubernetesClusters: true,
  };
  const arn = (name: string, region = 'eu-west-1') => `arn:aws:secretsmanager:${region}:111122223333:secret:${name}`;

  const cases: Record<string, { access: 'deliver' | 'read' | 'versions'; want: Record<string, string[]> }> = {
    'the worker writes account keys, the certificate store and export targets, and reads cluster credentials': {
      access: 'deliver',
      want: {
        SecretsAccountKeys: [arn('portcullis/prod/acme-accounts/*')],
        SecretsCertificateStore: [arn('portcullis/prod/certificates/*')],
        SecretsExportTargets: [arn('tls/*'), arn('tls/*', 'us-east-1')],
        SecretsClusterCredentials: [arn('portcullis/prod/kube-clusters-??????')],
      },
    },
    'the monitor reads certificates, export targets and cluster credentials, never account keys': {
      access: 'read',
      want: {
        SecretsReadCertificateStore: [arn('portcullis/prod/certificates/*')],
        SecretsReadExportTargets: [arn('tls/*'), arn('tls/*', 'us-east-1')],
        SecretsClusterCredentials: [arn('portcullis/prod/kube-clusters-??????')],
      },
    },
    'the API reads certificate versions only': {
      access: 'versions',
      want: { SecretsCertificateVersions: [arn('portcullis/prod/certificates/*')] },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { access, want }) => {
    const statements = secretsStatements(access, scope);
    expect(Object.fromEntries(statements.map((s) => [s.sid, s.resources]))).toEqual(want);
  });

  it('only the certificate store may be deleted from', () => {
    const deleting = secretsStatements('deliver', scope).filter((s) =>
      s.actions.includes('secretsmanager:DeleteSecret'),
    );
    expect(deleting.map((s) => s.sid)).toEqual(['SecretsCertificateStore']);
  });

  it('scopes customer-managed KMS keys to Secrets Manager in the target regions', () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/12345678-1234-1234-1234-123456789012';
    const kms = bySid(secretsStatements('read', { ...scope, kmsKeyArns: [key] }), 'KmsExportTargetKeys');
    expect(kms).toEqual({
      sid: 'KmsExportTargetKeys',
      actions: ['kms:Decrypt'],
      resources: [key],
      conditions: [
        {
          test: 'StringLike',
          variable: 'kms:ViaService',
          values: ['secretsmanager.eu-west-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com'],
        },
      ],
    });
  });
});

describe('output shapes', () => {
  const statements = route53RoleStatements(ZONES, 'aws');

  it('toSstPermissions keeps actions, resources and conditions and drops the sid', () => {
    const [first] = toSstPermissions(statements);
    expect(first).toEqual({
      actions: ['route53:ChangeResourceRecordSets'],
      resources: ['arn:aws:route53:::hostedzone/Z111', 'arn:aws:route53:::hostedzone/Z222'],
      conditions: statements[0]?.conditions?.map((c) => ({ ...c, values: [...c.values] })),
    });
  });

  it('toPolicyDocument groups conditions by operator as IAM JSON does', () => {
    const document = toPolicyDocument(statements) as { Statement: Record<string, unknown>[] };
    expect(document.Statement[0]).toEqual({
      Sid: 'Route53ChallengeRecords',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: ['arn:aws:route53:::hostedzone/Z111', 'arn:aws:route53:::hostedzone/Z222'],
      Condition: {
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
      },
    });
    expect(document.Statement[1]).not.toHaveProperty('Condition');
  });
});
