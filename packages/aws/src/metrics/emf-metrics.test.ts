import type { MetricPoint } from '@portcullis/core';
import { ManualClock } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { EmfMetrics } from './emf-metrics.js';

function flushed(points: readonly MetricPoint[], defaults: Record<string, string> = {}): Record<string, unknown>[] {
  const lines: string[] = [];
  const metrics = new EmfMetrics({
    namespace: 'Test',
    write: (line) => lines.push(line),
    defaultDimensions: defaults,
    clock: new ManualClock('2026-06-01T00:00:00Z'),
  });
  for (const point of points) metrics.record(point);
  metrics.flush();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const step = (s: string): MetricPoint => ({ name: 'ReconcileStep', value: 1, unit: 'Count', dimensions: { step: s } });

describe('EmfMetrics', () => {
  const cases: Record<
    string,
    {
      points: MetricPoint[];
      defaults?: Record<string, string>;
      lines: number;
      check?: (lines: Record<string, unknown>[]) => void;
    }
  > = {
    'writes nothing when nothing was recorded': { points: [], lines: 0 },
    'writes one line per dimension set': {
      points: [step('order'), step('present'), step('order')],
      lines: 2,
      check: (lines) => {
        const order = lines.find((l) => l.step === 'order');
        expect(order?.ReconcileStep).toEqual([1, 1]);
        expect(order?._aws).toEqual({
          Timestamp: Date.parse('2026-06-01T00:00:00Z'),
          CloudWatchMetrics: [
            { Namespace: 'Test', Dimensions: [['step']], Metrics: [{ Name: 'ReconcileStep', Unit: 'Count' }] },
          ],
        });
      },
    },
    'adds the default dimensions to every point': {
      points: [{ name: 'WriteConflict', value: 1, unit: 'Count' }],
      defaults: { service: 'worker' },
      lines: 1,
      check: ([line]) => {
        expect(line?.service).toBe('worker');
        expect(line?.WriteConflict).toBe(1);
      },
    },
    'splits more than 100 values of one metric over several lines': {
      points: Array.from({ length: 150 }, () => step('order')),
      lines: 2,
      check: (lines) => expect(lines.map((l) => (l.ReconcileStep as number[]).length)).toEqual([100, 50]),
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { points, defaults, lines, check }) => {
    const out = flushed(points, defaults);
    expect(out).toHaveLength(lines);
    check?.(out);
  });

  it('empties the buffer on flush, so a second flush writes nothing', () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics({ write: (line) => lines.push(line) });
    metrics.record(step('order'));
    metrics.flush();
    metrics.flush();
    expect(lines).toHaveLength(1);
  });

  it('refuses unknown options and bad namespaces before anything is recorded', () => {
    expect(() => new EmfMetrics({ namespace: 'bad namespace!' })).toThrow(/metrics.namespace/);
    expect(() => new EmfMetrics({ nope: 1 } as never)).toThrow(/metrics.nope/);
  });
});
