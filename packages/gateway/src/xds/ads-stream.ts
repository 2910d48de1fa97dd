/**
 * One State-of-the-World xDS stream (ADS, or the standalone SDS with its type fixed to Secret). Per type it keeps
 * the subscription, the last response sent with its nonce, and what the client runs. The rules (xDS protocol,
 * "ACK/NACK and resource type instance version"):
 * - A request whose `response_nonce` is not the last nonce sent for that type is stale and ignored entirely.
 * - A request with the last nonce is an ACK (no `error_detail`) or a NACK (`error_detail`; its `version_info` is
 *   the version the client still runs). Both are reported to the cache, which keeps the last good state and marks
 *   the suspected resources so that the rejected bytes are never sent again.
 * - A request without a nonce starts (or restarts) a subscription; its `version_info` is what the client holds,
 *   so a client reconnecting with the current version is sent nothing.
 * - At most one response per type is in flight: a change waits for the ACK/NACK of the previous response (flow
 *   control, and no response races a NACK). A response is sent only when its version differs from the one last
 *   sent and from the one the client runs, so an unchanged type is never re-sent and a NACK cannot loop.
 */
import { create } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { TYPE_URLS_IN_PUSH_ORDER, TypeUrl } from '../envoy/registry.js';
import {
  type DiscoveryRequest,
  type DiscoveryResponse,
  DiscoveryResponseSchema,
} from '../generated/envoy/service/discovery/v3/discovery_pb.js';
import type { XdsMetrics } from './metrics.js';
import { typeLabel } from './metrics.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { ResolvedResponse, Subscription, XdsLogEvent } from './types.js';

/** Identifies this control plane in every response (`control_plane.identifier`). */
export const CONTROL_PLANE_ID = 'portcullis-gateway';

/** Types where an empty `resource_names` means "all" (legacy wildcard); for the others it means "none". */
const WILDCARD_TYPES: ReadonlySet<string> = new Set([TypeUrl.Listener, TypeUrl.Cluster]);
const SERVED_TYPES: ReadonlySet<string> = new Set(TYPE_URLS_IN_PUSH_ORDER);

interface TypeState {
  subscription: Subscription;
  /** When the current subscription was last (re)requested: the start of push latency for an initial response. */
  requestedAt: number;
  /** The last response sent on this stream for this type. */
  sent: (ResolvedResponse & { readonly nonce: string }) | undefined;
  /** True between sending a response and its ACK/NACK. */
  awaiting: boolean;
  /** The version the client runs (its last ACK, or what it announced on a new stream). */
  clientVersion: string;
}

export interface AdsStreamContext {
  readonly cache: SnapshotCache;
  readonly metrics: XdsMetrics;
  readonly log: (event: XdsLogEvent) => void;
  /** Called once with the node id from the first request. */
  readonly onNode: (stream: AdsStream, nodeId: string) => void;
  /** Set for the standalone SDS service: every request is about Secrets. */
  readonly fixedType?: TypeUrl;
}

export type DiscoveryCall = ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>;

export class AdsStream {
  readonly #call: DiscoveryCall;
  readonly #context: AdsStreamContext;
  readonly #types = new Map<TypeUrl, TypeState>();
  #nodeId: string | undefined;
  #nonce = 0;
  #closed = false;

  constructor(call: DiscoveryCall, context: AdsStreamContext) {
    this.#call = call;
    this.#context = context;
  }

  get nodeId(): string | undefined {
    return this.#nodeId;
  }

  /** Stops sending (the call ended or the server is closing). */
  markClosed(): void {
    this.#closed = true;
  }

