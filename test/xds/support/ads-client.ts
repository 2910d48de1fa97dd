/**
 * A raw ADS client for protocol tests: real gRPC (@grpc/grpc-js generic client) and the real Envoy
 * DiscoveryRequest/DiscoveryResponse protos (protobuf-es), with no xDS logic of its own, so a test says exactly
 * which request goes on the wire (versions, nonces, NACKs, stale nonces) and sees every response in order.
 *
 * The service definition is written out here rather than imported from the server, so that a mistake in the
 * server's method paths or (de)serialisation cannot be mirrored by the client.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { type ClientDuplexStream, credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import type { CertificateMaterial } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import {
  buildSecret,
  type DiscoveryRequest,
  DiscoveryRequestSchema,
  type DiscoveryResponse,
  DiscoveryResponseSchema,
  type EncodedResources,
  type EnvoyResources,
  encodeResources,
  resourceSchemas,
  TypeUrl,
} from '@portcullis/gateway';

const methods = {
  streamAggregatedResources: {
    path: '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources',
    requestStream: true,
    responseStream: true,
    requestSerialize: (m: DiscoveryRequest) => Buffer.from(toBinary(DiscoveryRequestSchema, m)),
    requestDeserialize: (b: Buffer) => fromBinary(DiscoveryRequestSchema, b),
    responseSerialize: (m: DiscoveryResponse) => Buffer.from(toBinary(DiscoveryResponseSchema, m)),
    responseDeserialize: (b: Buffer) => fromBinary(DiscoveryResponseSchema, b),
  },
  streamSecrets: {
    path: '/envoy.service.secret.v3.SecretDiscoveryService/StreamSecrets',
    requestStream: true,
    responseStream: true,
    requestSerialize: (m: DiscoveryRequest) => Buffer.from(toBinary(DiscoveryRequestSchema, m)),
    requestDeserialize: (b: Buffer) => fromBinary(DiscoveryRequestSchema, b),
    responseSerialize: (m: DiscoveryResponse) => Buffer.from(toBinary(DiscoveryResponseSchema, m)),
    responseDeserialize: (b: Buffer) => fromBinary(DiscoveryResponseSchema, b),
  },
};
const DiscoveryClient = makeGenericClientConstructor(methods, 'Discovery');
type DiscoveryStream = ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;

/** Guard against a hung test, not an assertion on timing: the server answers well within it on loopback. */
const RESPONSE_TIMEOUT_MS = 10_000;

export interface RequestInit {
  readonly typeUrl: string;
  readonly resourceNames?: readonly string[];
  readonly versionInfo?: string;
  readonly responseNonce?: string;
  /** Makes the request a NACK. */
  readonly errorDetail?: string;
}

export class AdsClient {
  readonly nodeId: string;
  readonly #client: InstanceType<typeof DiscoveryClient>;
  readonly #call: DiscoveryStream;
  readonly #queue: DiscoveryResponse[] = [];
  #waiter: (() => void) | undefined;
  #error: ServiceError | undefined;
  #sentNode = false;

