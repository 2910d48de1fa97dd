/**
 * What the notifier SENDS, with a recording stand-in for the SNS client: FIFO fields and the retryable flag of a
 * throttled publish cannot be provoked from moto (it never throttles). Delivery through a real topic to SQS is
 * test/aws/monitoring-sns.test.ts.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { SnsError, SnsErrorCode } from './errors.js';
import { SnsNotifier } from './sns-notifier.js';

const alert: Alert = {
  key: 'drift:cert-1:endpoint:www.example.test:443',
  kind: 'drift',
  severity: 'critical',
  certificateId: 'cert-1',
  subject: 'cert-1',
  names: ['www.example.test'],
  summary: 'www.example.test:443 serves serial 01, the current revision is 02.',
  details: { served: '01', current: '02' },
  runbook: 'docs/runbooks/drift.md',
  fingerprint: '01',
};

function recordingClient(failWith?: Error) {
  const inputs: Record<string, unknown>[] = [];
  const client = {
    async send(command: { input: Record<string, unknown> }) {
      inputs.push(command.input);
      if (failWith !== undefined) throw failWith;
      return { MessageId: 'm-1' };
    },
  };
  return { client: client as unknown as SNSClient, inputs };
}

describe('SnsNotifier', () => {
  it('sends no FIFO fields to a standard topic', async () => {
    const { client, inputs } = recordingClient();
    await new SnsNotifier({ client, topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' }).notify(alert, 'opened');
    expect(inputs[0]).not.toHaveProperty('MessageGroupId');
    expect(inputs[0]).not.toHaveProperty('MessageDeduplicationId');
    expect(inputs[0]).toMatchObject({ Subject: '[critical] drift: www.example.test' });
  });

  it('groups a FIFO topic by alert key and dedupes the same transition of the same fingerprint', async () => {
    const { client, inputs } = recordingClient();
    const notifier = new SnsNotifier({ client, topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts.fifo' });
    await notifier.notify(alert, 'opened');
    await notifier.notify(alert, 'opened');
    await notifier.notify(alert, 'resolved');
    await notifier.notify({ ...alert, fingerprint: '03' }, 'opened');
    expect(inputs.map((input) => input.MessageGroupId)).toEqual(Array(4).fill(alert.key));
    const ids = inputs.map((input) => input.MessageDeduplicationId as string);
    expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(new Set([ids[0], ids[2], ids[3]]).size).toBe(3);
  });

  it.each([
    [
      'a throttled publish is retryable',
      Object.assign(new Error('slow down'), { name: 'Throttled', $metadata: { httpStatusCode: 429 } }),
      true,
    ],
    [
      'a refused publish is not',
      Object.assign(new Error('no'), { name: 'AuthorizationError', $metadata: { httpStatusCode: 403 } }),
      false,
    ],
  ])('%s', async (_name, failure, retryable) => {
    const { client } = recordingClient(failure);
    const notifier = new SnsNotifier({ client, topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' });
    const error = await notifier.notify(alert, 'changed').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SnsError);
    expect(error).toMatchObject({ code: SnsErrorCode.PublishFailed, retryable, awsCode: failure.name });
    expect((error as Error).message).toContain(
      `sns: arn:aws:sns:eu-west-1:123456789012:alerts: Publish ${alert.key} (changed):`,
    );
  });
});
