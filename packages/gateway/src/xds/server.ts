/**
 * The xDS server: gRPC ADS (State of the World) and the standalone SDS service over one port, fed by a
 * SnapshotCache, plus an optional HTTP listener for Prometheus metrics, /healthz and /readyz.
 *
 * Snapshot changes are debounced (`debounceMs`): a burst of `setSnapshot` calls becomes one push per stream and
 * type, and only the types whose version changed are considered (a Secret rotation pushes only Secrets).
 */
import { create } from '@bufbuild/protobuf';
import {
  status as GrpcStatus,
  type handleBidiStreamingCall,
  type handleUnaryCall,
  Server,
  ServerCredentials,
} from '@grpc/grpc-js';
import { ValidationError } from '@portcullis/core';
import { TYPE_URLS_IN_PUSH_ORDER, TypeUrl } from '../envoy/registry.js';
import {
  type DiscoveryRequest,
  type DiscoveryResponse,
  DiscoveryResponseSchema,
} from '../generated/envoy/service/discovery/v3/discovery_pb.js';
import { AdsStream, type AdsStreamContext, CONTROL_PLANE_ID, type DiscoveryCall } from './ads-stream.js';
import { XdsBindError } from './errors.js';
import { adsServiceDefinition, sdsServiceDefinition } from './grpc-services.js';
import { startHttpEndpoints } from './http-endpoints.js';
import { typeLabel, XdsMetrics } from './metrics.js';
import type { SnapshotCache } from './snapshot-cache.js';
import { ALL_NODES, type XdsServer, type XdsServerOptions } from './types.js';

const DEFAULT_DEBOUNCE_MS = 100;

