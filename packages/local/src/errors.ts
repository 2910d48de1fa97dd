import { PortcullisError } from '@portcullis/core';

/** Stable codes of the local stack's errors, one per way it can fail. */
export const LocalStackErrorCode = {
  /** A child (named, pebble, moto_server) exited or did not become ready before the deadline. */
  StartFailed: 'LocalStackStartFailed',
  /** A management or readiness request to a running child failed. */
  RequestFailed: 'LocalStackRequestFailed',
  /** The state file of a detached stack is missing, unreadable or names processes that are gone. */
  StateInvalid: 'LocalStackStateInvalid',
} as const;
export type LocalStackErrorCode = (typeof LocalStackErrorCode)[keyof typeof LocalStackErrorCode];

/** A child of the local stack failed to start. Everything already started has been stopped when this is thrown. */
export class LocalStackStartError extends PortcullisError {
  /** Which child failed: `named`, `pebble` or `moto`. */
  readonly child: string;
  /** Last lines of the child's combined stdout + stderr. */
  readonly logTail: string;
  /** PIDs of every child this start attempt spawned (all stopped by now). */
  readonly pids: readonly number[];
  /** The run dir of the attempt (removed by now). */
  readonly dir: string;

  constructor(child: string, reason: string, logTail: string, pids: readonly number[], dir: string, cause?: unknown) {
    super(
      LocalStackErrorCode.StartFailed,
      `${child}: failed to start: ${reason}\n--- ${child} log tail ---\n${logTail}`,
      {
        cause,
      },
    );
    this.child = child;
    this.logTail = logTail;
    this.pids = pids;
    this.dir = dir;
  }
}

/** A request to a running child of the stack (pebble management API, moto API) failed. */
export class LocalStackRequestError extends PortcullisError {
  constructor(system: string, url: string, detail: string, cause?: unknown) {
    super(LocalStackErrorCode.RequestFailed, `${system}: ${url}: ${detail}`, { retryable: true, cause });
  }
}

/** The state file of a detached stack cannot be used. */
export class LocalStackStateError extends PortcullisError {
  constructor(file: string, detail: string, cause?: unknown) {
    super(LocalStackErrorCode.StateInvalid, `local stack state ${file}: ${detail}`, { cause });
  }
}
