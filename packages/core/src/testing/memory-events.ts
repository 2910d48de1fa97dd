import { ValidationError } from '../errors.js';
import type { Page, PageRequest } from '../ports/certificate-repository.js';
import type { EventLog, LifecycleEvent, LifecycleEventPublisher } from '../ports/events.js';
import type { MetricPoint, Metrics } from '../ports/metrics.js';
import type { Queue } from '../ports/queue.js';
import { MAX_QUEUE_DELAY_SECONDS } from '../ports/queue.js';
import { copy, pageOf } from './pages.js';

/** In-memory `EventLog`; same contract as the DynamoDB adapter. */
export class MemoryEventLog implements EventLog {
  readonly #events = new Map<string, LifecycleEvent>();

  async append(event: LifecycleEvent): Promise<void> {
    if (!this.#events.has(event.id)) this.#events.set(event.id, copy(event));
  }

  async list(certificateId: string, page: PageRequest): Promise<Page<LifecycleEvent>> {
    const own = [...this.#events.values()].filter((e) => e.certificateId === certificateId);
    const result = pageOf(own, (e) => `${e.at}|${e.id}`, page);
    return { ...result, items: result.items.map(copy) };
  }

  /** Test support: every event, oldest first. */
  all(): readonly LifecycleEvent[] {
    return [...this.#events.values()].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
  }
}

/** Records what would go to EventBridge (duplicates kept: publishing is at-least-once). */
export class RecordingEventPublisher implements LifecycleEventPublisher {
  readonly published: LifecycleEvent[] = [];

  async publish(event: LifecycleEvent): Promise<void> {
    this.published.push(copy(event));
  }
}

/** Records metric points. */
export class RecordingMetrics implements Metrics {
  readonly points: MetricPoint[] = [];

  record(point: MetricPoint): void {
    this.points.push(copy(point));
  }

  /** Sum of the values of one metric, optionally only points with the given dimensions. */
  total(name: string, dimensions: Readonly<Record<string, string>> = {}): number {
    return this.points
      .filter((p) => p.name === name && Object.entries(dimensions).every(([k, v]) => p.dimensions?.[k] === v))
      .reduce((sum, p) => sum + p.value, 0);
  }
}

/** Records queue messages; `due(nowSeconds)` tells which would be visible. */
export class MemoryQueue implements Queue {
  readonly messages: { certificateId: string; delaySeconds: number }[] = [];

  async send(certificateId: string, delaySeconds: number): Promise<void> {
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_QUEUE_DELAY_SECONDS) {
      throw new ValidationError('delaySeconds', 'range', `must be an integer from 0 to 900, got ${delaySeconds}`);
    }
    this.messages.push({ certificateId, delaySeconds });
  }
}
