import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { AwsEnv, awsConfigFromEnv } from './env.js';

describe('awsConfigFromEnv', () => {
  const cases: Record<string, { env: Record<string, string>; want: object }> = {
    'takes the Portcullis region over the SDK ones': {
      env: { [AwsEnv.Region]: 'us-east-1', [AwsEnv.SdkRegion]: 'eu-west-1', [AwsEnv.SdkDefaultRegion]: 'eu-west-2' },
      want: { region: 'us-east-1' },
    },
    'falls back to AWS_REGION as Lambda sets it': {
      env: { [AwsEnv.SdkRegion]: 'eu-west-1' },
      want: { region: 'eu-west-1' },
    },
    'falls back to AWS_DEFAULT_REGION last': {
      env: { [AwsEnv.SdkDefaultRegion]: 'eu-west-2' },
      want: { region: 'eu-west-2' },
    },
    'reads the endpoint override of local mode': {
      env: { [AwsEnv.Region]: 'us-east-1', [AwsEnv.Endpoint]: 'http://127.0.0.1:5000' },
      want: { region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' },
    },
    'treats empty variables as unset': {
      env: { [AwsEnv.Region]: ' ', [AwsEnv.SdkRegion]: 'eu-west-1', [AwsEnv.Endpoint]: '' },
      want: { region: 'eu-west-1' },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { env, want }) => {
    expect(awsConfigFromEnv(env)).toEqual(want);
  });

  it('names the variable to set when no region is given', () => {
    expect(() => awsConfigFromEnv({})).toThrow(ValidationError);
    expect(() => awsConfigFromEnv({})).toThrow(/PORTCULLIS_AWS_REGION.*AWS_REGION/);
  });
});
