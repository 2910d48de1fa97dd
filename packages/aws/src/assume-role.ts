import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { type Clock, systemClock } from '@portcullis/core';
import type { AwsCredentialProvider, AwsCredentials } from './credentials.js';
import { AwsError, AwsErrorCode } from './errors.js';
import {
  EXTERNAL_ID,
  ROLE_ARN,
  rejectUnknownKeys,
  requireIntegerInRange,
  requireMatch,
  requireObject,
  SESSION_NAME,
} from './validate.js';

/** A role to assume for one zone or account (cross-account DNS: the zone's account trusts ours with an ExternalId). */
export interface AssumeRoleConfig {
  readonly roleArn: string;
  /** Required by the trust policy of roles shared with third parties (confused-deputy protection). */
  readonly externalId?: string;
  /** Shows up in CloudTrail of the zone's account: name the caller. Default `portcullis`. */
  readonly sessionName?: string;
  /** 900–43200 s; default 3600 (the maximum a role allows unless raised, and enough for one order). */
  readonly durationSeconds?: number;
}

export interface AssumeRoleOptions extends AssumeRoleConfig {
  readonly sts: STSClient;
  /** Refresh this long before expiry so no request is signed with credentials that expire in flight. Default 5 min. */
  readonly refreshBeforeMs?: number;
  readonly clock?: Clock;
}

const ROLE_KEYS = ['roleArn', 'externalId', 'sessionName', 'durationSeconds'] as const;
const OPTION_KEYS = [...ROLE_KEYS, 'sts', 'refreshBeforeMs', 'clock'] as const;

/** Validates a role config strictly (unknown keys fail); exported for callers that take roles from config files. */
export function validateAssumeRoleConfig(input: unknown, field = 'role'): AssumeRoleConfig {
  requireObject(field, input);
  rejectUnknownKeys(field, input, ROLE_KEYS);
  const roleArn = requireMatch(`${field}.roleArn`, input.roleArn, ROLE_ARN, 'role-arn');
  const config: { -readonly [K in keyof AssumeRoleConfig]: AssumeRoleConfig[K] } = { roleArn };
  if (input.externalId !== undefined) {
    config.externalId = requireMatch(`${field}.externalId`, input.externalId, EXTERNAL_ID, 'external-id');
  }
  if (input.sessionName !== undefined) {
    config.sessionName = requireMatch(`${field}.sessionName`, input.sessionName, SESSION_NAME, 'session-name');
  }
  if (input.durationSeconds !== undefined) {
    config.durationSeconds = requireIntegerInRange(`${field}.durationSeconds`, input.durationSeconds, 900, 43_200);
  }
  return config;
}

/** AWS error codes after which asking STS again may succeed. */
const RETRYABLE_STS_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'IDPCommunicationError',
]);

/**
 * Credentials of an assumed role, fetched through STS on first use and cached until `refreshBeforeMs` before they
 * expire. Concurrent callers share one in-flight `AssumeRole` call, so a burst of requests signs with one session.
 * The result plugs into any SDK v3 client as `credentials`.
 */
export function assumeRoleCredentials(options: AssumeRoleOptions): AwsCredentialProvider {
  requireObject('assumeRole', options);
  rejectUnknownKeys('assumeRole', options, OPTION_KEYS);
  const { sts, refreshBeforeMs = 5 * 60_000, clock = systemClock, ...roleInput } = options;
  const role = validateAssumeRoleConfig(roleInput, 'assumeRole');
  requireIntegerInRange('assumeRole.refreshBeforeMs', refreshBeforeMs, 0, 3_600_000);

  let cached: AwsCredentials | undefined;
  let inFlight: Promise<AwsCredentials> | undefined;

  const isFresh = (credentials: AwsCredentials | undefined): credentials is AwsCredentials =>
    credentials?.expiration !== undefined && credentials.expiration.getTime() - refreshBeforeMs > clock.now().getTime();

  const fetch = async (): Promise<AwsCredentials> => {
    let answer: AssumeRoleCommandOutput;
    try {
      answer = await sts.send(
        new AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: role.sessionName ?? 'portcullis',
          DurationSeconds: role.durationSeconds ?? 3600,
          ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
        }),
      );
    } catch (error) {
      const awsCode = error instanceof Error ? error.name : 'Unknown';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      throw new AwsError(
        AwsErrorCode.AssumeRoleFailed,
        `sts: AssumeRole ${role.roleArn} failed: ${awsCode}: ${error instanceof Error ? error.message : String(error)}`,
        { awsCode, retryable: RETRYABLE_STS_CODES.has(awsCode) || status >= 500, cause: error },
      );
    }
    const c = answer.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.Expiration === undefined) {
      throw new AwsError(AwsErrorCode.AssumeRoleEmpty, `sts: AssumeRole ${role.roleArn} returned no credentials`);
    }
    const accountId = /^arn:aws[a-z-]*:sts::(\d{12}):/.exec(answer.AssumedRoleUser?.Arn ?? '')?.[1];
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      expiration: c.Expiration,
      ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
      ...(accountId === undefined ? {} : { accountId }),
    };
  };

  return async () => {
    if (isFresh(cached)) return cached;
    inFlight ??= fetch().finally(() => {
      inFlight = undefined;
    });
    cached = await inFlight;
    return cached;
  };
}
