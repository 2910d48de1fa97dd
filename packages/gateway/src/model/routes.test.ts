import { describe, expect, it } from 'vitest';
import type { ComputedRouteStatus, TranslateResult } from '../index.js';
import type { HTTPBackendRef, Listener } from '../sources/gateway-api.js';
import { translate } from '../translate.js';
import { fixedClock, given } from './test-fixtures.js';
import type { ModelRoute } from './types.js';

const options = { clock: fixedClock(), addresses: [{ type: 'IPAddress' as const, value: '192.0.2.10' }] };
const web = () => [given.service('web', [80]), given.endpoints('web', ['10.0.0.1'], 8080, { portName: 'p80' })];
const toWeb = [{ name: 'web', port: 80 }];

function run(listeners: Listener[], ...objects: object[]): TranslateResult {
  return translate(given.snapshot(given.gatewayClass(), given.gateway('gw', listeners), ...web(), ...objects), options);
}

function routeStatus(result: TranslateResult, key: string): ComputedRouteStatus {
  const update = result.status.find((u) => u.key === key);
  if (update?.kind !== 'HTTPRoute' && update?.kind !== 'GRPCRoute') throw new Error(`no route status for ${key}`);
  return update.status;
}

/** `type → "status/reason"` of the first parent entry. */
function parentConditions(result: TranslateResult, key = 'HTTPRoute/default/r'): Record<string, string> {
  const parent = routeStatus(result, key).parents[0];
  return Object.fromEntries((parent?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
}

function routesOf(result: TranslateResult, listener = 'http-80', host = '*'): readonly ModelRoute[] {
  const config = result.model.routeConfigs.find((c) => c.name === listener);
  return config?.virtualHosts.find((v) => v.name === host)?.routes ?? [];
}

function attachedRoutes(result: TranslateResult, listener = 'http'): number | undefined {
  const update = result.status.find((u) => u.key === 'Gateway/default/gw');
  return update?.kind === 'Gateway'
    ? update.status.listeners.find((l) => l.name === listener)?.attachedRoutes
    : undefined;
}

describe('route attachment', () => {
  const cases: Record<
    string,
    { listeners: Listener[]; objects: object[]; key?: string; want: string; attached: number }
  > = {
    'a route in the Gateway namespace attaches by default (Same)': {
      listeners: [given.http()],
      objects: [given.httpRoute('r', { rules: [{ backendRefs: toWeb }] })],
      want: 'True/Accepted',
      attached: 1,
    },
    'a route from another namespace is NotAllowedByListeners under Same': {
      listeners: [given.http()],
      objects: [
        given.httpRoute('r', { parentRefs: [given.parent('gw', { namespace: 'default' })] }, { namespace: 'team' }),
      ],
      key: 'HTTPRoute/team/r',
      want: 'False/NotAllowedByListeners',
      attached: 0,
    },
    'a route from another namespace attaches under All': {
      listeners: [given.http('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } })],
      objects: [
        given.httpRoute('r', { parentRefs: [given.parent('gw', { namespace: 'default' })] }, { namespace: 'team' }),
      ],
      key: 'HTTPRoute/team/r',
      want: 'True/Accepted',
      attached: 1,
    },
    'a Selector admits namespaces whose labels match': {
      listeners: [
        given.http('http', 80, {
          allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } },
        }),
      ],
      objects: [
        given.namespace('team', { shared: 'yes' }),
        given.httpRoute('r', { parentRefs: [given.parent('gw', { namespace: 'default' })] }, { namespace: 'team' }),
      ],
      key: 'HTTPRoute/team/r',
      want: 'True/Accepted',
      attached: 1,
    },
    'a Selector refuses namespaces whose labels do not match': {
      listeners: [
        given.http('http', 80, {
          allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } },
        }),
      ],
      objects: [
        given.namespace('team', { shared: 'no' }),
        given.httpRoute('r', { parentRefs: [given.parent('gw', { namespace: 'default' })] }, { namespace: 'team' }),
      ],
      key: 'HTTPRoute/team/r',
      want: 'False/NotAllowedByListeners',
      attached: 0,
    },
    'a route kind the listener does not allow is NotAllowedByListeners': {
      listeners: [given.http('http', 80, { allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } })],
      objects: [given.httpRoute('r', {})],
      want: 'False/NotAllowedByListeners',
      attached: 0,
    },
    'an unknown sectionName is NoMatchingParent': {
      listeners: [given.http()],
      objects: [given.httpRoute('r', { parentRefs: [given.parent('gw', { sectionName: 'nope' })] })],
      want: 'False/NoMatchingParent',
      attached: 0,
    },
    'a port no listener uses is NoMatchingParent': {
      listeners: [given.http()],
      objects: [given.httpRoute('r', { parentRefs: [given.parent('gw', { port: 8080 })] })],
      want: 'False/NoMatchingParent',
      attached: 0,
    },
    'a matching port attaches': {
      listeners: [given.http()],
      objects: [given.httpRoute('r', { parentRefs: [given.parent('gw', { port: 80 })] })],
      want: 'True/Accepted',
      attached: 1,
    },
    'hostnames that no listener hostname intersects are NoMatchingListenerHostname': {
      listeners: [given.http('http', 80, { hostname: '*.example.com' })],
      objects: [given.httpRoute('r', { hostnames: ['a.example.org'] })],
      want: 'False/NoMatchingListenerHostname',
      attached: 0,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { listeners, objects, key, want, attached }) => {
    const result = run(listeners, ...objects);
    expect(parentConditions(result, key).Accepted).toBe(want);
    expect(attachedRoutes(result)).toBe(attached);
  });

  it('writes no status for a parentRef to a Gateway that is not ours', () => {
    const result = run([given.http()], given.httpRoute('r', { parentRefs: [given.parent('elsewhere')] }));
    expect(result.status.find((u) => u.key === 'HTTPRoute/default/r')).toBeUndefined();
  });

  it('serves a route only on the hostnames it shares with the listener', () => {
    const result = run(
      [given.http('http', 80, { hostname: '*.example.com' })],
      given.httpRoute('r', { hostnames: ['a.example.com', 'b.example.org'], rules: [{ backendRefs: toWeb }] }),
    );
    const hosts = result.model.routeConfigs[0]?.virtualHosts.map((v) => v.name);
    expect(hosts).toEqual(['*', 'a.example.com']);
  });
});

