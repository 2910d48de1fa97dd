/**
 * The serverless form end to end: N `POST /certificates` through the API router (in-process, real-shaped API
 * Gateway v2 events, at most `concurrency` in flight) while `concurrency` SQS pollers feed the reconcile handler,
 * until every certificate is Ready. The ACME account is registered before the clock starts (as the baseline's
 * warm-up does), so neither side pays for a registration per certificate.
 */
import { performance } from 'node:perf_hooks';
import { createReconcileHandler } from '@portcullis/functions';
import { runPool } from '../issuance/pool.js';
import { lambdaContext, postEvent } from './api-event.js';
import type { LifecycleBenchOptions } from './options.js';
import type { ServerlessForm } from './serverless.js';
import { runPollers, type WorkerStats } from './sqs-worker.js';

export interface LifecycleRequest {
  readonly index: number;
  readonly names: readonly string[];
  readonly status: number;
  readonly id?: string;
  /** POST start to the 201. */
  readonly apiMs: number;
  /** POST start to the record first written Ready; undefined when it never got there. */
  readonly readyMs?: number;
}

export interface LifecycleRun {
  readonly requests: readonly LifecycleRequest[];
  /** First POST to the last certificate Ready (or to the deadline). */
  readonly totalWallMs: number;
  readonly clientCpuMs: number;
  readonly ordersMade: number;
  readonly acmImports: number;
  readonly worker: WorkerStats;
  /** Records read back afterwards with Ready=True and a serial. */
  readonly readyWithSerial: number;
}

/** Names of the lifecycle part (the baseline issues `b<i>`): no authorization of one can serve the other. */
export function lifecycleNames(index: number): [string, string] {
  const apex = `l${index}.example.test`;
  return [apex, `*.${apex}`];
}

export async function runLifecycle(form: ServerlessForm, options: LifecycleBenchOptions): Promise<LifecycleRun> {
  const issuer = form.wiring.deps.issuers.get('pebble');
  if (issuer === undefined) throw new Error('bench: the wiring has no pebble issuer');
  await issuer.acme.ensureAccount();

  const apiContext = () => lambdaContext('portcullis-api');
  const workerContext = () => lambdaContext('portcullis-reconcile');
  const handler = createReconcileHandler(() => form.wiring);
  const ids = new Map<string, number>();
  let posted = false;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadlineMs = started + options.timeoutSeconds * 1000;
  const starts: number[] = [];

  const workers = runPollers({
    sqs: form.wiring.clients.sqs,
    queueUrl: form.queueUrl,
    handler,
    context: workerContext,
    concurrency: options.concurrency,
    batchSize: 10,
    done: () => posted && [...ids.keys()].every((id) => form.readyAt.has(id)),
    deadlineMs,
  });
  const body = (index: number) => ({
    names: lifecycleNames(index),
    keyType: 'ec-p256',
    challenge: 'dns-01',
    ...(options.target === 'acm' ? { targets: [{ id: 'acm', type: 'acm', options: { region: 'us-east-1' } }] } : {}),
  });
  const posts = await runPool(options.certs, options.concurrency, async (index) => {
    const t0 = performance.now();
    starts[index] = t0;
    const answer = await form.router(postEvent('/certificates', body(index), `bench-${index}`), apiContext());
    const apiMs = performance.now() - t0;
    const status = typeof answer === 'string' ? 200 : (answer.statusCode ?? 200);
    const parsed = typeof answer === 'string' ? undefined : (JSON.parse(answer.body ?? '{}') as { id?: string });
    if (status === 201 && parsed?.id !== undefined) ids.set(parsed.id, index);
    return {
      index,
      names: lifecycleNames(index),
      status,
      apiMs,
      ...(parsed?.id === undefined ? {} : { id: parsed.id }),
    };
  });
  posted = true;
  const worker = await workers;
  const lastReady = Math.max(...[...form.readyAt.values()], started);
  const totalWallMs =
    (ids.size > 0 && [...ids.keys()].every((id) => form.readyAt.has(id)) ? lastReady : performance.now()) - started;
  const cpu = process.cpuUsage(cpuBefore);

  const requests = posts.map((post): LifecycleRequest => {
    const readyAt = post.id === undefined ? undefined : form.readyAt.get(post.id);
    const start = starts[post.index] as number;
    return { ...post, ...(readyAt === undefined ? {} : { readyMs: readyAt - start }) };
  });
  let readyWithSerial = 0;
  for (const id of ids.keys()) {
    const record = await form.wiring.deps.certificates.get(id);
    const ready = record?.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (ready && record?.status.serial !== undefined) readyWithSerial += 1;
  }
  return {
    requests,
    totalWallMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    ordersMade: form.orders(),
    acmImports: form.acmRequests.count('ImportCertificateCommand'),
    worker,
    readyWithSerial,
  };
}
