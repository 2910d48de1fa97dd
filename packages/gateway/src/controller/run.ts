/**
 * The controller's main loop: provider → translate → Envoy builders → encode → snapshot cache → xDS server, and
 * status (translate's, plus Envoy's rejections) → status writer.
 *
 *   provider snapshot ──► translate ──► build + encode ──► cache.setSnapshot('*') ──► (debounced) ADS pushes
 *          │                   └─ status ─┐
 *          └───────────────────────────── withRejections ◄── cache.onRejectionsChange (NACK / fix / node gone)
 *                                              └─► statusWriter.write (serialised; a newer status replaces a queued one)
 *
 * The provider emits its first snapshot only after its first full sync, so the cache (and /readyz) becomes ready
 * with a complete configuration and nothing partial is ever served. A snapshot that fails to translate or build
 * leaves the previous one serving and is logged; the next snapshot tries again.
 */
import { type Clock, systemClock } from '@portcullis/core';
import { type BuildOptions, buildEnvoyResources } from '../envoy/build.js';
import { encodeResources } from '../envoy/codec.js';
import type { TranslateOptions, TranslateResult } from '../model/translate-options.js';
import { CONTROLLER_NAME } from '../sources/annotations.js';
import { EMPTY_SNAPSHOT, type Provider, type SourceSnapshot } from '../sources/types.js';
import type { StatusUpdates } from '../status/types.js';
import { translate } from '../translate.js';
import { startXdsServer } from '../xds/server.js';
import { SnapshotCache } from '../xds/snapshot-cache.js';
import { ALL_NODES, type XdsServer, type XdsServerOptions } from '../xds/types.js';
import { withRejections } from './rejection-status.js';

export interface StatusSink {
  write(updates: StatusUpdates): Promise<unknown>;
}

export interface ControllerOptions {
  readonly provider: Provider;
  /** Where the xDS server listens (and its metrics/health HTTP listener); the cache is created here. */
  readonly xds: Omit<XdsServerOptions, 'cache'>;
  readonly translate?: TranslateOptions;
  /** For grpc-js-xds data planes use `pathPrefixStyle: 'exact-and-slash-prefix'` (it rejects path_separated_prefix). */
  readonly build?: BuildOptions;
  /** Omitted: status is computed (see `status()`) but written nowhere, as in local mode with the File provider. */
  readonly statusWriter?: StatusSink;
  readonly log?: (event: ControllerLogEvent) => void;
}

export interface ControllerLogEvent {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly error?: unknown;
}

export interface RunningController {
  readonly cache: SnapshotCache;
  readonly server: XdsServer;
  /** The status last handed to the writer (translate's with rejections applied). */
  status(): StatusUpdates;
  /** Resolves when every status write started so far has finished (tests, shutdown). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function runController(options: ControllerOptions): Promise<RunningController> {
  const clock: Pick<Clock, 'now'> = options.translate?.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const controllerName = options.translate?.controllerName ?? CONTROLLER_NAME;
  // Validates the translate options before anything starts (translate throws ValidationError on bad options).
  translate(EMPTY_SNAPSHOT, options.translate);

  const cache = new SnapshotCache();
  const server = await startXdsServer({ ...options.xds, cache });
  let latest: { readonly snapshot: SourceSnapshot; readonly result: TranslateResult } | undefined;
  let written: StatusUpdates = [];

  // Status writes are serialised; while one runs, later requests collapse into one more run with the newest state.
  let running: Promise<void> = Promise.resolve();
  let queued = false;
  const scheduleStatus = (): void => {
    if (queued || latest === undefined) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      if (latest === undefined) return;
      const { updates, unsurfaced } = withRejections(
        latest.result.status,
        cache.rejections(),
        latest.snapshot,
        controllerName,
        clock.now(),
      );
      for (const key of unsurfaced) log({ level: 'warn', message: `envoy rejects configuration of ${key}` });
      written = updates;
      try {
        await options.statusWriter?.write(updates);
      } catch (error) {
        log({ level: 'error', message: 'status write failed', error });
      }
    });
  };

  const onSnapshot = (snapshot: SourceSnapshot): void => {
    try {
      const result = translate(snapshot, options.translate);
      const resources = encodeResources(buildEnvoyResources(result.model, options.build));
      cache.setSnapshot(ALL_NODES, resources);
      latest = { snapshot, result };
      for (const d of result.diagnostics) log({ level: 'warn', message: `${d.object}: ${d.message}` });
    } catch (error) {
      log({ level: 'error', message: 'snapshot not applied; the previous configuration keeps serving', error });
      return;
    }
    scheduleStatus();
  };
  const unsubscribe = cache.onRejectionsChange(() => scheduleStatus());

  try {
    await options.provider.start(onSnapshot);
  } catch (error) {
    unsubscribe();
    await server.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    cache,
    server,
    status: () => written,
    settled: () => running,
    stop: () => {
      stopping ??= (async () => {
        unsubscribe();
        await options.provider.stop();
        await server.close();
        await running;
      })();
      return stopping;
    },
  };
}
