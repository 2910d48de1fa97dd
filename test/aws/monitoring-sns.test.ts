/**
 * The SNS notifier on real moto_server: an alert published to a topic arrives on an SQS queue subscribed to it, with
 * its subject, body and message attributes, and a subscriber's filter policy on those attributes selects alerts.
 */
import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SnsError, SnsErrorCode, SnsNotifier } from '@portcullis/aws';
import type { Alert } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { useQueueStack } from './monitoring-sqs-support.js';

const queues = useQueueStack();

const expiring: Alert = {
  key: 'expiring:cert-1:acm-main',
  kind: 'expiring',
  severity: 'critical',
  certificateId: 'cert-1',
  tenant: 'team-a',
  subject: 'cert-1',
  names: ['www.example.test', 'example.test'],
  location: 'acm-main',
  threshold: '7d',
  summary: 'cert-1 expires in 6 days at acm-main.',
  details: { daysLeft: '6', serial: '7f01' },
  runbook: 'docs/runbooks/expiring.md',
  fingerprint: '7f01',
};

const dlq: Alert = {
  key: 'dlq-not-empty:reconcile-dlq',
  kind: 'dlq-not-empty',
  severity: 'warning',
  subject: 'reconcile-dlq',
  names: [],
  summary: 'The dead-letter queue reconcile-dlq holds 2 messages.',
  details: { depth: '2' },
  runbook: 'docs/runbooks/dlq-not-empty.md',
  fingerprint: '2',
};

/** A topic with two queues subscribed: one takes everything (raw), one only critical expiring alerts. */
async function topicWithSubscribers() {
  const { clients, createQueue, cleanup } = queues();
  const { TopicArn: topicArn } = await clients.sns.send(
    new CreateTopicCommand({ Name: `alerts-${Math.random().toString(16).slice(2, 10)}` }),
  );
  if (topicArn === undefined) throw new Error('sns: CreateTopic answered without an ARN');
  cleanup(() => clients.sns.send(new DeleteTopicCommand({ TopicArn: topicArn })));
  const all = await createQueue('alerts-all');
  const critical = await createQueue('alerts-critical');
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: all.arn }));
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: critical.arn,
      Attributes: {
        RawMessageDelivery: 'true',
        FilterPolicy: JSON.stringify({ severity: ['critical'], kind: ['expiring'] }),
      },
    }),
  );
  return { topicArn, all, critical };
}

describe('SnsNotifier', () => {
  it('delivers subject, body and attributes to subscribers, and filter policies select on them', async () => {
    const { clients, drain } = queues();
    const { topicArn, all, critical } = await topicWithSubscribers();
    const notifier = new SnsNotifier({
      client: clients.sns,
      topicArn,
      runbookBaseUrl: 'https://git.example/repo/blob/main',
    });

    await notifier.notify(expiring, 'opened');
    await notifier.notify(dlq, 'opened');

    const envelopes = (await drain(all.url)).map(
      (message) =>
        JSON.parse(message.body) as {
          Subject: string;
          Message: string;
          MessageAttributes: Record<string, { Type: string; Value: string }>;
        },
    );
    expect(envelopes.map((envelope) => envelope.Subject).sort()).toEqual([
      '[critical] expiring: www.example.test +1 (7d)',
      '[warning] dlq-not-empty: reconcile-dlq',
    ]);
    const forExpiring = envelopes.find((envelope) => envelope.Subject.includes('expiring'));
    expect(forExpiring?.MessageAttributes).toEqual({
      kind: { Type: 'String', Value: 'expiring' },
      severity: { Type: 'String', Value: 'critical' },
      certificate: { Type: 'String', Value: 'cert-1' },
      names: { Type: 'String', Value: 'www.example.test,example.test' },
      transition: { Type: 'String', Value: 'opened' },
    });
    expect(forExpiring?.Message).toContain('cert-1 expires in 6 days at acm-main.\n');
    expect(forExpiring?.Message).toContain('\n  serial: 7f01\n');
    expect(forExpiring?.Message).toContain('\nrunbook: https://git.example/repo/blob/main/docs/runbooks/expiring.md\n');
    const forDlq = envelopes.find((envelope) => envelope.Subject.includes('dlq'));
    // No names: the attribute is left out rather than sent empty (SNS refuses empty values).
    expect(Object.keys(forDlq?.MessageAttributes ?? {}).sort()).toEqual([
      'certificate',
      'kind',
      'severity',
      'transition',
    ]);

    const filtered = await drain(critical.url);
    expect(filtered.map((message) => message.body)).toEqual([expect.stringContaining('cert-1 expires in 6 days')]);
  });

  it('reports a missing topic as an SnsError naming the topic and the alert, not retryable', async () => {
    const { clients } = queues();
    const notifier = new SnsNotifier({
      client: clients.sns,
      topicArn: 'arn:aws:sns:us-east-1:123456789012:no-such-topic',
    });
    const failure = await notifier.notify(expiring, 'resolved').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SnsError);
    expect(failure).toMatchObject({ code: SnsErrorCode.PublishFailed, retryable: false });
    expect((failure as Error).message).toContain(
      'sns: arn:aws:sns:us-east-1:123456789012:no-such-topic: Publish expiring:cert-1:acm-main (resolved): NotFound',
    );
  });

  it.each([
    ['a topic ARN of another service', { topicArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'snsNotifier.topicArn'],
    ['a runbook base URL that is not http(s)', { runbookBaseUrl: 'file:///etc' }, 'snsNotifier.runbookBaseUrl'],
    ['an unknown option', { subject: 'x' }, 'snsNotifier.subject'],
  ])('refuses %s at construction', (_name, overrides, field) => {
    const { clients } = queues();
    expect(
      () =>
        new SnsNotifier({
          client: clients.sns,
          topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
          ...(overrides as object),
        }),
    ).toThrow(expect.objectContaining({ field }));
  });
});
