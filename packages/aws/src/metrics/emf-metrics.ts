/**
 * Metrics as CloudWatch Embedded Metric Format: points are buffered by `record` (never I/O, never throws) and
 * written by `flush()` as one JSON line per dimension set — CloudWatch Logs turns those lines into metrics, so a
 * Lambda needs no PutMetricData call and no extra latency. Written by hand rather than with Powertools Metrics:
 * the format is a few fields (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
 * and this way the adapter package carries no Lambda runtime dependency; handlers call `flush()` in `finally`.
 */
import { type Clock, type MetricPoint, type Metrics, systemClock, ValidationError } from '@portcullis/core';
import { rejectUnknownKeys, requireObject } from '../validate.js';

export const MetricsEnv = {
  /** CloudWatch namespace of every metric (default `Portcullis`). */
  Namespace: 'PORTCULLIS_METRICS_NAMESPACE',
} as const;
export type MetricsEnv = (typeof MetricsEnv)[keyof typeof MetricsEnv];

export interface EmfMetricsOptions {
  /** Default `Portcullis`. */
  readonly namespace?: string;
  /** Where lines go; default stdout (Lambda ships stdout to CloudWatch Logs). */
  readonly write?: (line: string) => void;
  /** Dimensions added to every point (`service`); low cardinality only. */
  readonly defaultDimensions?: Readonly<Record<string, string>>;
  readonly clock?: Clock;
}

/** EMF limits: 30 dimensions per set, 100 metrics per line, 100 values per metric. */
const MAX_DIMENSIONS = 30;
const MAX_VALUES_PER_METRIC = 100;
const NAMESPACE = /^[\w.\-/#:]{1,255}$/;

export class EmfMetrics implements Metrics {
  readonly #namespace: string;
  readonly #write: (line: string) => void;
  readonly #defaults: Readonly<Record<string, string>>;
  readonly #clock: Clock;
  #buffer: MetricPoint[] = [];

  constructor(options: EmfMetricsOptions = {}) {
    requireObject('metrics', options as unknown);
    rejectUnknownKeys('metrics', options, ['namespace', 'write', 'defaultDimensions', 'clock']);
    const namespace = options.namespace ?? 'Portcullis';
    if (!NAMESPACE.test(namespace)) {
      throw new ValidationError(
        'metrics.namespace',
        'namespace',
        `must match ${NAMESPACE.source}, got ${JSON.stringify(namespace)}`,
      );
    }
    this.#namespace = namespace;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#defaults = { ...options.defaultDimensions };
    this.#clock = options.clock ?? systemClock;
  }

  record(point: MetricPoint): void {
    this.#buffer.push(point);
  }

  /** Writes what was recorded since the last flush (nothing when empty) and empties the buffer. */
  flush(): void {
    const points = this.#buffer;
    this.#buffer = [];
    const groups = new Map<
      string,
      { dimensions: Record<string, string>; values: Map<string, { unit: string; values: number[] }> }
    >();
    for (const point of points) {
      const dimensions = { ...this.#defaults, ...point.dimensions };
      const key = JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
      let group = groups.get(key);
      if (group === undefined) {
        group = { dimensions, values: new Map() };
        groups.set(key, group);
      }
      const metric = group.values.get(point.name) ?? { unit: point.unit, values: [] };
      metric.values.push(point.value);
      group.values.set(point.name, metric);
    }
    const timestamp = this.#clock.now().getTime();
    for (const { dimensions, values } of groups.values()) {
      const names = Object.keys(dimensions).slice(0, MAX_DIMENSIONS);
      const longest = Math.max(...[...values.values()].map((m) => m.values.length));
      // More than 100 values of one metric in one invocation: spread over several lines, each within the limit.
      for (let offset = 0; offset < longest; offset += MAX_VALUES_PER_METRIC) {
        const line: Record<string, unknown> = { ...dimensions };
        const metrics: { Name: string; Unit: string }[] = [];
        for (const [name, metric] of values) {
          const slice = metric.values.slice(offset, offset + MAX_VALUES_PER_METRIC);
          if (slice.length === 0) continue;
          metrics.push({ Name: name, Unit: metric.unit });
          line[name] = slice.length === 1 ? slice[0] : slice;
        }
        line._aws = {
          Timestamp: timestamp,
          CloudWatchMetrics: [{ Namespace: this.#namespace, Dimensions: [names], Metrics: metrics }],
        };
        this.#write(JSON.stringify(line));
      }
    }
  }
}
