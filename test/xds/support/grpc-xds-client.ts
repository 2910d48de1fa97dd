/**
 * gRPC clients that take their routing from our xDS server through `@grpc/grpc-js-xds`, an independent xDS client
 * implementation (A27/A28/A42/A44): it opens its own ADS stream, subscribes to the api_listener Listener named after
 * the target, then the RouteConfiguration, Clusters and ClusterLoadAssignments, validates each against its own rules
 * and ACKs or NACKs.
 *
 * Bootstrap: the production path reads `GRPC_XDS_BOOTSTRAP` (a file) or `GRPC_XDS_BOOTSTRAP_CONFIG` once per
 * process and shares one xDS client (one node) for every channel. Tests want a node per test (per-node snapshots on
 * the server), so `createXdsClient` passes the same bootstrap JSON per channel through grpc-js-xds's
 * `grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config` option, which builds a private xDS client from it with
 * the same validation (`validateBootstrapConfig`). `writeBootstrapFile` covers the environment-variable path.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, credentials } from '@grpc/grpc-js';
import { register } from '@grpc/grpc-js-xds';

/** Channel option grpc-js-xds reads before falling back to the process-wide bootstrap. */
const PER_CHANNEL_BOOTSTRAP = 'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config';

let registered = false;

/** Registers the `xds:` scheme with @grpc/grpc-js (idempotent). */
export function registerXds(): void {
  if (registered) return;
  register();
  registered = true;
}

export interface XdsBootstrapOptions {
  /** `host:port` of our ADS server. */
  readonly serverAddress: string;
  /** xDS node id; the snapshot cache keys snapshots by it. */
  readonly nodeId: string;
  readonly cluster?: string;
}

/** A gRPC xDS bootstrap (gRFC A27) pointing at our server over plaintext, v3 only. */
export function bootstrapConfig(options: XdsBootstrapOptions): Record<string, unknown> {
  return {
    xds_servers: [
      {
        server_uri: options.serverAddress,
        channel_creds: [{ type: 'insecure' }],
        // grpc-js-xds sends v3 only; `ignore_resource_deletion` is the one feature it knows and we do not ask for.
        server_features: [],
      },
    ],
    node: { id: options.nodeId, cluster: options.cluster ?? 'portcullis-tests', locality: {} },
  };
}

/** Writes the bootstrap as a file, for `GRPC_XDS_BOOTSTRAP`; returns its path. */
export async function writeBootstrapFile(directory: string, options: XdsBootstrapOptions): Promise<string> {
  const path = join(directory, `bootstrap-${options.nodeId}.json`);
  await writeFile(path, JSON.stringify(bootstrapConfig(options), null, 2));
  return path;
}

/**
 * A client for `xds:///<authority>`: the Listener it asks for is named `<authority>` and the virtual host is chosen
 * by the same name. `bootstrap` undefined = the process-wide bootstrap from the environment.
 */
export function createXdsClient(authority: string, bootstrap?: XdsBootstrapOptions): Client {
  registerXds();
  return new Client(`xds:///${authority}`, credentials.createInsecure(), {
    ...(bootstrap !== undefined && { [PER_CHANNEL_BOOTSTRAP]: JSON.stringify(bootstrapConfig(bootstrap)) }),
  });
}
