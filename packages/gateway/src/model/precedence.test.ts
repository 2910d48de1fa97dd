import { describe, expect, it } from 'vitest';
import type { HTTPRouteMatch } from '../sources/gateway-api.js';
import { translate } from '../translate.js';
import { fixedClock, given, type Meta } from './test-fixtures.js';

const toWeb = [{ name: 'web', port: 80 }];

/** Route names of the `*` host of http-80, in match order, for routes `[name, matches, meta]`. */
function order(routes: [string, HTTPRouteMatch[], Meta?][]): string[] {
  const snapshot = given.snapshot(
    given.gatewayClass(),
    given.gateway('gw', [given.http()]),
    given.service('web', [80]),
    ...routes.map(([name, matches, meta]) => given.httpRoute(name, { rules: [{ matches, backendRefs: toWeb }] }, meta)),
  );
  const result = translate(snapshot, { clock: fixedClock() });
  return result.model.routeConfigs[0]?.virtualHosts.find((v) => v.name === '*')?.routes.map((r) => r.name) ?? [];
}

const prefix = (value: string): HTTPRouteMatch => ({ path: { type: 'PathPrefix', value } });
const exact = (value: string): HTTPRouteMatch => ({ path: { type: 'Exact', value } });
const regex = (value: string): HTTPRouteMatch => ({ path: { type: 'RegularExpression', value } });

describe('route precedence across routes', () => {
  const cases: Record<string, { routes: [string, HTTPRouteMatch[], Meta?][]; want: string[] }> = {
    'an exact path beats any prefix': {
      routes: [
        ['a', [prefix('/api/v1/users')]],
        ['b', [exact('/api')]],
      ],
      want: ['httproute/default/b/0/0', 'httproute/default/a/0/0'],
    },
    'the longest prefix wins': {
      routes: [
        ['a', [prefix('/')]],
        ['b', [prefix('/api/v1')]],
        ['c', [prefix('/api')]],
      ],
      want: ['httproute/default/b/0/0', 'httproute/default/c/0/0', 'httproute/default/a/0/0'],
    },
    'regex paths come after exact and before every prefix, longer pattern first': {
      routes: [
        ['a', [prefix('/api')]],
        ['b', [regex('/x/[0-9]+')]],
        ['c', [exact('/z')]],
        ['d', [regex('/[a-z]+/.*/edit')]],
      ],
      want: [
        'httproute/default/c/0/0',
        'httproute/default/d/0/0',
        'httproute/default/b/0/0',
        'httproute/default/a/0/0',
      ],
    },
    'on equal paths a method match wins': {
      routes: [
        ['a', [prefix('/api')]],
        ['b', [{ ...prefix('/api'), method: 'POST' }]],
      ],
      want: ['httproute/default/b/0/0', 'httproute/default/a/0/0'],
    },
    'then more header matches win': {
      routes: [
        ['a', [{ ...prefix('/api'), headers: [{ name: 'x-a', value: '1' }] }]],
        [
          'b',
          [
            {
              ...prefix('/api'),
              headers: [
                { name: 'x-a', value: '1' },
                { name: 'x-b', value: '2' },
              ],
            },
          ],
        ],
      ],
      want: ['httproute/default/b/0/0', 'httproute/default/a/0/0'],
    },
    'then more query matches win': {
      routes: [
        ['a', [prefix('/api')]],
        ['b', [{ ...prefix('/api'), queryParams: [{ name: 'v', value: '2' }] }]],
      ],
      want: ['httproute/default/b/0/0', 'httproute/default/a/0/0'],
    },
    'on a full tie the oldest route wins': {
      routes: [
        ['a', [prefix('/api')], { created: '2025-02-01T00:00:00Z' }],
        ['b', [prefix('/api')], { created: '2025-01-01T00:00:00Z' }],
      ],
      want: ['httproute/default/b/0/0', 'httproute/default/a/0/0'],
    },
    'on equal age namespace/name decides': {
      routes: [
        ['b', [prefix('/api')], { created: '2025-01-01T00:00:00Z' }],
        ['a', [prefix('/api')], { created: '2025-01-01T00:00:00Z' }],
      ],
      want: ['httproute/default/a/0/0', 'httproute/default/b/0/0'],
    },
    'within a route, rule order decides on ties': {
      routes: [['a', [prefix('/x'), prefix('/y')]]],
      want: ['httproute/default/a/0/0', 'httproute/default/a/0/1'],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { routes, want }) => {
    expect(order(routes)).toEqual(want);
  });
});
