/**
 * Options of the Envoy bootstrap generator, their defaults, and their validation: every field is checked before
 * anything is built, and a bad value fails with a ValidationError naming the field (`bootstrap.<field>`) and the rule.
 */
import { isIP } from 'node:net';
import { ValidationError } from '@portcullis/core';

/** The xDS server's default gRPC port (what deploy/ exposes on the controller Service). */
export const DEFAULT_XDS_PORT = 18000;
/** Envoy's admin port, bound to loopback only: the admin API can change config and must never be reachable. */
export const DEFAULT_ADMIN_PORT = 19000;
/** Port of the static listener that exposes only `/ready` and `/stats/prometheus` for probes and scraping. */
export const DEFAULT_READINESS_PORT = 19001;
/** Node cluster (Envoy `--service-cluster`) when none is given. */
export const DEFAULT_NODE_CLUSTER = 'portcullis-gateway';
/**
 * Limit of downstream connections per Envoy process. Without one, Envoy accepts connections until it runs out of
 * memory or file descriptors, and warns at start; 50,000 is Envoy Gateway's default for the same setting.
 */
export const DEFAULT_MAX_DOWNSTREAM_CONNECTIONS = 50_000;

/**
 * TLS from Envoy to the controller's xDS port (the controller side is `XdsServerOptions.credentials`).
 * - `static-files`: certificate, key and CA read once at start from files. Simple; a rotation needs an Envoy restart.
 * - `sds-files`: the same files delivered through file-based SDS with a watched directory: when Kubernetes swaps a
 *   mounted Secret (its `..data` symlink), Envoy reloads the certificate and CA without a restart. The generator then
 *   also returns the two SDS files (see `BootstrapFiles.sds`), which must be mounted at `sdsDirectory`.
 * In both modes the directory is expected to hold `tls.crt`, `tls.key` and `ca.crt`, as a `kubernetes.io/tls`
 * Secret written by cert-manager or by Portcullis does.
 */
export type ControllerTls =
  | {
      readonly mode: 'static-files';
      /** Directory holding `tls.crt`, `tls.key`, `ca.crt` (absolute path). */
      readonly certificateDirectory: string;
      /** SNI sent to the controller and the DNS name its certificate must carry. */
      readonly serverName: string;
    }
  | {
      readonly mode: 'sds-files';
      readonly certificateDirectory: string;
      readonly serverName: string;
      /** Absolute directory where the generated SDS files are mounted. */
      readonly sdsDirectory: string;
    };

export interface BootstrapOptions {
  /** Envoy node id. Per-pod in a Deployment (overridden there with `--service-node $(POD_NAME)`). */
  readonly nodeId: string;
  /** Envoy node cluster. Default `portcullis-gateway`. */
  readonly nodeCluster?: string;
  /** The controller's xDS endpoint: a DNS name (the controller Service) or an IP literal. */
  readonly controller: { readonly host: string; readonly port?: number; readonly tls?: ControllerTls };
  /** Admin API: loopback only. Default `127.0.0.1:19000`. */
  readonly admin?: { readonly address?: '127.0.0.1' | '::1'; readonly port?: number };
  /** The probe/metrics listener; `false` leaves it out. Default `0.0.0.0:19001`. */
  readonly readiness?: false | { readonly address?: string; readonly port?: number };
  /** Per-process downstream connection limit. Default 50,000. */
  readonly maxDownstreamConnections?: number;
}

/** Options with every default applied, as the builders read them. */
export interface ResolvedBootstrapOptions {
  readonly nodeId: string;
  readonly nodeCluster: string;
  readonly controller: { readonly host: string; readonly port: number; readonly tls: ControllerTls | undefined };
  readonly admin: { readonly address: string; readonly port: number };
  readonly readiness: { readonly address: string; readonly port: number } | undefined;
  readonly maxDownstreamConnections: number;
}

