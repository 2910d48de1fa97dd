/**
 * @grpc/grpc-js service definitions for ADS and SDS built from the protobuf-es descriptors: grpc-js only needs a
 * path and (de)serializers per method, so the generated Envoy types are used directly and no second proto loader
 * (protobufjs, which silently drops unknown fields) is involved.
 */
import { type DescMessage, type DescService, fromBinary, type MessageShape, toBinary } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { AggregatedDiscoveryService } from '../generated/envoy/service/discovery/v3/ads_pb.js';
import { SecretDiscoveryService } from '../generated/envoy/service/secret/v3/sds_pb.js';

type AnyMethod = MethodDefinition<MessageShape<DescMessage>, MessageShape<DescMessage>>;

/** A grpc-js ServiceDefinition for every method of a protobuf-es service, keyed by the method's local name. */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, AnyMethod> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: (message) => Buffer.from(toBinary(method.input, message)),
      requestDeserialize: (bytes) => fromBinary(method.input, bytes),
      responseSerialize: (message) => Buffer.from(toBinary(method.output, message)),
      responseDeserialize: (bytes) => fromBinary(method.output, bytes),
      originalName: method.name,
    };
  }
  return definition;
}

/** `envoy.service.discovery.v3.AggregatedDiscoveryService` (SotW: streamAggregatedResources). */
export const adsServiceDefinition: ServiceDefinition = grpcServiceDefinition(AggregatedDiscoveryService);
/** `envoy.service.secret.v3.SecretDiscoveryService` (SotW: streamSecrets, fetchSecrets). */
export const sdsServiceDefinition: ServiceDefinition = grpcServiceDefinition(SecretDiscoveryService);
