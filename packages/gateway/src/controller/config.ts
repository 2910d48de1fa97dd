/**
 * The controller process's configuration, read from the environment (deploy/30-controller.yaml sets it) and
 * validated before anything starts: every error names the variable and the rule.
 */
import { isIP } from 'node:net';
import { ValidationError } from '@portcullis/core';
import type { GatewayAddress } from '../model/translate-options.js';
import { PROXY_PROTOCOL_ENV, proxyProtocolFromEnv } from '../model/translate-options.js';

export const ControllerEnv = {
  /** gRPC (ADS/SDS) port. Default 18000. */
  XdsPort: 'PORTCULLIS_XDS_PORT',
  /** Port of /metrics, /healthz and /readyz. Default 8080. */
  HttpPort: 'PORTCULLIS_HTTP_PORT',
  /** Address both listen on. Default 0.0.0.0. */
  ListenHost: 'PORTCULLIS_LISTEN_HOST',
  /**
   * A directory of YAML manifests: use the File provider (local mode, the demo) instead of the Kubernetes API.
   * Unset = Kubernetes (in-cluster service account, or `KUBECONFIG`).
   */
  ManifestDir: 'PORTCULLIS_GATEWAY_MANIFESTS',
  /** Comma-separated addresses of the Envoy fleet's load balancer (IPs or host names), reported in status. */
  Addresses: 'PORTCULLIS_GATEWAY_ADDRESSES',
  /** `true`/`false`: every Envoy listener expects a PROXY protocol v2 header (NLB with proxy protocol on). */
  ProxyProtocol: PROXY_PROTOCOL_ENV,
} as const;

export interface ControllerConfig {
  readonly host: string;
  readonly xdsPort: number;
  readonly httpPort: number;
  readonly provider: { readonly kind: 'file'; readonly directory: string } | { readonly kind: 'kubernetes' };
  readonly addresses: readonly GatewayAddress[];
  readonly proxyProtocol: boolean;
}

export function controllerConfigFromEnv(env: Readonly<Record<string, string | undefined>>): ControllerConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const port = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
      throw new ValidationError(name, 'port', `"${raw}" is not a port number from 1 to 65535`);
    }
    return value;
  };
  const directory = read(ControllerEnv.ManifestDir);
  const xdsPort = port(ControllerEnv.XdsPort, 18_000);
  const httpPort = port(ControllerEnv.HttpPort, 8080);
  if (xdsPort === httpPort) {
    throw new ValidationError(ControllerEnv.HttpPort, 'distinct-ports', `must differ from ${ControllerEnv.XdsPort}`);
  }
  return {
    host: read(ControllerEnv.ListenHost) ?? '0.0.0.0',
    xdsPort,
    httpPort,
    provider: directory === undefined ? { kind: 'kubernetes' } : { kind: 'file', directory },
    addresses: (read(ControllerEnv.Addresses) ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
      .map((value): GatewayAddress => ({ type: isIP(value) === 0 ? 'Hostname' : 'IPAddress', value })),
    proxyProtocol: proxyProtocolFromEnv(env),
  };
}
