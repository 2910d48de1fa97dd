import { createRequire } from 'node:module';
import { buildEnvoyResources, encodeResources, TypeUrl } from '@portcullis/gateway';
import type { GatewayModel } from '@portcullis/gateway';
const require = createRequire(import.meta.url);
const { EndpointResourceType } = require('@grpc/grpc-js-xds/build/src/xds-resource-type/endpoint-resource-type');
const { ClusterResourceType } = require('@grpc/grpc-js-xds/build/src/xds-resource-type/cluster-resource-type');
const model: GatewayModel = {
  listeners: [], routeConfigs: [], secrets: [],
  clusters: [{ name: 'default/echo:50051', service: { namespace: 'default', name: 'echo', port: 50051 }, protocol: 'http2', lbPolicy: 'round-robin', endpoints: [{ address: '127.0.0.1', port: 5000 }] }],
};
const enc = encodeResources(buildEnvoyResources(model));
const cla = enc[TypeUrl.ClusterLoadAssignment][0]!;
try {
  console.log(JSON.stringify(EndpointResourceType.get().decode({}, { type_url: cla.typeUrl, value: Buffer.from(cla.resource.value) })));
} catch (e) { console.log('EDS decode error', (e as Error).message); }
const c = enc[TypeUrl.Cluster][0]!;
try {
  console.log(JSON.stringify(ClusterResourceType.get().decode({ bootstrap: { certificateProviders: {} } }, { type_url: c.typeUrl, value: Buffer.from(c.resource.value) })).slice(0, 300));
} catch (e) { console.log('CDS decode error', (e as Error).message); }
