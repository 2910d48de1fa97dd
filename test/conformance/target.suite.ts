/**
 * Conformance suite of `Target` (contract in packages/core/src/ports/target.ts): the behaviour every target shares.
 * Target-specific rules (ACM's refused re-imports, export formats) are tested beside each adapter.
 */
import type { CertificateMaterial, DeliveryContext, Target } from '@portcullis/core';
import { createTestMaterial } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

export interface TargetSubject {
  readonly target: Target;
  /** A context for a (certificateId, targetId) never delivered to this target before; no `location`. */
  readonly context: DeliveryContext;
  /** Material for the names the target accepts (defaults to `createTestMaterial` for `target.example.test`). */
  readonly material?: (revision: number) => Promise<CertificateMaterial>;
}

export function describeTargetConformance(
  label: string,
  createSubject: () => Promise<TargetSubject>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (subject: Required<TargetSubject>) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => {
      const subject = await createSubject();
      const material =
        subject.material ??
        ((revision: number) =>
          createTestMaterial({
            certificateId: subject.context.certificateId,
            revision,
            names: ['target.example.test'],
          }));
      await body({ ...subject, material });
    });

  describe(`Target conformance: ${label}`, () => {
    test('observes nothing before the first delivery', async ({ target, context }) => {
      expect(await target.observe(context)).toBeUndefined();
    });

    test('publishes a first certificate to a new location and observes its serial', async ({
      target,
      context,
      material,
    }) => {
      const m = await material(1);
      const result = await target.publish(m, context);
      expect(result).toMatchObject({ serial: m.serial, imported: true, supersededLocations: [] });
      expect(await target.observe({ ...context, location: result.location })).toEqual({
        location: result.location,
        serial: m.serial,
        notAfter: m.notAfter,
      });
    });

    test('changes nothing when the same serial is published again', async ({ target, context, material }) => {
      const m = await material(1);
      const first = await target.publish(m, context);
      const again = await target.publish(m, { ...context, location: first.location });
      expect(again).toEqual({ location: first.location, serial: m.serial, supersededLocations: [], imported: false });
    });

    test('updates the recorded location in place for a new serial', async ({ target, context, material }) => {
      const first = await target.publish(await material(1), context);
      const next = await material(2);
      const result = await target.publish(next, { ...context, location: first.location });
      expect(result).toMatchObject({ location: first.location, serial: next.serial, imported: true });
      expect((await target.observe({ ...context, location: first.location }))?.serial).toBe(next.serial);
    });

    test('serves an earlier certificate again when it is published after a newer one (a restore)', async ({
      target,
      context,
      material,
    }) => {
      const one = await material(1);
      const first = await target.publish(one, context);
      await target.publish(await material(2), { ...context, location: first.location });
      const again = await target.publish(one, { ...context, location: first.location });
      expect(again).toMatchObject({ location: first.location, serial: one.serial });
      expect((await target.observe({ ...context, location: first.location }))?.serial).toBe(one.serial);
    });

    test('finds its earlier deployment when the location was never recorded (crash after publish)', async ({
      target,
      context,
      material,
    }) => {
      const m = await material(1);
      const first = await target.publish(m, context);
      const replay = await target.publish(m, context);
      expect(replay).toEqual({ location: first.location, serial: m.serial, supersededLocations: [], imported: false });
      expect((await target.observe(context))?.location).toBe(first.location);
    });
  });
}
