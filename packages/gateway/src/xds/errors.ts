import { PortcullisError } from '@portcullis/core';

/** Stable codes of the xDS server and snapshot cache errors. */
export const XdsErrorCode = {
  /** A snapshot handed to the cache is malformed: a type missing, a duplicate name, a resource under the wrong type. */
  InvalidSnapshot: 'XdsInvalidSnapshot',
  /** The server could not bind its gRPC or HTTP port. */
  BindFailed: 'XdsBindFailed',
} as const;
export type XdsErrorCode = (typeof XdsErrorCode)[keyof typeof XdsErrorCode];

/** A snapshot the cache refuses, before it changes anything; names the node, type and resource. */
export class XdsSnapshotError extends PortcullisError {
  constructor(nodeId: string, detail: string) {
    super(XdsErrorCode.InvalidSnapshot, `xds: snapshot for node ${JSON.stringify(nodeId)}: ${detail}`);
  }
}

/** The gRPC or HTTP listener could not be started. */
export class XdsBindError extends PortcullisError {
  constructor(what: 'grpc' | 'http', address: string, cause: unknown) {
    super(XdsErrorCode.BindFailed, `xds: ${what} listener on ${address}: ${describe(cause)}`, {
      retryable: true,
      cause,
    });
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
