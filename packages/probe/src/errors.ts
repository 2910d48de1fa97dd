import { PortcullisError } from '@portcullis/core';

/** Stable codes of the TLS endpoint prober (the monitor records the message in `Observation.error`). */
export const ProbeErrorCode = {
  /** No TCP connection, or no finished handshake, within the timeout (a silent firewall, a hung server). Retryable. */
  Timeout: 'ProbeTimeout',
  /** The TCP connection failed at once (refused, unreachable, the name does not resolve). Retryable. */
  ConnectFailed: 'ProbeConnectFailed',
  /** The server answered but no TLS handshake came of it (not TLS, no common protocol or cipher, an alert). */
  HandshakeFailed: 'ProbeHandshakeFailed',
  /** The handshake finished without a server certificate (anonymous or PSK suites only). */
  NoCertificate: 'ProbeNoCertificate',
} as const;
export type ProbeErrorCode = (typeof ProbeErrorCode)[keyof typeof ProbeErrorCode];

/**
 * "tls: <host>:<port> (SNI <name>): <what happened>". Stable for the same condition — no timings measured, no
 * socket ids — so the monitor's observation does not change from run to run while nothing else does.
 */
export class ProbeError extends PortcullisError {
  declare readonly code: ProbeErrorCode;
  /** `host:port` probed. */
  readonly endpoint: string;

  constructor(
    code: ProbeErrorCode,
    endpoint: string,
    detail: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, `tls: ${endpoint}: ${detail}`, options);
    this.endpoint = endpoint;
  }
}
