/**
 * Everything needed to use and stop a running stack, as plain JSON. A stack started in this process keeps it in
 * memory; a detached stack (`portcullis local up`) writes it to a state file that later commands attach to.
 */
import type { TsigKey } from './config.js';

export interface ChildRecord {
  readonly name: string;
  readonly pid: number;
  /** An argument unique to this run (config path or port) that /proc/<pid>/cmdline must contain before we signal
   * it, so a recycled PID of an unrelated process is never killed. */
  readonly commandLineMarker: string;
  readonly logFile: string;
}

export interface EabKey {
  readonly kid: string;
  /** base64url */
  readonly hmacKey: string;
}

export interface LocalStackState {
  readonly version: 1;
  readonly dir: string;
  readonly detached: boolean;
  readonly startedAt: string;
  readonly children: readonly ChildRecord[];
  readonly bind: {
    readonly host: '127.0.0.1';
    readonly port: number;
    readonly zones: readonly string[];
    readonly tsig: TsigKey;
  };
  readonly pebble: {
    readonly directoryUrl: string;
    readonly managementUrl: string;
    readonly listenerCaFile: string;
    readonly httpPort: number;
    readonly tlsPort: number;
    /** Number of root chains pebble serves: 1 + PEBBLE_ALTERNATE_ROOTS. */
    readonly rootCount: number;
    readonly eab?: readonly EabKey[];
  };
  readonly moto?: { readonly endpoint: string; readonly region: 'us-east-1' };
}
