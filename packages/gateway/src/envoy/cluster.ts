/**
 * Cluster and ClusterLoadAssignment builders. Every cluster is EDS over ADS, so an endpoint change is an EDS-only
 * push: Clusters (and Listeners) stay byte-identical and Envoy keeps its connection pools. In mesh edge mode a
 * cluster also carries an upstream TLS transport socket whose certificates come by SDS (upstream-tls.ts).
 */
import { create } from '@bufbuild/protobuf';
import type { Cluster } from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import {
  Cluster_DiscoveryType,
  Cluster_EdsClusterConfigSchema,
  Cluster_LbPolicy,
  ClusterSchema,
} from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import { Http2ProtocolOptionsSchema } from '../generated/envoy/config/core/v3/protocol_pb.js';
import { LbEndpointSchema } from '../generated/envoy/config/endpoint/v3/endpoint_components_pb.js';
import type { ClusterLoadAssignment } from '../generated/envoy/config/endpoint/v3/endpoint_pb.js';
import { ClusterLoadAssignmentSchema } from '../generated/envoy/config/endpoint/v3/endpoint_pb.js';
import { HttpProtocolOptionsSchema } from '../generated/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
import type { ModelCluster } from '../model/types.js';
import type { LoadBalancerPolicy } from '../sources/annotations.js';
import { ADS_CONFIG_SOURCE, ExtensionName, socketAddress, typedConfig } from './common.js';
import { buildUpstreamTlsSocket } from './upstream-tls.js';

const LB_POLICIES: Readonly<Record<LoadBalancerPolicy, Cluster_LbPolicy>> = {
  'round-robin': Cluster_LbPolicy.ROUND_ROBIN,
  'least-request': Cluster_LbPolicy.LEAST_REQUEST,
  'ring-hash': Cluster_LbPolicy.RING_HASH,
  maglev: Cluster_LbPolicy.MAGLEV,
};

/** Cleartext HTTP/2 to the upstream (gRPC, h2c): prior knowledge, no ALPN, as gRPC servers expect. */
const HTTP2_PROTOCOL_OPTIONS = {
  [ExtensionName.UpstreamHttpProtocolOptions]: typedConfig(HttpProtocolOptionsSchema, {
    upstreamProtocolOptions: {
      case: 'explicitHttpConfig',
      value: { protocolConfig: { case: 'http2ProtocolOptions', value: create(Http2ProtocolOptionsSchema) } },
    },
  }),
};

export function buildCluster(cluster: ModelCluster): Cluster {
  return create(ClusterSchema, {
    name: cluster.name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    // No service_name: the ClusterLoadAssignment is named like the cluster.
    edsClusterConfig: create(Cluster_EdsClusterConfigSchema, { edsConfig: ADS_CONFIG_SOURCE }),
    lbPolicy: LB_POLICIES[cluster.lbPolicy],
    ...(cluster.protocol === 'http2' && { typedExtensionProtocolOptions: HTTP2_PROTOCOL_OPTIONS }),
    ...(cluster.upstreamTls !== undefined && {
      transportSocket: buildUpstreamTlsSocket(cluster.name, cluster.upstreamTls, cluster.protocol),
    }),
  });
}

/**
 * One locality holding every ready endpoint; an empty list is valid (Envoy answers 503). The locality is set (empty)
 * and weighted 1 although Envoy needs neither: gRPC xDS clients refuse an unset locality and drop a locality without
 * a weight (test/xds/grpc-js-xds.test.ts serves this output to @grpc/grpc-js-xds unchanged).
 */
export function buildClusterLoadAssignment(cluster: ModelCluster): ClusterLoadAssignment {
  return create(ClusterLoadAssignmentSchema, {
    clusterName: cluster.name,
    endpoints:
      cluster.endpoints.length === 0
        ? []
        : [
            {
              locality: {},
              loadBalancingWeight: 1,
              lbEndpoints: cluster.endpoints.map((endpoint) =>
                create(LbEndpointSchema, {
                  hostIdentifier: {
                    case: 'endpoint',
                    value: { address: socketAddress(endpoint.address, endpoint.port) },
                  },
                }),
              ),
            },
          ],
  });
}
