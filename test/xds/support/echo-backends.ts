/**
 * Small real gRPC servers on loopback that the xDS-routed test clients call. Each answers one unary method with its
 * own name, so a test can count where every call landed. No .proto: the method carries raw bytes (JSON), which
 * @grpc/grpc-js supports through explicit (de)serializers and which keeps the test free of generated code.
 */
import { type Client, type Metadata, Server, ServerCredentials, type ServiceError, status } from '@grpc/grpc-js';

/** The one method every echo backend serves. */
export const ECHO_METHOD_PATH = '/portcullis.test.Echo/Call';

const identity = (value: Buffer): Buffer => value;

const ECHO_SERVICE = {
  Call: {
    path: ECHO_METHOD_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
} as const;

export interface EchoReply {
  /** Name of the backend that answered. */
  readonly backend: string;
}

export interface EchoBackend {
  readonly name: string;
  readonly port: number;
  /** Every call the server saw, failed ones included. */
  readonly calls: () => number;
  /** Calls it answered with UNAVAILABLE (see `failEvery`). */
  readonly failures: () => number;
  close(): Promise<void>;
}

export interface EchoBackendOptions {
  /**
   * Flaky mode: of every `failEvery` calls, all but the last fail with UNAVAILABLE (e.g. 3 → fail, fail, succeed).
   * Deterministic, so a test knows exactly how many attempts a retry policy needs.
   */
  readonly failEvery?: number;
}

export async function startEchoBackend(name: string, options: EchoBackendOptions = {}): Promise<EchoBackend> {
  const server = new Server();
  let calls = 0;
  let failures = 0;
  server.addService(ECHO_SERVICE, {
    Call: (_call: unknown, callback: (error: Partial<ServiceError> | null, reply?: Buffer) => void) => {
      calls += 1;
      if (options.failEvery !== undefined && calls % options.failEvery !== 0) {
        failures += 1;
        callback({ code: status.UNAVAILABLE, details: `${name} is flaky` });
        return;
      }
      callback(null, Buffer.from(JSON.stringify({ backend: name } satisfies EchoReply)));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    name,
    port,
    calls: () => calls,
    failures: () => failures,
    close: () =>
      new Promise<void>((resolve) => {
        // Give in-flight calls a moment, then cut what is left so a test never hangs on close.
        const timer = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

/** One unary echo call through `client` (any channel, xDS or direct); resolves with the backend that answered. */
export function callEcho(client: Client, metadata?: Metadata, deadlineMs = 10_000): Promise<EchoReply> {
  return new Promise((resolve, reject) => {
    const callback = (error: ServiceError | null, reply?: Buffer) => {
      if (error !== null || reply === undefined) reject(error ?? new Error('echo: empty reply'));
      else resolve(JSON.parse(reply.toString('utf8')) as EchoReply);
    };
    const options = { deadline: Date.now() + deadlineMs };
    if (metadata === undefined) {
      client.makeUnaryRequest(ECHO_METHOD_PATH, identity, identity, Buffer.from('{}'), options, callback);
    } else {
      client.makeUnaryRequest(ECHO_METHOD_PATH, identity, identity, Buffer.from('{}'), metadata, options, callback);
    }
  });
}

/** Calls `count` times, sequentially, and counts answers per backend name. */
export async function tallyCalls(
  client: Client,
  count: number,
  metadata?: () => Metadata,
): Promise<Map<string, number>> {
  const tally = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const { backend } = await callEcho(client, metadata?.());
    tally.set(backend, (tally.get(backend) ?? 0) + 1);
  }
  return tally;
}
