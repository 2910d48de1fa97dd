/**
 * Prometheus metrics of the xDS server. Labels are low-cardinality only: `type` is the short resource kind
 * (`Listener`, `Cluster`, ...), never a node id or resource name (thousands of proxies or hosts would explode the
 * series count); per-resource detail belongs in status conditions.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TypeUrl } from '../envoy/registry.js';

/** Metric names, each documented; `portcullis_xds_` prefix. */
export const XdsMetricName = {
  /** Gauge: open ADS/SDS streams. */
  ConnectedProxies: 'portcullis_xds_connected_proxies',
  /** Counter by `type`: DiscoveryResponses sent. */
  Pushes: 'portcullis_xds_pushes_total',
  /** Counter by `type`: responses the client accepted. */
  Acks: 'portcullis_xds_acks_total',
  /** Counter by `type`: responses the client rejected. */
  Nacks: 'portcullis_xds_nacks_total',
  /** Gauge by `type`: resources currently rejected by at least one node (0 once fixed or accepted later). */
  RejectedResources: 'portcullis_xds_rejected_resources',
  /** Histogram by `type`: seconds from the snapshot being set to the response being written to the stream. */
  PushLatency: 'portcullis_xds_push_latency_seconds',
  /** Histogram by `type`: bytes of resources in one response. */
  PushBytes: 'portcullis_xds_push_bytes',
  /** Gauge by `type`: resources in the default ('*') snapshot. */
  SnapshotResources: 'portcullis_xds_snapshot_resources',
  /** Gauge by `type`: encoded bytes of the default ('*') snapshot. */
  SnapshotBytes: 'portcullis_xds_snapshot_bytes',
} as const;
export type XdsMetricName = (typeof XdsMetricName)[keyof typeof XdsMetricName];

/** `type.googleapis.com/envoy.config.listener.v3.Listener` → `Listener`. */
export function typeLabel(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
}

export class XdsMetrics {
  readonly registry: Registry;
  readonly connectedProxies: Gauge;
  readonly pushes: Counter<'type'>;
  readonly acks: Counter<'type'>;
  readonly nacks: Counter<'type'>;
  readonly rejectedResources: Gauge<'type'>;
  readonly pushLatency: Histogram<'type'>;
  readonly pushBytes: Histogram<'type'>;
  readonly snapshotResources: Gauge<'type'>;
  readonly snapshotBytes: Gauge<'type'>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    const labelNames = ['type'] as const;
    this.connectedProxies = new Gauge({
      name: XdsMetricName.ConnectedProxies,
      help: 'Open ADS and SDS streams.',
      registers,
    });
    this.pushes = new Counter({ name: XdsMetricName.Pushes, help: 'DiscoveryResponses sent.', labelNames, registers });
    this.acks = new Counter({ name: XdsMetricName.Acks, help: 'Responses accepted (ACK).', labelNames, registers });
    this.nacks = new Counter({ name: XdsMetricName.Nacks, help: 'Responses rejected (NACK).', labelNames, registers });
    this.rejectedResources = new Gauge({
      name: XdsMetricName.RejectedResources,
      help: 'Resources currently rejected by at least one node.',
      labelNames,
      registers,
    });
    this.pushLatency = new Histogram({
      name: XdsMetricName.PushLatency,
      help: 'Seconds from a snapshot change to the response being written.',
      labelNames,
      // Debounce (0.1 s by default) dominates; the long tail shows streams blocked waiting for an ACK.
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.pushBytes = new Histogram({
      name: XdsMetricName.PushBytes,
      help: 'Resource bytes in one DiscoveryResponse.',
      labelNames,
      buckets: [1e3, 1e4, 1e5, 1e6, 4e6, 16e6, 64e6],
      registers,
    });
    this.snapshotResources = new Gauge({
      name: XdsMetricName.SnapshotResources,
      help: "Resources in the default ('*') snapshot.",
      labelNames,
      registers,
    });
    this.snapshotBytes = new Gauge({
      name: XdsMetricName.SnapshotBytes,
      help: "Encoded bytes of the default ('*') snapshot.",
      labelNames,
      registers,
    });
  }

  recordRejections(rejections: readonly { typeUrl: TypeUrl; resourceName: string }[], types: readonly TypeUrl[]): void {
    for (const typeUrl of types) {
      const names = new Set(rejections.filter((r) => r.typeUrl === typeUrl).map((r) => r.resourceName));
      this.rejectedResources.set({ type: typeLabel(typeUrl) }, names.size);
    }
  }
}