  handle(request: DiscoveryRequest): void {
    if (this.#closed) return;
    if (this.#nodeId === undefined) {
      // Envoy sends `node` only on the first request of a stream (set_node_on_first_message_only).
      this.#nodeId = request.node?.id ?? '';
      this.#context.onNode(this, this.#nodeId);
    }
    const nodeId = this.#nodeId;
    const typeUrl = this.#context.fixedType ?? request.typeUrl;
    if (this.#context.fixedType !== undefined && request.typeUrl !== '' && request.typeUrl !== typeUrl) {
      this.#context.log({ level: 'warn', message: `SDS stream asked for ${request.typeUrl}; ignored`, nodeId });
      return;
    }
    if (!isServedType(typeUrl)) {
      this.#context.log({ level: 'warn', message: `type ${typeUrl} is not served; ignored`, nodeId, typeUrl });
      return;
    }
    let state = this.#types.get(typeUrl);
    if (request.responseNonce !== '') {
      if (state?.sent === undefined || state.sent.nonce !== request.responseNonce) {
        this.#context.log({ level: 'info', message: `stale nonce ${request.responseNonce} ignored`, nodeId, typeUrl });
        return;
      }
      this.#answer(nodeId, state, request);
    } else {
      // A new subscription, or a client restarting one on a new stream with the version it already holds.
      state ??= {
        subscription: { wildcard: true },
        requestedAt: 0,
        sent: undefined,
        awaiting: false,
        clientVersion: '',
      };
      state.clientVersion = request.versionInfo;
      // The client asks afresh: whatever this stream sent before no longer counts as delivered.
      state.sent = undefined;
      state.awaiting = false;
      this.#types.set(typeUrl, state);
    }
    state = this.#types.get(typeUrl) as TypeState;
    const subscription = subscriptionOf(typeUrl, request.resourceNames, state);
    if (!sameSubscription(subscription, state.subscription) || request.responseNonce === '') {
      state.subscription = subscription;
      state.requestedAt = performance.now();
    }
    this.push(typeUrl, request.responseNonce === '');
  }

  /** Sends what changed, in push order, for every type this stream subscribes to (after a snapshot change). */
  pushAll(types: Iterable<TypeUrl> = TYPE_URLS_IN_PUSH_ORDER): void {
    const wanted = new Set(types);
    for (const typeUrl of TYPE_URLS_IN_PUSH_ORDER) if (wanted.has(typeUrl)) this.push(typeUrl, false);
  }

  push(typeUrl: TypeUrl, initial: boolean): void {
    const state = this.#types.get(typeUrl);
    const nodeId = this.#nodeId;
    if (this.#closed || state === undefined || nodeId === undefined || state.awaiting) return;
    const resolved = this.#context.cache.resolve(nodeId, typeUrl, state.subscription);
    if (resolved === undefined) return; // no snapshot yet: nothing is served before the first full sync
    if (resolved.version === state.clientVersion) {
      // A reconnecting client already runs this version: record it as its last good state, send nothing.
      if (initial && state.sent === undefined) this.#context.cache.recordAck(nodeId, resolved);
      return;
    }
    if (resolved.version === state.sent?.version) return;
    // Nothing to say yet about names that do not exist (the client keeps waiting for them, as SotW intends).
    if (!resolved.complete && resolved.resources.length === 0 && state.sent === undefined) return;
    this.#send(state, resolved);
  }

  #answer(nodeId: string, state: TypeState, request: DiscoveryRequest): void {
    const sent = state.sent as NonNullable<TypeState['sent']>;
    const { cache, metrics, log } = this.#context;
    state.awaiting = false;
    const type = typeLabel(sent.typeUrl);
    if (request.errorDetail !== undefined) {
      metrics.nacks.inc({ type });
      const event = cache.recordNack(nodeId, sent, request.errorDetail.message);
      log({
        level: 'warn',
        message: `NACK of version ${sent.version} (runs ${request.versionInfo || 'nothing'}; suspects ${
          event.resourceNames.join(', ') || 'none'
        }): ${request.errorDetail.message}`,
        nodeId,
        typeUrl: sent.typeUrl,
      });
      state.clientVersion = request.versionInfo;
    } else {
      metrics.acks.inc({ type });
      cache.recordAck(nodeId, sent);
      state.clientVersion = sent.version;
    }
  }

  #send(state: TypeState, resolved: ResolvedResponse): void {
    const nonce = String(++this.#nonce);
    const response = create(DiscoveryResponseSchema, {
      versionInfo: resolved.version,
      resources: resolved.resources.map((r) => r.resource),
      typeUrl: resolved.typeUrl,
      nonce,
      controlPlane: { identifier: CONTROL_PLANE_ID },
    });
    state.sent = { ...resolved, nonce };
    state.awaiting = true;
    this.#call.write(response);
    const type = typeLabel(resolved.typeUrl);
    const { metrics } = this.#context;
    metrics.pushes.inc({ type });
    metrics.pushBytes.observe(
      { type },
      resolved.resources.reduce((sum, r) => sum + r.size, 0),
    );
    const since = Math.max(resolved.snapshotSetAt, state.requestedAt);
    metrics.pushLatency.observe({ type }, Math.max(0, performance.now() - since) / 1000);
  }
}

function isServedType(typeUrl: string): typeUrl is TypeUrl {
  return SERVED_TYPES.has(typeUrl);
}

function subscriptionOf(typeUrl: TypeUrl, names: readonly string[], state: TypeState): Subscription {
  if (names.includes('*')) return { wildcard: true };
  if (names.length === 0) {
    // Legacy wildcard: only LDS/CDS, and only while the stream has not subscribed by name.
    const wildcard = WILDCARD_TYPES.has(typeUrl) && (state.sent === undefined || state.subscription.wildcard);
    return wildcard ? { wildcard: true } : { wildcard: false, names: new Set() };
  }
  return { wildcard: false, names: new Set(names) };
}

function sameSubscription(a: Subscription, b: Subscription): boolean {
  if (a.wildcard || b.wildcard) return a.wildcard === b.wildcard;
  return a.names.size === b.names.size && [...a.names].every((n) => b.names.has(n));
}