  /** Opens an ADS stream (or the standalone SDS stream) to `127.0.0.1:<port>` as `nodeId`. */
  constructor(port: number, nodeId: string, service: 'ads' | 'sds' = 'ads') {
    this.nodeId = nodeId;
    this.#client = new DiscoveryClient(`127.0.0.1:${port}`, credentials.createInsecure());
    const method = service === 'ads' ? 'streamAggregatedResources' : 'streamSecrets';
    const client = this.#client as unknown as Record<typeof method, () => DiscoveryStream>;
    this.#call = client[method]();
    this.#call.on('data', (response: DiscoveryResponse) => {
      this.#queue.push(response);
      this.#waiter?.();
    });
    this.#call.on('error', (error: ServiceError) => {
      this.#error = error;
      this.#waiter?.();
    });
  }

  /** Sends a request; the node is attached to the first one only, as Envoy does. */
  send(init: RequestInit): void {
    const request = create(DiscoveryRequestSchema, {
      typeUrl: init.typeUrl,
      resourceNames: [...(init.resourceNames ?? [])],
      versionInfo: init.versionInfo ?? '',
      responseNonce: init.responseNonce ?? '',
      ...(this.#sentNode ? {} : { node: { id: this.nodeId, cluster: 'protocol-tests' } }),
      ...(init.errorDetail === undefined ? {} : { errorDetail: { code: 3, message: init.errorDetail } }),
    });
    this.#sentNode = true;
    this.#call.write(request);
  }

  /** ACKs `response`, keeping (or changing) the subscription. */
  ack(response: DiscoveryResponse, resourceNames: readonly string[] = []): void {
    this.send({
      typeUrl: response.typeUrl,
      resourceNames,
      versionInfo: response.versionInfo,
      responseNonce: response.nonce,
    });
  }

  /** NACKs `response`: its nonce, the version still applied, and Envoy-style error detail. */
  nack(response: DiscoveryResponse, lastGoodVersion: string, message: string, resourceNames: readonly string[] = []) {
    this.send({
      typeUrl: response.typeUrl,
      resourceNames,
      versionInfo: lastGoodVersion,
      responseNonce: response.nonce,
      errorDetail: message,
    });
  }

  /** The next response in arrival order. */
  async next(): Promise<DiscoveryResponse> {
    const deadline = Date.now() + RESPONSE_TIMEOUT_MS;
    while (this.#queue.length === 0) {
      if (this.#error !== undefined) throw this.#error;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`ads client ${this.nodeId}: no response within ${RESPONSE_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
    return this.#queue.shift() as DiscoveryResponse;
  }

  /** Responses received and not yet taken with `next` (0 after a barrier means nothing else was sent). */
  get pending(): number {
    return this.#queue.length;
  }

  close(): void {
    this.#call.cancel();
    this.#client.close();
  }
}

// ---- snapshot fixtures: small but real Envoy resources, encoded the way the controller encodes them ----

export interface FixtureSpec {
  /** Listener name → a tag that changes its bytes (a "bad" tag stands for a resource the client rejects). */
  readonly listeners?: Readonly<Record<string, string>>;
  /** RouteConfiguration name → virtual host domain. */
  readonly routes?: Readonly<Record<string, string>>;
  /** Cluster name → endpoint ports (one ClusterLoadAssignment per cluster). */
  readonly clusters?: Readonly<Record<string, readonly number[]>>;
  /** Secret name → certificate material generated at test time (see `testSecret`). */
  readonly secrets?: Readonly<Record<string, CertificateMaterial>>;
}

/** Encodes a snapshot with `encodeResources`, exactly what `setSnapshot` receives from the controller. */
export function fixtureResources(spec: FixtureSpec): EncodedResources {
  const sorted = <T>(record: Readonly<Record<string, T>> | undefined) =>
    Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const resources: EnvoyResources = {
    listeners: sorted(spec.listeners).map(([name, tag]) =>
      create(resourceSchemas[TypeUrl.Listener], { name, statPrefix: tag }),
    ),
    routes: sorted(spec.routes).map(([name, domain]) =>
      create(resourceSchemas[TypeUrl.RouteConfiguration], {
        name,
        virtualHosts: [{ name: domain, domains: [domain] }],
      }),
    ),
    clusters: sorted(spec.clusters).map(([name]) => create(resourceSchemas[TypeUrl.Cluster], { name })),
    endpoints: sorted(spec.clusters).map(([clusterName, ports]) =>
      create(resourceSchemas[TypeUrl.ClusterLoadAssignment], {
        clusterName,
        endpoints: [
          {
            lbEndpoints: ports.map((port) => ({
              hostIdentifier: {
                case: 'endpoint' as const,
                value: {
                  address: {
                    address: {
                      case: 'socketAddress' as const,
                      value: { address: '127.0.0.1', portSpecifier: { case: 'portValue' as const, value: port } },
                    },
                  },
                },
              },
            })),
          },
        ],
      }),
    ),
    secrets: sorted(spec.secrets).map(([name, material]) =>
      buildSecret({ name, certificateChain: material.chainPem, privateKey: material.key }),
    ),
  };
  return encodeResources(resources);
}

/** A real certificate and key for `name`, generated now (never committed); `revision` makes a rotation. */
export function testSecret(name: string, revision = 1): Promise<CertificateMaterial> {
  return createTestMaterial({ certificateId: name.replace('/', '-'), revision, names: [`${revision}.example.test`] });
}

/** The names of the resources in a response, decoded with the real protos, in the order sent. */
export function names(response: DiscoveryResponse): string[] {
  const typeUrl = response.typeUrl as TypeUrl;
  return response.resources.map((any) => {
    if (any.typeUrl !== typeUrl) throw new Error(`resource of type ${any.typeUrl} in a ${typeUrl} response`);
    const message = fromBinary(resourceSchemas[typeUrl], any.value);
    return 'clusterName' in message ? message.clusterName : message.name;
  });
}