describe('rule validation', () => {
  it('drops a rule with a non-RE2 regex, serves the others, and says PartiallyInvalid "Dropped Rule"', () => {
    const result = run(
      [given.http()],
      given.httpRoute('r', {
        rules: [
          { matches: [{ path: { type: 'RegularExpression', value: '/(?<!x)y' } }], backendRefs: toWeb },
          { matches: [{ path: { type: 'PathPrefix', value: '/ok' } }], backendRefs: toWeb },
        ],
      }),
    );
    expect(parentConditions(result)).toEqual({
      Accepted: 'True/Accepted',
      ResolvedRefs: 'True/ResolvedRefs',
      PartiallyInvalid: 'True/UnsupportedValue',
    });
    const message = routeStatus(result, 'HTTPRoute/default/r').parents[0]?.conditions.find(
      (c) => c.type === 'PartiallyInvalid',
    )?.message;
    expect(message).toMatch(/^Dropped Rule 0: path regex/);
    expect(routesOf(result).map((r) => r.name)).toEqual(['httproute/default/r/1/0']);
  });

  it('refuses a route whose every rule is invalid and serves nothing of it', () => {
    const result = run(
      [given.http()],
      given.httpRoute('r', {
        rules: [{ matches: [{ path: { type: 'RegularExpression', value: '(' } }], backendRefs: toWeb }],
      }),
    );
    expect(parentConditions(result)).toEqual({ Accepted: 'False/UnsupportedValue', ResolvedRefs: 'True/ResolvedRefs' });
    expect(routesOf(result)).toEqual([]);
    expect(attachedRoutes(result)).toBe(0);
  });

  it('refuses RequestRedirect combined with backendRefs as IncompatibleFilters', () => {
    const result = run(
      [given.http()],
      given.httpRoute('r', {
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }], backendRefs: toWeb }],
      }),
    );
    expect(parentConditions(result).Accepted).toBe('False/IncompatibleFilters');
  });

  it('drops a rule using a filter this controller does not implement', () => {
    const result = run(
      [given.http()],
      given.httpRoute('r', {
        rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'y', name: 'z' } }] }],
      }),
    );
    expect(parentConditions(result).Accepted).toBe('False/UnsupportedValue');
  });
});

