// The xDS control plane: a per-node snapshot cache and a gRPC ADS/SDS server (State of the World) that serves it.

// The wire messages, for xDS clients written against this server (tests, tools).
export {
  type DiscoveryRequest,
  DiscoveryRequestSchema,
  type DiscoveryResponse,
  DiscoveryResponseSchema,
} from '../generated/envoy/service/discovery/v3/discovery_pb.js';
export { AdsStream, CONTROL_PLANE_ID } from './ads-stream.js';
export { XdsBindError, XdsErrorCode, XdsSnapshotError } from './errors.js';
export { adsServiceDefinition, grpcServiceDefinition, sdsServiceDefinition } from './grpc-services.js';
export { HttpPath } from './http-endpoints.js';
export { typeLabel, XdsMetricName, XdsMetrics } from './metrics.js';
export { startXdsServer } from './server.js';
export { SnapshotCache, versionOf } from './snapshot-cache.js';
export {
  type AcceptedState,
  type AckEvent,
  ALL_NODES,
  type NackEvent,
  type NodeKey,
  type Rejection,
  type ResolvedResponse,
  type SnapshotChange,
  type Subscription,
  type XdsLogEvent,
  type XdsServer,
  type XdsServerOptions,
  type XdsSnapshot,
} from './types.js';
