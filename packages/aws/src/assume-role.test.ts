import { type AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { type Clock, ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { assumeRoleCredentials } from './assume-role.js';
import { AwsError, AwsErrorCode } from './errors.js';

// Unit tests: STS is stubbed in the client's middleware stack (no network). moto's STS is used by the
// integration test of per-zone roles in test/dns/route53-provider.test.ts.

const ROLE = 'arn:aws:iam::210987654321:role/portcullis-dns';

function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** An STS client whose AssumeRole answers come from `answer` (or throw); records every input. */
function stubSts(clock: Clock, answer: (input: AssumeRoleCommandInput, call: number) => unknown) {
  const sts = new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const inputs: AssumeRoleCommandInput[] = [];
  sts.middlewareStack.add(
    () => async (args) => {
      const input = args.input as AssumeRoleCommandInput;
      inputs.push(input);
      const output = answer(input, inputs.length);
      return { output: { $metadata: {}, ...(output as object) }, response: {} };
    },
    { step: 'initialize', name: 'stub-sts' },
  );
  const credentialsFor = (call: number, lifetimeMs = 3_600_000) => ({
    Credentials: {
      AccessKeyId: `ASIA${call}`,
      SecretAccessKey: `secret-${call}`,
      SessionToken: `token-${call}`,
      Expiration: new Date(clock.now().getTime() + lifetimeMs),
    },
    AssumedRoleUser: { Arn: `arn:aws:sts::210987654321:assumed-role/portcullis-dns/s`, AssumedRoleId: 'AROA:s' },
  });
  return { sts, inputs, credentialsFor };
}

describe('assumeRoleCredentials', () => {
  it('sends the role, session name, duration and ExternalId to STS', async () => {
    const clock = fakeClock();
    const stub = stubSts(clock, (_input, call) => stub.credentialsFor(call));
    const provider = assumeRoleCredentials({
      sts: stub.sts,
      roleArn: ROLE,
      externalId: 'tenant-42',
      sessionName: 'portcullis-dns',
      durationSeconds: 900,
      clock,
    });
    const credentials = await provider();
    expect(stub.inputs).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'portcullis-dns', DurationSeconds: 900, ExternalId: 'tenant-42' },
    ]);
    expect(credentials).toMatchObject({ accessKeyId: 'ASIA1', sessionToken: 'token-1', accountId: '210987654321' });
  });

  const cacheCases: Record<string, { advanceMs: number; wantCalls: number }> = {
    'reuses the session while it is far from expiry': { advanceMs: 30 * 60_000, wantCalls: 1 },
    'renews the session five minutes before it expires': { advanceMs: 56 * 60_000, wantCalls: 2 },
  };
  it.each(Object.entries(cacheCases))('%s', async (_name, { advanceMs, wantCalls }) => {
    const clock = fakeClock();
    const stub = stubSts(clock, (_input, call) => stub.credentialsFor(call));
    const provider = assumeRoleCredentials({ sts: stub.sts, roleArn: ROLE, clock });
    await provider();
    clock.advance(advanceMs);
    const second = await provider();
    expect(stub.inputs).toHaveLength(wantCalls);
    expect(second.accessKeyId).toBe(`ASIA${wantCalls}`);
  });

  it('shares one STS call between concurrent callers', async () => {
    const clock = fakeClock();
    const stub = stubSts(clock, (_input, call) => stub.credentialsFor(call));
    const provider = assumeRoleCredentials({ sts: stub.sts, roleArn: ROLE, clock });
    const all = await Promise.all([provider(), provider(), provider()]);
    expect(stub.inputs).toHaveLength(1);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA1']));
  });

  const failureCases: Record<string, { error: Error & { $metadata?: object }; retryable: boolean }> = {
    'a refused trust policy is not retryable': {
      error: Object.assign(new Error('not authorized to perform sts:AssumeRole'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
      retryable: false,
    },
    'throttling is retryable': {
      error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      retryable: true,
    },
  };
  it.each(Object.entries(failureCases))('%s', async (_name, { error, retryable }) => {
    const clock = fakeClock();
    const stub = stubSts(clock, () => {
      throw error;
    });
    const provider = assumeRoleCredentials({ sts: stub.sts, roleArn: ROLE, externalId: 'tenant-42', clock });
    const failure = await provider().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AwsError);
    expect(failure).toMatchObject({ code: AwsErrorCode.AssumeRoleFailed, awsCode: error.name, retryable });
    expect((failure as Error).message).toContain(`sts: AssumeRole ${ROLE} failed: ${error.name}`);
  });

  it('fails clearly when STS returns no credentials', async () => {
    const clock = fakeClock();
    const stub = stubSts(clock, () => ({}));
    const provider = assumeRoleCredentials({ sts: stub.sts, roleArn: ROLE, clock });
    await expect(provider()).rejects.toMatchObject({ code: AwsErrorCode.AssumeRoleEmpty });
  });

  const invalidCases: Record<string, { input: Record<string, unknown>; field: string }> = {
    'a role ARN that is not an IAM role': {
      input: { roleArn: 'arn:aws:iam::210987654321:user/x' },
      field: 'assumeRole.roleArn',
    },
    'an ExternalId with a space': { input: { roleArn: ROLE, externalId: 'a b' }, field: 'assumeRole.externalId' },
    'a session name over 64 characters': {
      input: { roleArn: ROLE, sessionName: 'x'.repeat(65) },
      field: 'assumeRole.sessionName',
    },
    'a duration under 15 minutes': {
      input: { roleArn: ROLE, durationSeconds: 60 },
      field: 'assumeRole.durationSeconds',
    },
    'an unknown option': { input: { roleArn: ROLE, externalID: 'typo' }, field: 'assumeRole.externalID' },
  };
  it.each(Object.entries(invalidCases))('refuses %s before calling STS', (_name, { input, field }) => {
    const stub = stubSts(fakeClock(), () => ({}));
    const attempt = () => assumeRoleCredentials({ sts: stub.sts, ...(input as { roleArn: string }) });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(expect.objectContaining({ field }));
    expect(stub.inputs).toHaveLength(0);
  });
});