describe('backend references', () => {
  const cases: Record<
    string,
    { backendRefs: HTTPBackendRef[]; extra?: object[]; reason: string; backends: object[]; invalid: number }
  > = {
    'a missing Service is BackendNotFound and its share answers 500': {
      backendRefs: [
        { name: 'web', port: 80, weight: 90 },
        { name: 'missing', port: 80, weight: 10 },
      ],
      reason: 'False/BackendNotFound',
      backends: [{ cluster: 'default/web:80', weight: 90 }],
      invalid: 10,
    },
    'a Service port that does not exist is BackendNotFound': {
      backendRefs: [
        { name: 'web', port: 81 },
        { name: 'web', port: 80 },
      ],
      reason: 'False/BackendNotFound',
      backends: [{ cluster: 'default/web:80', weight: 1 }],
      invalid: 1,
    },
    'a Service in another namespace without ReferenceGrant is RefNotPermitted': {
      backendRefs: [
        { name: 'api', namespace: 'other', port: 80 },
        { name: 'web', port: 80 },
      ],
      extra: [given.service('api', [80], { namespace: 'other' })],
      reason: 'False/RefNotPermitted',
      backends: [{ cluster: 'default/web:80', weight: 1 }],
      invalid: 1,
    },
    'a Service in another namespace with a ReferenceGrant is used': {
      backendRefs: [{ name: 'api', namespace: 'other', port: 80 }],
      extra: [
        given.service('api', [80], { namespace: 'other' }),
        given.referenceGrant('g', 'other', { kind: 'HTTPRoute', namespace: 'default' }, { kind: 'Service' }),
      ],
      reason: 'True/ResolvedRefs',
      backends: [{ cluster: 'other/api:80', weight: 1 }],
      invalid: 0,
    },
    'a kind other than Service is InvalidKind': {
      backendRefs: [
        { group: 'example.com', kind: 'Bucket', name: 'b' },
        { name: 'web', port: 80 },
      ],
      reason: 'False/InvalidKind',
      backends: [{ cluster: 'default/web:80', weight: 1 }],
      invalid: 1,
    },
    'canary weights are kept per backend': {
      backendRefs: [
        { name: 'web', port: 80, weight: 95 },
        { name: 'canary', port: 80, weight: 5 },
      ],
      extra: [given.service('canary', [80])],
      reason: 'True/ResolvedRefs',
      backends: [
        { cluster: 'default/canary:80', weight: 5 },
        { cluster: 'default/web:80', weight: 95 },
      ],
      invalid: 0,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { backendRefs, extra = [], reason, backends, invalid }) => {
    const result = run([given.http()], given.httpRoute('r', { rules: [{ backendRefs }] }), ...extra);
    expect(parentConditions(result).ResolvedRefs).toBe(reason);
    expect(routesOf(result)[0]?.action).toMatchObject({ type: 'Forward', backends, invalidBackendWeight: invalid });
  });

  it('answers 500 for the whole rule when no backend is valid', () => {
    const result = run(
      [given.http()],
      given.httpRoute('r', { rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] }),
    );
    expect(routesOf(result)[0]?.action).toEqual({ type: 'DirectResponse', status: 500 });
    expect(result.model.clusters).toEqual([]);
  });

  it('keeps only ready endpoints and maps the Service port to the target port', () => {
    const result = translate(
      given.snapshot(
        given.gatewayClass(),
        given.gateway('gw', [given.http()]),
        given.service('web', [80]),
        given.endpoints('web', ['10.0.0.2', '10.0.0.1'], 8080, { portName: 'p80', notReady: ['10.0.0.3'] }),
        given.httpRoute('r', { rules: [{ backendRefs: toWeb }] }),
      ),
      options,
    );
    expect(result.model.clusters[0]?.endpoints).toEqual([
      { address: '10.0.0.1', port: 8080 },
      { address: '10.0.0.2', port: 8080 },
    ]);
  });
});
