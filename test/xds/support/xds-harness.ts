/** Our real xDS server on loopback with its snapshot cache, and waits on what it reports (ACKs, NACKs). */
import type { AckEvent, NackEvent, XdsServer } from '@portcullis/gateway';
import { SnapshotCache, startXdsServer } from '@portcullis/gateway';

export interface XdsHarness {
  readonly cache: SnapshotCache;
  readonly server: XdsServer;
  /** `127.0.0.1:<port>` for bootstraps and clients. */
  readonly address: string;
  close(): Promise<void>;
}

/** Debounce 0: tests push each snapshot at once (debouncing itself is the protocol tests' subject). */
export async function startXdsHarness(debounceMs = 0): Promise<XdsHarness> {
  const cache = new SnapshotCache();
  const server = await startXdsServer({ host: '127.0.0.1', port: 0, cache, debounceMs });
  return { cache, server, address: `127.0.0.1:${server.port}`, close: () => server.close() };
}

type Subscribe<T> = (listener: (event: T) => void) => () => void;

/** The next event (after this call) that `predicate` accepts; rejects after `timeoutMs` naming `what`. */
export function nextEvent<T>(
  subscribe: Subscribe<T>,
  predicate: (event: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe((event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

export const nextNack = (cache: SnapshotCache, predicate: (event: NackEvent) => boolean, what: string) =>
  nextEvent<NackEvent>((listener) => cache.onNack(listener), predicate, what);

export const nextAck = (cache: SnapshotCache, predicate: (event: AckEvent) => boolean, what: string) =>
  nextEvent<AckEvent>((listener) => cache.onAck(listener), predicate, what);
