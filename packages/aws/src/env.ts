import { ValidationError } from '@portcullis/core';
import type { AwsClientsConfig } from './clients.js';

/** Environment variables the AWS client factory reads (`awsConfigFromEnv`). Names are public interface. */
export const AwsEnv = {
  /** Endpoint for every AWS client; local mode points it at moto_server. Absent in AWS. */
  Endpoint: 'PORTCULLIS_AWS_ENDPOINT',
  /** Region chosen for Portcullis; wins over the SDK variables so local mode can pin moto's `us-east-1`. */
  Region: 'PORTCULLIS_AWS_REGION',
  /** The SDK's own region variable (set by Lambda). */
  SdkRegion: 'AWS_REGION',
  /** Older SDK/CLI region variable, read last. */
  SdkDefaultRegion: 'AWS_DEFAULT_REGION',
} as const;
export type AwsEnv = (typeof AwsEnv)[keyof typeof AwsEnv];

/** Client factory config from the environment. Credentials stay with the SDK's default chain (or local keys). */
export function awsConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AwsClientsConfig {
  const pick = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const region = pick(AwsEnv.Region) ?? pick(AwsEnv.SdkRegion) ?? pick(AwsEnv.SdkDefaultRegion);
  if (region === undefined) {
    throw new ValidationError(
      AwsEnv.Region,
      'required',
      `is not set (nor ${AwsEnv.SdkRegion} or ${AwsEnv.SdkDefaultRegion}): the AWS region is needed`,
    );
  }
  const endpoint = pick(AwsEnv.Endpoint);
  return endpoint === undefined ? { region } : { region, endpoint };
}