export async function startXdsServer(options: XdsServerOptions): Promise<XdsServer> {
  validateOptions(options);
  const { cache } = options;
  const metrics = options.metrics ?? new XdsMetrics();
  const log = options.log ?? (() => {});
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const streams = new Set<AdsStream>();
  const streamsByNode = new Map<string, Set<AdsStream>>();

  const onNode = (stream: AdsStream, nodeId: string): void => {
    const set = streamsByNode.get(nodeId) ?? new Set();
    set.add(stream);
    streamsByNode.set(nodeId, set);
  };
  const context: AdsStreamContext = { cache, metrics, log, onNode };
  const sdsContext: AdsStreamContext = { ...context, fixedType: TypeUrl.Secret };

  const serve = (streamContext: AdsStreamContext) => (call: DiscoveryCall) => {
    const stream = new AdsStream(call, streamContext);
    streams.add(stream);
    metrics.connectedProxies.inc();
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      stream.markClosed();
      streams.delete(stream);
      metrics.connectedProxies.dec();
      const nodeId = stream.nodeId;
      const siblings = nodeId === undefined ? undefined : streamsByNode.get(nodeId);
      siblings?.delete(stream);
      if (nodeId !== undefined && siblings?.size === 0) {
        streamsByNode.delete(nodeId);
        cache.forgetNode(nodeId);
      }
    };
    call.on('data', (request: DiscoveryRequest) => stream.handle(request));
    call.on('end', () => {
      finish();
      call.end();
    });
    call.on('error', finish);
    call.on('cancelled', finish);
    call.on('close', finish);
  };
  const streamAggregatedResources: handleBidiStreamingCall<DiscoveryRequest, DiscoveryResponse> = serve(context);
  const streamSecrets: handleBidiStreamingCall<DiscoveryRequest, DiscoveryResponse> = serve(sdsContext);
  const fetchSecrets: handleUnaryCall<DiscoveryRequest, DiscoveryResponse> = (call, callback) => {
    const names = call.request.resourceNames;
    const subscription =
      names.length === 0
        ? ({ wildcard: false, names: new Set<string>() } as const)
        : {
            wildcard: false as const,
            names: new Set(names),
          };
    const resolved = cache.resolve(call.request.node?.id ?? '', TypeUrl.Secret, subscription);
    if (resolved === undefined) {
      callback({ code: GrpcStatus.UNAVAILABLE, details: 'xds: no snapshot yet (first sync not done)' });
      return;
    }
    callback(
      null,
      create(DiscoveryResponseSchema, {
        versionInfo: resolved.version,
        resources: resolved.resources.map((r) => r.resource),
        typeUrl: TypeUrl.Secret,
        controlPlane: { identifier: CONTROL_PLANE_ID },
      }),
    );
  };

  // Debounced pushes: collect the changed types, push once when the burst is over.
  const pendingTypes = new Set<TypeUrl>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const types = [...pendingTypes];
    pendingTypes.clear();
    for (const stream of streams) stream.pushAll(types);
  };
  const unsubscribeChange = cache.onChange((change) => {
    for (const typeUrl of change.changedTypes) pendingTypes.add(typeUrl);
    if (change.nodeId === ALL_NODES || change.nodeId === undefined) recordSnapshotSize(cache, metrics);
    timer ??= setTimeout(flush, debounceMs);
  });
  const unsubscribeRejections = cache.onRejectionsChange((rejections) =>
    metrics.recordRejections(rejections, TYPE_URLS_IN_PUSH_ORDER),
  );
  recordSnapshotSize(cache, metrics);

  const server = new Server({ 'grpc.keepalive_permit_without_calls': 1 });
  server.addService(adsServiceDefinition, { streamAggregatedResources });
  server.addService(sdsServiceDefinition, { streamSecrets, fetchSecrets });
  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, options.credentials ?? ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(new XdsBindError('grpc', address, error)) : resolve(bound),
    );
  });

  let http: Awaited<ReturnType<typeof startHttpEndpoints>> | undefined;
  try {
    http = options.http && (await startHttpEndpoints({ ...options.http, cache, metrics }));
  } catch (error) {
    server.forceShutdown();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      unsubscribeChange();
      unsubscribeRejections();
      if (timer !== undefined) clearTimeout(timer);
      for (const stream of streams) stream.markClosed();
      // Streams never end on their own; a graceful tryShutdown would wait for every proxy to hang up.
      server.forceShutdown();
      await http?.close();
    })();
    return closing;
  };

  return {
    port,
    httpPort: http?.port,
    metrics,
    connectedNodes: () => [...streamsByNode.keys()].sort(),
    close,
  };
}

function recordSnapshotSize(cache: SnapshotCache, metrics: XdsMetrics): void {
  const snapshot = cache.snapshotFor(ALL_NODES);
  if (snapshot === undefined) return;
  for (const typeUrl of TYPE_URLS_IN_PUSH_ORDER) {
    const list = snapshot.resources[typeUrl];
    const type = typeLabel(typeUrl);
    metrics.snapshotResources.set({ type }, list.length);
    metrics.snapshotBytes.set(
      { type },
      list.reduce((sum, r) => sum + r.size, 0),
    );
  }
}

function validateOptions(options: XdsServerOptions): void {
  const port = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      throw new ValidationError(field, 'port', `${value} is not a port number (0-65535, 0 = any free port)`);
    }
  };
  if (typeof options.host !== 'string' || options.host === '') {
    throw new ValidationError('xds.host', 'required', 'must be a listen address');
  }
  port('xds.port', options.port);
  if (options.cache === undefined) throw new ValidationError('xds.cache', 'required', 'must be a SnapshotCache');
  if (options.debounceMs !== undefined && !(Number.isFinite(options.debounceMs) && options.debounceMs >= 0)) {
    throw new ValidationError('xds.debounceMs', 'range', `${options.debounceMs} must be a number of milliseconds >= 0`);
  }
  if (options.http !== undefined) {
    if (options.http.host === '') throw new ValidationError('xds.http.host', 'required', 'must be a listen address');
    port('xds.http.port', options.http.port);
  }
}