/** RFC 1123 DNS name (what a Kubernetes Service name resolves as), lowercase. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
/** Envoy node ids and clusters end up in stats names and logs: keep them printable, without spaces. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$/;

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError(`bootstrap.${field}`, rule, message);
}

function checkPort(field: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    fail(field, 'port', `${port} is not a port from 1 to 65535`);
  return port;
}

function checkHost(field: string, host: string): string {
  if (isIP(host) === 0 && !DNS_NAME.test(host))
    fail(field, 'host', `"${host}" is neither an IP address nor a DNS name`);
  return host;
}

function checkAbsolutePath(field: string, path: string): string {
  if (!path.startsWith('/') || path.includes('\0') || /(^|\/)\.\.(\/|$)/.test(path)) {
    fail(field, 'absolutePath', `"${path}" is not an absolute path without ".."`);
  }
  return path.replace(/\/+$/, '') || '/';
}

function checkTls(tls: ControllerTls): ControllerTls {
  const certificateDirectory = checkAbsolutePath('controller.tls.certificateDirectory', tls.certificateDirectory);
  if (!DNS_NAME.test(tls.serverName)) {
    fail('controller.tls.serverName', 'dnsName', `"${tls.serverName}" is not a DNS name`);
  }
  if (tls.mode === 'static-files') return { ...tls, certificateDirectory };
  if (tls.mode === 'sds-files') {
    const sdsDirectory = checkAbsolutePath('controller.tls.sdsDirectory', tls.sdsDirectory);
    if (sdsDirectory === certificateDirectory) {
      fail('controller.tls.sdsDirectory', 'distinct', 'must differ from certificateDirectory (two separate mounts)');
    }
    return { ...tls, certificateDirectory, sdsDirectory };
  }
  return fail('controller.tls.mode', 'oneOf', `"${(tls as { mode: string }).mode}" is not static-files or sds-files`);
}

export function resolveBootstrapOptions(options: BootstrapOptions): ResolvedBootstrapOptions {
  if (!NODE_NAME.test(options.nodeId)) fail('nodeId', 'nodeName', `"${options.nodeId}" is empty or has spaces`);
  const nodeCluster = options.nodeCluster ?? DEFAULT_NODE_CLUSTER;
  if (!NODE_NAME.test(nodeCluster)) fail('nodeCluster', 'nodeName', `"${nodeCluster}" is empty or has spaces`);
  const controller = {
    host: checkHost('controller.host', options.controller.host),
    port: checkPort('controller.port', options.controller.port ?? DEFAULT_XDS_PORT),
    tls: options.controller.tls === undefined ? undefined : checkTls(options.controller.tls),
  };
  const adminAddress = options.admin?.address ?? '127.0.0.1';
  if (adminAddress !== '127.0.0.1' && adminAddress !== '::1') {
    fail('admin.address', 'loopback', `"${adminAddress}" is not 127.0.0.1 or ::1: the admin API must stay local`);
  }
  const admin = { address: adminAddress, port: checkPort('admin.port', options.admin?.port ?? DEFAULT_ADMIN_PORT) };
  let readiness: ResolvedBootstrapOptions['readiness'];
  if (options.readiness !== false) {
    const address = options.readiness?.address ?? '0.0.0.0';
    if (isIP(address) === 0) fail('readiness.address', 'ip', `"${address}" is not an IP address`);
    readiness = { address, port: checkPort('readiness.port', options.readiness?.port ?? DEFAULT_READINESS_PORT) };
    if (readiness.port === admin.port) fail('readiness.port', 'distinct', `${readiness.port} is also the admin port`);
  }
  const maxDownstreamConnections = options.maxDownstreamConnections ?? DEFAULT_MAX_DOWNSTREAM_CONNECTIONS;
  if (!Number.isInteger(maxDownstreamConnections) || maxDownstreamConnections < 1) {
    fail('maxDownstreamConnections', 'positiveInteger', `${maxDownstreamConnections} is not a positive integer`);
  }
  return { nodeId: options.nodeId, nodeCluster, controller, admin, readiness, maxDownstreamConnections };
}
