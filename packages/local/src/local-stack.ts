import { readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { renderStackEnv } from './env.js';
import { LocalStackRequestError } from './errors.js';
import { readCommandLine, registerExitCleanup, stopPid } from './process-control.js';
import { fetchText } from './readiness.js';
import type { EabKey, LocalStackState } from './stack-state.js';

/** pebble's answer for one certificate; `Status` etc. are pebble's own fields, kept as they come. */
export type CertStatus = { status: string; revocationReason?: number } & Record<string, unknown>;

/** A running local stack (see packages/local/README.md). */
export interface LocalStack {
  readonly dir: string;
  /** The children and their PIDs (named, pebble, moto), e.g. to check that stop() ended them. */
  readonly processes: readonly { readonly name: string; readonly pid: number }[];
  readonly bind: {
    readonly host: '127.0.0.1';
    readonly port: number;
    readonly zones: string[];
    readonly tsig: { readonly name: string; readonly algorithm: 'hmac-sha256'; readonly secret: string };
  };
  readonly pebble: {
    readonly directoryUrl: string;
    readonly managementUrl: string;
    readonly listenerCaPem: string;
    readonly listenerCaFile: string;
    readonly httpPort: number;
    readonly eab?: { kid: string; hmacKey: string }[];
    roots(): Promise<string[]>;
    intermediates(): Promise<string[]>;
    certStatus(serialHex: string): Promise<CertStatus>;
  };
  readonly httpsAgent: Agent;
  readonly moto?: { readonly endpoint: string; readonly region: 'us-east-1'; reset(): Promise<void> };
  /** The PORTCULLIS_* variables describing this stack (names in `LocalStackEnv`). */
  env(): Record<string, string>;
  /** SIGTERM then SIGKILL by PID, removes the dir (and the state file of a detached stack); idempotent. */
  stop(): Promise<void>;
}

/** Serial as pebble prints it: lower-case hex, no colons, no leading zeros. */
export function normalizeSerialHex(serialHex: string): string {
  const hex = serialHex
    .replaceAll(':', '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
  if (!/^[0-9a-f]+$/.test(hex)) throw new RangeError(`serialHex: ${JSON.stringify(serialHex)} is not hexadecimal`);
  return hex;
}

export interface HandleOptions {
  /** Children were spawned by this process: kill them if it exits without stop(). */
  readonly ownChildren: boolean;
  /** Removed by stop() (detached stacks). */
  readonly stateFile?: string;
}

/** Builds the `LocalStack` for a state, started here or attached from a state file. */
export function createStackHandle(state: LocalStackState, options: HandleOptions): LocalStack {
  const listenerCaPem = readFileSync(state.pebble.listenerCaFile, 'utf8');
  // Per-client trust: only requests made with this agent trust the run's listener CA; process-wide TLS is untouched.
  const httpsAgent = new Agent({ ca: listenerCaPem, keepAlive: false });
  const unregister = options.ownChildren
    ? registerExitCleanup(
        state.children.map((child) => child.pid),
        state.dir,
      )
    : () => {};

  const getPem = async (path: string): Promise<string> => {
    const url = `${state.pebble.managementUrl}${path}`;
    const res = await fetchText(url, { agent: httpsAgent });
    if (res.status !== 200) throw new LocalStackRequestError('pebble', url, `HTTP ${res.status}: ${res.body.trim()}`);
    return res.body;
  };
  const indexes = Array.from({ length: state.pebble.rootCount }, (_, index) => index);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(
        state.children.map(async (child) => {
          // Signal only the process we started: a recycled PID of something else must survive.
          const commandLine = readCommandLine(child.pid);
          if (commandLine?.includes(child.commandLineMarker)) await stopPid(child.pid);
        }),
      );
      rmSync(state.dir, { recursive: true, force: true });
      if (options.stateFile !== undefined) rmSync(options.stateFile, { force: true });
      httpsAgent.destroy();
      unregister();
    })();
    return stopping;
  };

  const eab = state.pebble.eab?.map((key: EabKey) => ({ ...key }));
  const moto = state.moto;
  return {
    dir: state.dir,
    processes: state.children.map((child) => ({ name: child.name, pid: child.pid })),
    bind: { ...state.bind, zones: [...state.bind.zones], tsig: { ...state.bind.tsig } },
    pebble: {
      directoryUrl: state.pebble.directoryUrl,
      managementUrl: state.pebble.managementUrl,
      listenerCaPem,
      listenerCaFile: state.pebble.listenerCaFile,
      httpPort: state.pebble.httpPort,
      ...(eab === undefined ? {} : { eab }),
      roots: () => Promise.all(indexes.map((index) => getPem(`/roots/${index}`))),
      intermediates: () => Promise.all(indexes.map((index) => getPem(`/intermediates/${index}`))),
      certStatus: async (serialHex) => {
        const url = `${state.pebble.managementUrl}/cert-status-by-serial/${normalizeSerialHex(serialHex)}`;
        const res = await fetchText(url, { agent: httpsAgent });
        if (res.status !== 200)
          throw new LocalStackRequestError('pebble', url, `HTTP ${res.status}: ${res.body.trim()}`);
        const body = JSON.parse(res.body) as Record<string, unknown>;
        const reason = body.Reason;
        return {
          ...body,
          status: String(body.Status),
          ...(typeof reason === 'number' && body.Status === 'Revoked' ? { revocationReason: reason } : {}),
        };
      },
    },
    httpsAgent,
    ...(moto === undefined
      ? {}
      : {
          moto: {
            endpoint: moto.endpoint,
            region: moto.region,
            reset: async () => {
              const url = `${moto.endpoint}/moto-api/reset`;
              const res = await fetchText(url, { method: 'POST' });
              if (res.status !== 200) throw new LocalStackRequestError('moto', url, `HTTP ${res.status}`);
            },
          },
        }),
    env: () => renderStackEnv(state, options.stateFile),
    stop,
  };
}
