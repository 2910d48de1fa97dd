import type { JsonValue } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ClusterSchema } from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '../generated/envoy/config/endpoint/v3/endpoint_pb.js';
import type { ModelCluster } from '../model/types.js';
import { buildCluster, buildClusterLoadAssignment } from './cluster.js';
import { messageToJson } from './codec.js';
import { given } from './model-fixtures.js';
import { validatePgv } from './pgv.js';

const EDS = { eds_config: { ads: {}, resource_api_version: 'V3' } };
const CLUSTER_TYPE = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';

const cases: Record<string, { cluster: ModelCluster; want: JsonValue }> = {
  'discovers endpoints over EDS and balances round-robin by default': {
    cluster: given.cluster('default/web:80'),
    want: { '@type': CLUSTER_TYPE, name: 'default/web:80', type: 'EDS', eds_cluster_config: EDS },
  },
  'balances on least requests': {
    cluster: given.cluster('default/web:80/least-request', { lbPolicy: 'least-request' }),
    want: {
      '@type': CLUSTER_TYPE,
      name: 'default/web:80/least-request',
      type: 'EDS',
      eds_cluster_config: EDS,
      lb_policy: 'LEAST_REQUEST',
    },
  },
  'hashes consistently with a ring or maglev': {
    cluster: given.cluster('default/web:80/maglev', { lbPolicy: 'maglev' }),
    want: {
      '@type': CLUSTER_TYPE,
      name: 'default/web:80/maglev',
      type: 'EDS',
      eds_cluster_config: EDS,
      lb_policy: 'MAGLEV',
    },
  },
  'speaks cleartext HTTP/2 to gRPC backends on a ring hash': {
    cluster: given.cluster('default/grpc:50051/http2/ring-hash', { protocol: 'http2', lbPolicy: 'ring-hash' }),
    want: {
      '@type': CLUSTER_TYPE,
      name: 'default/grpc:50051/http2/ring-hash',
      type: 'EDS',
      eds_cluster_config: EDS,
      lb_policy: 'RING_HASH',
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          explicit_http_config: { http2_protocol_options: {} },
        },
      },
    },
  },
};

describe('buildCluster', () => {
  it.each(Object.entries(cases))('%s', (_name, { cluster, want }) => {
    const built = buildCluster(cluster);
    expect(validatePgv(ClusterSchema, built)).toEqual([]);
    expect(messageToJson(ClusterSchema, built)).toEqual(want);
  });
});

describe('buildClusterLoadAssignment', () => {
  const CLA_TYPE = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
  const endpoint = (address: string, port: number) => ({
    endpoint: { address: { socket_address: { address, port_value: port } } },
  });
  const assignments: Record<string, { cluster: ModelCluster; want: JsonValue }> = {
    'lists every ready endpoint in one weighted locality (gRPC xDS clients need both)': {
      cluster: given.cluster('default/web:80', {
        endpoints: [
          { address: '10.0.0.1', port: 8080 },
          { address: 'fd00::2', port: 8080 },
        ],
      }),
      want: {
        '@type': CLA_TYPE,
        cluster_name: 'default/web:80',
        endpoints: [
          {
            locality: {},
            load_balancing_weight: 1,
            lb_endpoints: [endpoint('10.0.0.1', 8080), endpoint('fd00::2', 8080)],
          },
        ],
      },
    },
    'is empty, not absent, when no endpoint is ready': {
      cluster: given.cluster('default/web:80', { endpoints: [] }),
      want: { '@type': CLA_TYPE, cluster_name: 'default/web:80' },
    },
  };
  it.each(Object.entries(assignments))('%s', (_name, { cluster, want }) => {
    const built = buildClusterLoadAssignment(cluster);
    expect(validatePgv(ClusterLoadAssignmentSchema, built)).toEqual([]);
    expect(messageToJson(ClusterLoadAssignmentSchema, built)).toEqual(want);
  });
});
