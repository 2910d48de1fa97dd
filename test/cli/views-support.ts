/**
 * Shared by test/cli/views-*.test.ts: the local runtime on a stack whose pebble issues certificates of a given
 * validity, certificates requested through the HTTP API and taken to Ready, and a `ViewIo` that records what the
 * view commands print on stdout and stderr.
 */
import { createServer } from 'node:net';
import {
  ApiClient,
  type CertificateView,
  isReady,
  type LocalRuntime,
  startLocalRuntime,
  type ViewIo,
  watchCertificate,
} from '@portcullis/cli';
import { sendUpdate } from '@portcullis/dns';
import { FunctionsEnv } from '@portcullis/functions';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { Command } from 'commander';

export const DAY_SECONDS = 86_400;

export interface ViewsStack {
  readonly stack: LocalStack;
  readonly runtime: LocalRuntime;
  readonly api: ApiClient;
  stop(): Promise<void>;
}

/**
 * A stack whose pebble issues `validitySeconds` certificates, and the runtime on it (monitor on demand only). The
 * issuer's CAA identity is `pebble.test`, so a CAA record naming another CA makes issuance for a name fail.
 */
export async function startViewsStack(validitySeconds: number): Promise<ViewsStack> {
  const stack = await startLocalStack({ pebble: { validitySeconds } });
  try {
    const runtime = await startLocalRuntime(stack, {
      planIntervalMs: 500,
      monitorIntervalMs: 0,
      env: {
        [FunctionsEnv.IssuerCaa]: 'pebble.test',
        PORTCULLIS_ACME_BACKOFF_MIN_MS: '50',
        PORTCULLIS_ACME_BACKOFF_MAX_MS: '500',
      },
    });
    return {
      stack,
      runtime,
      api: new ApiClient(runtime.url),
      stop: async () => {
        await runtime.stop();
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** POST /certificates with an ACM target (plus `endpoints`), then waits for Ready. */
export async function requestReady(
  api: ApiClient,
  names: readonly string[],
  endpoints: readonly { host: string; port: number; serverName?: string }[] = [],
): Promise<CertificateView> {
  const created = await api.create({
    names,
    keyType: 'ec-p256',
    challenge: 'dns-01',
    targets: [{ id: 'acm', type: 'acm', options: { region: 'us-east-1' } }],
    ...(endpoints.length === 0 ? {} : { endpoints }),
  });
  return watchCertificate(api, created.id, { until: isReady, timeoutMs: 45_000 });
}

/**
 * A certificate whose issuance fails for real: a CAA record at its name allows only another CA, so the pre-flight
 * refuses to order (as it would for a real CA); waits until the failure is recorded.
 */
export async function requestFailing(views: ViewsStack, name: string): Promise<CertificateView> {
  await sendUpdate(views.stack.bind, 'example.test', views.stack.bind.tsig, [
    { op: 'add', name, type: 'CAA', ttl: 60, data: { flags: 0, tag: 'issue', value: 'other-ca.test' } },
  ]);
  const created = await views.api.create({ names: [name], keyType: 'ec-p256', challenge: 'dns-01', targets: [] });
  return watchCertificate(views.api, created.id, { until: (v) => v.status.failures !== undefined, timeoutMs: 45_000 });
}

/** A loopback port nothing listens on (a server bound it, then closed): a live endpoint that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RecordedRun {
  readonly stdout: string;
  readonly stderr: readonly string[];
}

/** Runs `portcullis <args>` in-process with the given registrations, recording stdout and stderr lines. */
export async function runViews(
  register: readonly ((program: Command, io: ViewIo) => void)[],
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<RecordedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: ViewIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, stdoutIsTty: false, stderrIsTty: false };
  const program = new Command('portcullis').exitOverride();
  for (const add of register) add(program, io);
  await program.parseAsync([...args], { from: 'user' });
  return { stdout: out.join('\n'), stderr: err };
}
