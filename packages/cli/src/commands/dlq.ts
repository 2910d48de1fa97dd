/**
 * `portcullis dlq list [--max n]` and `portcullis dlq redrive [--max n] [--id <messageId>]...`: the reconcile
 * dead-letter queue ($PORTCULLIS_DLQ_URL) for the dlq-not-empty runbook. `list` looks without taking anything
 * (messages become visible again at once); `redrive` sends messages back to the reconcile queue
 * ($PORTCULLIS_RECONCILE_QUEUE_URL) and deletes them from the DLQ — at least once: reconcile tolerates duplicates.
 * Both use @portcullis/aws `SqsDeadLetterQueue`. Exit codes: list 0; redrive 0 when every chosen message moved,
 * 1 when one could not be sent or deleted.
 */
import {
  awsConfigFromEnv,
  createAwsClients,
  type DeadLetter,
  DeadLetterQueueEnv,
  SqsDeadLetterQueue,
  SqsEnv,
} from '@portcullis/aws';
import { type Command, InvalidArgumentError } from 'commander';
import { OpsError, OpsErrorCode } from '../ops/errors.js';
import { ExitCode, type OpsIo, processOpsIo } from '../ops/io.js';
import { createProgress } from '../ops/progress.js';
import { renderTable } from '../runtime/format.js';

export interface DlqListFlags {
  readonly max?: number;
}

export interface DlqRedriveFlags {
  readonly max?: number;
  readonly id?: string[];
}

/** Longest body shown in `list` (a certificate id is 64 characters at most; anything longer is cut). */
const BODY_WIDTH = 80;

function requireUrl(env: OpsIo['env'], name: string, what: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new OpsError(OpsErrorCode.QueueNotConfigured, `sqs: ${name} is not set: the URL of ${what} is needed`);
  }
  return value;
}

async function withQueue<T>(io: OpsIo, work: (queue: SqsDeadLetterQueue) => Promise<T>): Promise<T> {
  const queueUrl = requireUrl(io.env, DeadLetterQueueEnv.DeadLetterQueueUrl, 'the reconcile dead-letter queue');
  const clients = createAwsClients(awsConfigFromEnv(io.env));
  try {
    return await work(new SqsDeadLetterQueue({ client: clients.sqs, queueUrl }));
  } finally {
    clients.destroy();
  }
}

export function formatDeadLetters(letters: readonly DeadLetter[]): string {
  return renderTable(
    ['MESSAGE ID', 'RECEIVES', 'SENT', 'BODY'],
    letters.map((letter) => [
      letter.messageId,
      String(letter.receiveCount),
      letter.sentAt ?? '-',
      letter.body.length > BODY_WIDTH ? `${letter.body.slice(0, BODY_WIDTH - 1)}…` : letter.body,
    ]),
  );
}

export async function runDlqList(flags: DlqListFlags, io: OpsIo): Promise<readonly DeadLetter[]> {
  return withQueue(io, async (queue) => {
    const depth = await queue.depth();
    const letters = await createProgress(io, 'dlq').step(`reading ${queue.name}`, () =>
      queue.peekDeadLetters(flags.max ?? 100),
    );
    io.out(`${queue.name}: ${depth} message(s)${letters.length < depth ? `, showing ${letters.length}` : ''}`);
    if (letters.length > 0) io.out(formatDeadLetters(letters));
    // The body of a reconcile message is the certificate id: the runbook's next step is `status <id>`.
    return letters;
  });
}

export async function runDlqRedrive(flags: DlqRedriveFlags, io: OpsIo): Promise<boolean> {
  const target = requireUrl(io.env, SqsEnv.ReconcileQueueUrl, 'the reconcile queue');
  return withQueue(io, async (queue) => {
    const result = await createProgress(io, 'dlq').step(
      `moving messages from ${queue.name} to the reconcile queue`,
      () =>
        queue.redriveDeadLetters(target, {
          ...(flags.max === undefined ? {} : { max: flags.max }),
          ...(flags.id === undefined ? {} : { ids: flags.id }),
        }),
    );
    for (const letter of result.moved) io.out(`✔ moved ${letter.messageId} (${letter.body})`);
    for (const { messageId, error } of result.notDeleted) {
      io.out(`! sent ${messageId} but could not delete it from the DLQ (it will be sent again next time): ${error}`);
    }
    for (const { messageId, error } of result.failed) io.out(`✖ ${messageId} not sent, still in the DLQ: ${error}`);
    const missing = (flags.id ?? []).filter(
      (id) => ![...result.moved, ...result.notDeleted, ...result.failed].some((m) => m.messageId === id),
    );
    for (const id of missing) io.out(`✖ ${id} is not in the DLQ`);
    io.out(
      `${result.moved.length} moved, ${result.notDeleted.length} sent but not deleted, ${result.failed.length + missing.length} failed`,
    );
    const ok = result.failed.length === 0 && result.notDeleted.length === 0 && missing.length === 0;
    io.setExitCode(ok ? ExitCode.Ok : ExitCode.Problem);
    return ok;
  });
}

function parseMax(value: string): number {
  const max = Number(value);
  if (!/^\d+$/.test(value) || max < 1 || max > 1000) throw new InvalidArgumentError('must be an integer 1..1000');
  return max;
}

export function registerDlqCommands(program: Command, io: OpsIo = processOpsIo): void {
  const dlq = program
    .command('dlq')
    .description('the reconcile dead-letter queue ($PORTCULLIS_DLQ_URL)')
    .addHelpText(
      'after',
      '\nSQS is reached as the functions reach it ($PORTCULLIS_AWS_ENDPOINT, $PORTCULLIS_AWS_REGION).\n' +
        'Exit codes: list 0; redrive 0 when every chosen message moved, 1 otherwise or when the command could not run.',
    );
  dlq
    .command('list')
    .description('show the messages in the dead-letter queue without removing them (body = certificate id)')
    .option('--max <n>', 'show at most n messages (1..1000, default 100)', parseMax)
    .action(async (flags: DlqListFlags) => {
      await runDlqList(flags, io);
    });
  dlq
    .command('redrive')
    .description('send dead letters back to the reconcile queue ($PORTCULLIS_RECONCILE_QUEUE_URL), then delete them')
    .option('--max <n>', 'move at most n messages (1..1000, default 100)', parseMax)
    .option('--id <messageId>', 'move only this message (repeat for more)', (v: string, p: string[] = []) => [...p, v])
    .action(async (flags: DlqRedriveFlags) => {
      await runDlqRedrive(flags, io);
    });
}
