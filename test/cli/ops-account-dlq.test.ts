/**
 * `portcullis account show|rollover` against the real pebble with account keys in moto Secrets Manager (as the
 * functions keep them) and in the CLI's file store, and `portcullis dlq list|redrive` against moto SQS queues.
 * Keys never appear in the output: only JWK thumbprints.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type AwsClients, createAwsClients } from '@portcullis/aws';
import { jwkThumbprint, runAccountRollover, runAccountShow, runDlqList, runDlqRedrive } from '@portcullis/cli';
import { redact } from '@portcullis/core';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordingIo } from './ops-support.js';

let stack: LocalStack;
let clients: AwsClients;
let work: string;

beforeAll(async () => {
  stack = await startLocalStack({});
  clients = createAwsClients({ region: 'us-east-1', endpoint: stack.moto?.endpoint as string });
  work = await mkdtemp(join(tmpdir(), 'portcullis-account-'));
}, 60_000);

afterAll(async () => {
  clients?.destroy();
  await stack?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

let prefix = '';
beforeEach(async () => {
  await stack.moto?.reset();
  prefix = `t${Math.random().toString(36).slice(2, 8)}/acme-accounts/`;
});

/** The functions' environment for the ACME account: the local stack's PORTCULLIS_* plus the key prefix. */
const accountEnv = (extra: Record<string, string> = {}) => ({
  ...stack.env(),
  PORTCULLIS_ACCOUNT_KEY_PREFIX: prefix,
  PORTCULLIS_ACME_BACKOFF_MIN_MS: '50',
  ...extra,
});

const PEM_LINE = /[A-Za-z0-9+/]{60,}/;

describe('account', () => {
  it('shows "no key" first, then rolls a Secrets Manager key over and shows the new thumbprint', async () => {
    const before = recordingIo(accountEnv());
    await runAccountShow({}, before);
    expect(before.exitCode()).toBe(1);
    expect(before.text()).toMatch(/account +- \(no key stored/);
    expect(before.text()).toContain(`Secrets Manager under ${prefix}`);

    const rolled = recordingIo(accountEnv());
    await runAccountRollover({}, rolled);
    expect(rolled.exitCode()).toBe(0);
    const oldThumbprint = /old key thumbprint +(\S+)/.exec(rolled.text())?.[1];
    const newThumbprint = /new key thumbprint +(\S+)/.exec(rolled.text())?.[1];
    expect(oldThumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newThumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newThumbprint).not.toBe(oldThumbprint);
    expect(rolled.text()).toContain('✔ the CA answers to the new key');
    expect(rolled.text()).not.toMatch(PEM_LINE);

    // The secret the worker reads now holds the new key.
    const secret = await clients.secretsManager.send(
      new GetSecretValueCommand({
        SecretId: `${prefix}acme-account/${new URL(stack.pebble.directoryUrl).host.replace(/[^a-z0-9.]+/g, '-')}-dir`,
      }),
    );
    expect(jwkThumbprint(redact(secret.SecretString as string))).toBe(newThumbprint);

    const after = recordingIo(accountEnv());
    await runAccountShow({}, after);
    expect(after.exitCode()).toBe(0);
    expect(after.text()).toMatch(new RegExp(`key thumbprint +${newThumbprint}`));
    expect(after.text()).toMatch(/account +https:\/\/127\.0\.0\.1:\d+\/my-account\//);
  });

  it('uses the file store of `issue` when no AWS is configured', async () => {
    const env = { ...stack.env(), PORTCULLIS_STATE_DIR: work };
    delete (env as Record<string, string | undefined>).PORTCULLIS_AWS_ENDPOINT;
    const io = recordingIo(env);
    await runAccountRollover({}, io);
    expect(io.exitCode()).toBe(0);
    expect(io.stderr.join('\n')).toContain(`key store: files in ${join(work, 'keys')}`);
  });

  it('rotates the key of an extra issuer of PORTCULLIS_ACME_ISSUERS and refuses an unknown one', async () => {
    const env = accountEnv({ PORTCULLIS_ACME_ISSUERS: `backup=${stack.pebble.directoryUrl}` });
    const io = recordingIo(env);
    await runAccountRollover({ issuer: 'backup' }, io);
    expect(io.exitCode()).toBe(0);
    expect(io.text()).toMatch(/issuer +backup/);
    await expect(runAccountRollover({ issuer: 'nope' }, recordingIo(env))).rejects.toThrow(
      'acme: issuer "nope" is not configured (known: pebble, backup)',
    );
  });
});

describe('dlq', () => {
  async function queues(): Promise<{ reconcile: string; dlq: string; env: Record<string, string> }> {
    const reconcile = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'ops-reconcile' })))
      .QueueUrl as string;
    const dlq = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'ops-reconcile-dlq' }))).QueueUrl as string;
    return {
      reconcile,
      dlq,
      env: {
        PORTCULLIS_AWS_ENDPOINT: stack.moto?.endpoint as string,
        PORTCULLIS_AWS_REGION: 'us-east-1',
        PORTCULLIS_RECONCILE_QUEUE_URL: reconcile,
        PORTCULLIS_DLQ_URL: dlq,
      },
    };
  }

  const depth = async (url: string) =>
    Number(
      (
        await clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        )
      ).Attributes?.ApproximateNumberOfMessages,
    );

  it('lists dead letters without taking them, redrives some by --max, then one by --id', async () => {
    const { reconcile, dlq, env } = await queues();
    for (const id of ['cert-a', 'cert-b', 'cert-c']) {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: id }));
    }
    const listed = recordingIo(env);
    const letters = await runDlqList({}, listed);
    expect(listed.text()).toContain('ops-reconcile-dlq: 3 message(s)');
    expect(letters.map((l) => l.body).sort()).toEqual(['cert-a', 'cert-b', 'cert-c']);
    expect(listed.text()).toMatch(/MESSAGE ID +RECEIVES +SENT +BODY/);
    expect(await depth(dlq)).toBe(3);

    const some = recordingIo(env);
    await runDlqRedrive({ max: 2 }, some);
    expect(some.exitCode()).toBe(0);
    expect(some.text()).toContain('2 moved, 0 sent but not deleted, 0 failed');
    expect(await depth(reconcile)).toBe(2);

    const last = letters.find((l) => !some.text().includes(l.messageId)) as { messageId: string };
    const one = recordingIo(env);
    await runDlqRedrive({ id: [last.messageId, 'no-such-message'] }, one);
    expect(one.text()).toContain(`✔ moved ${last.messageId}`);
    expect(one.text()).toContain('✖ no-such-message is not in the DLQ');
    expect(one.exitCode()).toBe(1);
    expect(await depth(dlq)).toBe(0);
    expect(await depth(reconcile)).toBe(3);
  });

  it('names the missing variable when the DLQ is not configured', async () => {
    await expect(runDlqList({}, recordingIo({ PORTCULLIS_AWS_REGION: 'us-east-1' }))).rejects.toThrow(
      'sqs: PORTCULLIS_DLQ_URL is not set',
    );
  });
});
