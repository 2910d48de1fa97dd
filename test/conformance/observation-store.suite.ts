/**
 * Conformance suite of `ObservationStore` (contract in packages/core/src/ports/monitoring.ts).
 * The factory returns an EMPTY store for every test.
 */
import type { Observation, ObservationStore } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

/** One observation of each shape: a target with a serial, a target found empty, an endpoint that failed. */
export function sampleObservations(): Observation[] {
  return [
    {
      location: 'acm-eu-west-1',
      source: 'acm',
      observedAt: '2026-06-01T00:00:00Z',
      serial: 'aa01',
      notAfter: '2026-08-30T00:00:00Z',
      address: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c',
    },
    { location: 'k8s-prod', source: 'kubernetes', observedAt: '2026-06-01T00:00:00Z' },
    {
      location: 'endpoint:lb.example.test:443',
      source: 'endpoint',
      observedAt: '2026-06-01T00:00:01Z',
      address: 'lb.example.test:443',
      error: 'endpoint lb.example.test:443: tls: connection refused',
    },
  ];
}

export function describeObservationStoreConformance(
  label: string,
  createStore: () => Promise<ObservationStore>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (store: ObservationStore) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createStore()));

  describe(`ObservationStore conformance: ${label}`, () => {
    test('returns an empty list for a certificate never observed', async (store) => {
      expect(await store.get('absent')).toEqual([]);
    });

    test('returns what was put, in order, optional fields absent where they were', async (store) => {
      await store.put('c1', sampleObservations());
      const read = await store.get('c1');
      expect(read).toEqual(sampleObservations());
      expect(Object.keys(read[1] as Observation).sort()).toEqual(['location', 'observedAt', 'source']);
    });

    test('replaces the earlier observations of a certificate', async (store) => {
      await store.put('c1', sampleObservations());
      const later: Observation[] = [
        { location: 'acm-eu-west-1', source: 'acm', observedAt: '2026-06-02T00:00:00Z', serial: 'bb02' },
      ];
      await store.put('c1', later);
      expect(await store.get('c1')).toEqual(later);
    });

    test('stores an empty list (a certificate with nothing to observe)', async (store) => {
      await store.put('c1', sampleObservations());
      await store.put('c1', []);
      expect(await store.get('c1')).toEqual([]);
    });

    test('keeps certificates apart', async (store) => {
      await store.put('c1', sampleObservations());
      await store.put('c2', []);
      expect(await store.get('c1')).toHaveLength(3);
      expect(await store.get('c2')).toEqual([]);
    });
  });
}
