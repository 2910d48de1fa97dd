/**
 * One real local stack per test file (pebble + bind9 + moto) and, per test, fresh DynamoDB tables, a fresh SQS
 * queue and the functions' wiring built from the environment exactly as a Lambda cold start builds it — with a
 * `CrashSwitch` proxy around every port so tests can count calls and kill the "worker" after a side effect.
 */
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  createAwsClients,
  createTables,
  type DynamoDbTableNames,
  defaultTableNames,
  deleteTables,
} from '@portcullis/aws';
import { localFunctionsEnv } from '@portcullis/cli';
import {
  type CertificateRecord,
  type CertificateSpec,
  type Clock,
  newCertificateRecord,
  type ReconcileResult,
  reconcile,
  toIsoTime,
} from '@portcullis/core';
import { buildWiring, type Wiring, type WiringOverrides } from '@portcullis/functions';
import type { LocalStack } from '@portcullis/local';
import { CrashSwitch, SimulatedCrash } from './crash-harness.js';

/** Real time plus an offset the test moves forward instead of waiting (requeue delays, claim leases). */
export class SkewedClock implements Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }
}

export interface LifecycleHarness {
  readonly wiring: Wiring;
  readonly crash: CrashSwitch;
  readonly clock: SkewedClock;
  readonly tables: DynamoDbTableNames;
  readonly queueUrl: string;
  /** Environment the wiring was built from (to build a second "cold start"). */
  readonly env: Record<string, string>;
  /** Creates a certificate record as the API would. */
  request(id: string, spec?: Partial<CertificateSpec>): Promise<CertificateRecord>;
  record(id: string): Promise<CertificateRecord>;
  /** Deletes the tables and the queue, closes clients. */
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Passed to `buildWiring` (a switchable DNS provider for the outage test). */
  readonly wrapDnsProvider?: WiringOverrides['wrapDnsProvider'];
}

export async function createHarness(
  stack: LocalStack,
  admin: AwsClients,
  options: HarnessOptions = {},
): Promise<LifecycleHarness> {
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const tables = defaultTableNames(prefix);
  await createTables(admin.dynamodb, tables);
  const queue = await admin.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-reconcile` }));
  const queueUrl = queue.QueueUrl as string;
  const env: Record<string, string> = {
    ...localFunctionsEnv({ stack, prefix, tables, queueUrl }),
    PORTCULLIS_ACME_BACKOFF_MIN_MS: '50',
    PORTCULLIS_ACME_BACKOFF_MAX_MS: '500',
    ...options.env,
  };
  const crash = new CrashSwitch();
  const clock = new SkewedClock();
  const plain = buildWiring(env, {
    clock,
    ...(options.wrapDnsProvider === undefined ? {} : { wrapDnsProvider: options.wrapDnsProvider }),
  });
  const d = plain.deps;
  const dns = d.dns as NonNullable<typeof d.dns>;
  const issuer = d.issuers.get('pebble');
  if (issuer === undefined) throw new Error('wiring: no pebble issuer');
  const acme = crash.wrap('acme', issuer.acme);
  const wiredIssuer = { ...issuer, acme };
  const wiring: Wiring = {
    ...plain,
    deps: {
      ...d,
      certificates: crash.wrap('certificates', d.certificates),
      orders: crash.wrap('orders', d.orders),
      ledger: crash.wrap('ledger', d.ledger),
      events: crash.wrap('events', d.events),
      publisher: crash.wrap('publisher', d.publisher),
      store: crash.wrap('store', d.store),
      targets: crash.wrap('targets', d.targets, { forSpec: 'target' }),
      dns: { provider: crash.wrap('dns', dns.provider), resolver: dns.resolver },
      issuers: { get: (id) => (id === wiredIssuer.id ? wiredIssuer : undefined) },
    },
  };
  return {
    wiring,
    crash,
    clock,
    tables,
    queueUrl,
    env,
    request: async (id, spec = {}) => {
      const record = newCertificateRecord(
        id,
        {
          names: ['example.test', '*.example.test'],
          keyType: 'ec-p256',
          issuer: 'pebble',
          challenge: 'dns-01',
          targets: [{ id: 'acm', type: 'acm', options: { region: 'us-east-1' } }],
          tenant: 'tenant-a',
          ...spec,
        },
        toIsoTime(clock.now()),
      );
      await plain.deps.certificates.create(record);
      return record;
    },
    record: async (id) => {
      const record = await plain.deps.certificates.get(id);
      if (record === undefined) throw new Error(`test: no record ${id}`);
      return record;
    },
    dispose: async () => {
      await deleteTables(admin.dynamodb, tables);
      await admin.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      plain.close();
    },
  };
}

export interface DriveOptions {
  /** Bound on reconcile calls (a settled issuance of apex + wildcard takes about 20). */
  readonly maxSteps?: number;
  /** Stop when this returns true for a result. */
  readonly until?: (result: ReconcileResult) => boolean;
}

export interface DriveOutcome {
  readonly results: ReconcileResult[];
  /** How many times the worker died (a `SimulatedCrash` escaped reconcile). */
  readonly crashes: number;
}

/**
 * Delivers the certificate's message the way SQS + the worker would: reconcile, then jump the clock by the requeue
 * delay (or to `nextWakeAt` when the planner would wake it) instead of waiting. A crash = the message comes back
 * after the visibility timeout, which outlasts the claim lease: the clock jumps past it and a new worker starts.
 */
export async function driveUntilSettled(
  harness: LifecycleHarness,
  id: string,
  options: DriveOptions = {},
): Promise<DriveOutcome> {
  const results: ReconcileResult[] = [];
  let crashes = 0;
  for (let i = 0; i < (options.maxSteps ?? 60); i++) {
    let result: ReconcileResult;
    try {
      result = await reconcile(id, harness.wiring.deps);
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      crashes += 1;
      harness.crash.restart();
      harness.clock.advance(301);
      continue;
    }
    results.push(result);
    if (options.until?.(result) === true) return { results, crashes };
    if (result.requeueAfterSeconds === undefined) {
      if (isReady(await harness.record(id))) return { results, crashes };
      const wake = result.nextWakeAt;
      if (wake === undefined) return { results, crashes };
      // The planner would find it at nextWakeAt: jump there.
      harness.clock.advance(Math.max(1, (Date.parse(wake) - harness.clock.now().getTime()) / 1000));
      continue;
    }
    harness.clock.advance(result.requeueAfterSeconds);
  }
  throw new Error(`test: ${id} did not settle within ${options.maxSteps ?? 60} reconcile calls`);
}

export function isReady(record: CertificateRecord): boolean {
  return record.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The clients of the stack's moto (tables, queues, counts). */
export function motoClients(stack: LocalStack): AwsClients {
  const moto = stack.moto;
  if (moto === undefined) throw new Error('local stack: moto_server did not start');
  return createAwsClients({ region: moto.region, endpoint: moto.endpoint });
}

export { SimulatedCrash };
