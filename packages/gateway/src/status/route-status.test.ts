import { describe, expect, it } from 'vitest';
import { fixedClock, given } from '../model/test-fixtures.js';
import { CONTROLLER_NAME } from '../sources/annotations.js';
import type { RouteStatus } from '../sources/gateway-api.js';
import { translate } from '../translate.js';
import type { RouteStatusUpdate } from './types.js';

const options = { clock: fixedClock('2026-03-01T10:00:00Z') };

function routeUpdate(
  status: RouteStatus | undefined,
  parentName = 'gw',
  generation = 4,
): RouteStatusUpdate | undefined {
  const route = given.httpRoute(
    'r',
    { parentRefs: [given.parent(parentName)], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    { generation, ...(status === undefined ? {} : { status }) },
  );
  const result = translate(
    given.snapshot(given.gatewayClass(), given.gateway('gw', [given.http()]), given.service('web', [80]), route),
    options,
  );
  const update = result.status.find((u) => u.key === 'HTTPRoute/default/r');
  return update?.kind === 'HTTPRoute' ? update : undefined;
}

const accepted = (time: string) => ({
  type: 'Accepted',
  status: 'True' as const,
  reason: 'Accepted',
  message: 'Accepted',
  observedGeneration: 4,
  lastTransitionTime: time,
});
const resolved = (time: string) => ({
  type: 'ResolvedRefs',
  status: 'True' as const,
  reason: 'ResolvedRefs',
  message: 'Resolved all references',
  observedGeneration: 4,
  lastTransitionTime: time,
});
const foreign = {
  parentRef: { name: 'other-gw' },
  controllerName: 'example.com/other',
  conditions: [
    {
      type: 'Accepted',
      status: 'True' as const,
      reason: 'Accepted',
      message: 'theirs',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    },
  ],
};

describe('route status', () => {
  it('writes parents[] with controllerName, parentRef, observedGeneration and the clock time', () => {
    expect(routeUpdate(undefined)?.status).toEqual({
      parents: [
        {
          parentRef: { name: 'gw' },
          controllerName: CONTROLLER_NAME,
          conditions: [accepted('2026-03-01T10:00:00Z'), resolved('2026-03-01T10:00:00Z')],
        },
      ],
    });
  });

  it('reports no change when the status already says the same, keeping the old transition times', () => {
    const existing = {
      parents: [
        {
          parentRef: { name: 'gw' },
          controllerName: CONTROLLER_NAME,
          conditions: [accepted('2025-05-05T00:00:00Z'), resolved('2025-05-05T00:00:00Z')],
        },
      ],
    };
    const update = routeUpdate(existing);
    expect(update?.changed).toBe(false);
    expect(update?.status.parents[0]?.conditions[0]?.lastTransitionTime).toBe('2025-05-05T00:00:00Z');
  });

  it('reports a change when only observedGeneration moved', () => {
    const existing = {
      parents: [
        {
          parentRef: { name: 'gw' },
          controllerName: CONTROLLER_NAME,
          conditions: [accepted('2025-05-05T00:00:00Z'), resolved('2025-05-05T00:00:00Z')],
        },
      ],
    };
    expect(routeUpdate(existing, 'gw', 5)?.changed).toBe(true);
  });

  it("keeps other controllers' parent entries after ours", () => {
    const update = routeUpdate({ parents: [foreign] });
    expect(update?.status.parents.map((p) => p.controllerName)).toEqual([CONTROLLER_NAME, 'example.com/other']);
    expect(update?.status.parents[1]).toEqual(foreign);
  });

  it('removes our stale entry when the route no longer names our Gateway', () => {
    const stale = {
      parentRef: { name: 'gw' },
      controllerName: CONTROLLER_NAME,
      conditions: [accepted('2025-05-05T00:00:00Z')],
    };
    const update = routeUpdate({ parents: [stale, foreign] }, 'other-gw');
    expect(update?.status.parents).toEqual([foreign]);
    expect(update?.changed).toBe(true);
  });
});
