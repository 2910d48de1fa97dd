import type { TargetSpec } from '@portcullis/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../clients.js';
import { SecretsManagerExportTarget } from '../secrets-manager/export-target.js';
import { AcmTarget } from './acm-target.js';
import { AwsTargetFactory } from './aws-target-factory.js';

// No network: building targets creates clients but sends nothing.
const clients = createAwsClients({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000' });
let factory = new AwsTargetFactory({ clients });

afterEach(() => {
  factory.destroy();
  factory = new AwsTargetFactory({ clients });
});

function spec(type: string, options: Record<string, string>, id = 't1'): TargetSpec {
  return { id, type: type as TargetSpec['type'], options };
}

describe('AwsTargetFactory', () => {
  it('builds an ACM target in the factory region, with its quota scope', () => {
    const target = factory.forSpec(spec('acm', {}));
    expect(target).toBeInstanceOf(AcmTarget);
    expect(target.quotaScope).toBe('acm:eu-west-1');
  });

  it('builds an ACM target in another region with that region’s quota scope', () => {
    expect(factory.forSpec(spec('acm', { region: 'us-east-1' })).quotaScope).toBe('acm:us-east-1');
  });

  it('builds a Secrets Manager export target, PEM by default, without a quota', () => {
    const target = factory.forSpec(spec('secrets-manager', { name: 'apps/web/tls' }));
    expect(target).toBeInstanceOf(SecretsManagerExportTarget);
    expect(target).toMatchObject({ name: 'apps/web/tls', format: 'pem' });
    expect(target.quotaScope).toBeUndefined();
  });

  it('returns the same target for the same spec', () => {
    expect(factory.forSpec(spec('acm', {}))).toBe(factory.forSpec(spec('acm', {})));
  });

  const refused: Record<string, { target: TargetSpec; field: string }> = {
    'an unknown option': { target: spec('acm', { arn: 'x' }), field: 'targets.t1.options.arn' },
    'a bad region': { target: spec('acm', { region: 'mars-1' }), field: 'targets.t1.options.region' },
    'an export without a secret name': { target: spec('secrets-manager', {}), field: 'targets.t1.options.name' },
    'an unknown export format': {
      target: spec('secrets-manager', { name: 'x', format: 'yaml' }),
      field: 'targets.t1.options.format',
    },
    'a target type that is not AWS': { target: spec('kubernetes', {}), field: 'targets.t1.type' },
  };
  it.each(Object.entries(refused))('refuses %s, naming the field', (_name, { target, field }) => {
    expect(() => factory.forSpec(target)).toThrow(expect.objectContaining({ field }));
  });
});
