/**
 * The dead-letter queue adapter on real moto_server: messages dead-lettered by SQS itself (a redrive policy on the
 * source queue), depth counting in-flight messages, peeking without consuming, and redriving all or chosen
 * messages back to the source queue.
 */
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsDeadLetterQueue, SqsError, SqsErrorCode } from '@portcullis/aws';
import { describe, expect, it } from 'vitest';
import { useQueueStack } from './monitoring-sqs-support.js';

const queues = useQueueStack();

/** A reconcile-like queue whose messages go to a DLQ after one failed receive, holding `bodies` dead letters. */
async function deadLettered(bodies: readonly string[]) {
  const { clients, createQueue } = queues();
  const dlq = await createQueue('reconcile-dlq');
  const source = await createQueue('reconcile', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
  });
  for (const body of bodies) {
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: body }));
  }
  // First receive: the worker "fails" (visibility 0 makes it visible at once); the next receive moves it to the DLQ.
  for (let round = 0; round < 3; round++) {
    await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
  }
  const queue = new SqsDeadLetterQueue({ client: clients.sqs, queueUrl: dlq.url });
  return { source, dlq, queue };
}

describe('SqsDeadLetterQueue', () => {
  it('names the queue after its URL and counts what SQS dead-lettered', async () => {
    const { queue, dlq } = await deadLettered(['cert-1', 'cert-2', 'cert-3']);
    expect(queue.name).toBe(dlq.url.split('/').at(-1));
    expect(await queue.depth()).toBe(3);
  });

  it('counts messages in flight: a message being looked at is still in the queue', async () => {
    const { clients } = queues();
    const { queue, dlq } = await deadLettered(['cert-1', 'cert-2']);
    await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }),
    );
    expect(await queue.depth()).toBe(2);
  });

  it('peeks at every message without consuming it', async () => {
    const { drain } = queues();
    const { queue, dlq } = await deadLettered(['cert-1', 'cert-2', 'cert-3']);
    const peeked = await queue.peekDeadLetters(10);
    expect(peeked.map((letter) => letter.body).sort()).toEqual(['cert-1', 'cert-2', 'cert-3']);
    for (const letter of peeked) {
      expect(letter.messageId).toMatch(/\S/);
      expect(letter.receiveCount).toBeGreaterThanOrEqual(2);
      expect(letter.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    expect(await queue.peekDeadLetters(2)).toHaveLength(2);
    // Visible again at once, not after a timeout: a plain receive gets all three now.
    expect((await drain(dlq.url)).map((message) => message.body).sort()).toEqual(['cert-1', 'cert-2', 'cert-3']);
  });

  it('redrives every message to the source queue and empties the dead-letter queue', async () => {
    const { drain } = queues();
    const { queue, source } = await deadLettered(['cert-1', 'cert-2']);
    const result = await queue.redriveDeadLetters(source.url);
    expect(result.moved.map((letter) => letter.body).sort()).toEqual(['cert-1', 'cert-2']);
    expect([result.failed, result.notDeleted]).toEqual([[], []]);
    expect(await queue.depth()).toBe(0);
    expect((await drain(source.url)).map((message) => message.body).sort()).toEqual(['cert-1', 'cert-2']);
  });

  it('redrives only the chosen message ids and leaves the others visible', async () => {
    const { drain } = queues();
    const { queue, source, dlq } = await deadLettered(['cert-1', 'cert-2', 'cert-3']);
    const peeked = await queue.peekDeadLetters(10);
    const chosen = peeked.filter((letter) => letter.body !== 'cert-2').map((letter) => letter.messageId);
    const result = await queue.redriveDeadLetters(source.url, { ids: chosen });
    expect(result.moved.map((letter) => letter.body).sort()).toEqual(['cert-1', 'cert-3']);
    expect((await drain(source.url)).map((message) => message.body).sort()).toEqual(['cert-1', 'cert-3']);
    expect((await drain(dlq.url)).map((message) => message.body)).toEqual(['cert-2']);
  });

  it('keeps messages it could not send, reporting each, and moves at most max', async () => {
    const { queue, source, dlq } = await deadLettered(['cert-1', 'cert-2', 'cert-3']);
    const missing = `${dlq.url.slice(0, dlq.url.lastIndexOf('/'))}/no-such-queue`;
    const failed = await queue.redriveDeadLetters(missing);
    expect(failed.moved).toEqual([]);
    expect(failed.failed).toHaveLength(3);
    expect(failed.failed[0]?.error).toContain(`sqs: ${dlq.url}: SendMessage to ${missing}:`);
    expect(await queue.depth()).toBe(3);

    const limited = await queue.redriveDeadLetters(source.url, { max: 2 });
    expect(limited.moved).toHaveLength(2);
    expect(await queue.depth()).toBe(1);
  });

  it('reports a missing dead-letter queue as an SqsError naming the queue', async () => {
    const { clients, createQueue } = queues();
    const { url } = await createQueue('present');
    const queue = new SqsDeadLetterQueue({ client: clients.sqs, queueUrl: `${url}-gone` });
    const failure = await queue.depth().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SqsError);
    expect(failure).toMatchObject({ code: SqsErrorCode.RequestFailed, retryable: false });
    expect((failure as Error).message).toContain(`sqs: ${url}-gone: GetQueueAttributes:`);
  });

  it.each([
    ['a URL that is no queue URL', { queueUrl: 'https://example.test/queue' }, 'deadLetterQueue.queueUrl'],
    ['a visibility timeout over 5 minutes', { visibilitySeconds: 301 }, 'deadLetterQueue.visibilitySeconds'],
    ['an unknown option', { depth: 1 }, 'deadLetterQueue.depth'],
  ])('refuses %s at construction', (_name, overrides, field) => {
    const { clients } = queues();
    expect(
      () =>
        new SqsDeadLetterQueue({
          client: clients.sqs,
          queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/reconcile-dlq',
          ...(overrides as object),
        }),
    ).toThrow(expect.objectContaining({ field }));
  });
});
