import { ValidationError } from '@portcullis/core';

/** Strict config checks shared by the factory and the role helper: unknown keys fail, every rule is named. */

export function rejectUnknownKeys(field: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ValidationError(`${field}.${key}`, 'unknown', 'is not a known option');
  }
}

export function requireObject(field: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'type', 'must be an object');
  }
}

export function requireMatch(field: string, value: unknown, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ValidationError(field, rule, `must match ${pattern.source}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function requireIntegerInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, 'range', `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** IAM role ARN in any partition (aws, aws-cn, aws-us-gov). */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** STS `ExternalId`: 2–1224 characters of `[\w+=,.@:/-]` (AWS API reference). */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** STS `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Region names such as `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The account id inside a role ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`). */
export function accountOfRoleArn(roleArn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
}
