import { beforeAll, describe, expect, it } from 'vitest';
import type { ComputedGatewayStatus, ComputedListenerSetStatus, StatusCondition, TranslateResult } from '../index.js';
import { translate } from '../translate.js';
import { type TestCertificate, testCertificate } from './test-certificates.js';
import { fixedClock, given } from './test-fixtures.js';

let a: TestCertificate;
let b: TestCertificate;
beforeAll(async () => {
  [a, b] = await Promise.all([testCertificate('a'), testCertificate('b')]);
});

const options = { clock: fixedClock(), addresses: [{ type: 'IPAddress' as const, value: '192.0.2.10' }] };

function run(...objects: object[]): TranslateResult {
  return translate(given.snapshot(given.gatewayClass(), ...objects), options);
}

function gatewayStatus(result: TranslateResult, key = 'Gateway/default/gw'): ComputedGatewayStatus {
  const update = result.status.find((u) => u.key === key);
  if (update?.kind !== 'Gateway') throw new Error(`no Gateway status for ${key}`);
  return update.status;
}

/** `type → "status/reason"` of a listener's conditions. */
function listenerConditions(result: TranslateResult, listener: string, key?: string): Record<string, string> {
  const status = gatewayStatus(result, key).listeners.find((l) => l.name === listener);
  return summarize(status?.conditions ?? []);
}

function summarize(conditions: readonly StatusCondition[]): Record<string, string> {
  return Object.fromEntries(conditions.map((c) => [c.type, `${c.status}/${c.reason}`]));
}

describe('GatewayClass and Gateway acceptance', () => {
  it('ignores a GatewayClass of another controller and its Gateways entirely', () => {
    const result = translate(
      given.snapshot(
        given.gatewayClass('other', 'example.com/other'),
        given.gateway('gw', [given.http()], { gatewayClassName: 'other' }),
      ),
      options,
    );
    expect(result.status).toEqual([]);
    expect(result.model.listeners).toEqual([]);
  });

  it('refuses a GatewayClass with parametersRef and serves none of its Gateways', () => {
    const withParameters = given.gatewayClass();
    withParameters.spec.parametersRef = { group: 'example.com', kind: 'Config', name: 'x' };
    const result = translate(given.snapshot(withParameters, given.gateway('gw', [given.http()])), options);
    const update = result.status.find((u) => u.key === 'GatewayClass/portcullis');
    expect(update?.kind === 'GatewayClass' && summarize(update.status.conditions)).toEqual({
      Accepted: 'False/InvalidParameters',
    });
    expect(result.model.listeners).toEqual([]);
  });

  it('accepts and programs a valid Gateway with the configured address', () => {
    const status = gatewayStatus(run(given.gateway('gw', [given.http()])));
    expect(summarize(status.conditions)).toEqual({ Accepted: 'True/Accepted', Programmed: 'True/Programmed' });
    expect(status.addresses).toEqual([{ type: 'IPAddress', value: '192.0.2.10' }]);
  });

  it('reports AddressNotAssigned when no address is configured', () => {
    const result = translate(given.snapshot(given.gatewayClass(), given.gateway('gw', [given.http()])), {
      clock: fixedClock(),
    });
    expect(summarize(gatewayStatus(result).conditions).Programmed).toBe('False/AddressNotAssigned');
  });
});

describe('listener validation', () => {
  const cases: Record<
    string,
    { objects: () => object[]; listener: string; want: Record<string, string>; served: boolean }
  > = {
    'an HTTPS listener with a valid Secret is served': {
      objects: () => [given.gateway('gw', [given.https('https', 443, ['a'])]), given.tlsSecret('a', a)],
      listener: 'https',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'True/Programmed',
        ResolvedRefs: 'True/ResolvedRefs',
        Conflicted: 'False/NoConflicts',
      },
      served: true,
    },
    'a missing Secret is InvalidCertificateRef and never served': {
      objects: () => [given.gateway('gw', [given.https('https', 443, ['missing'])])],
      listener: 'https',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'False/Invalid',
        ResolvedRefs: 'False/InvalidCertificateRef',
        Conflicted: 'False/NoConflicts',
      },
      served: false,
    },
    'a key that does not match the certificate is InvalidCertificateRef': {
      objects: () => [given.gateway('gw', [given.https('https', 443, ['a'])]), given.tlsSecret('a', a, { keyFrom: b })],
      listener: 'https',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'False/Invalid',
        ResolvedRefs: 'False/InvalidCertificateRef',
        Conflicted: 'False/NoConflicts',
      },
      served: false,
    },
    'a Secret in another namespace without ReferenceGrant is RefNotPermitted': {
      objects: () => [
        given.gateway('gw', [given.https('https', 443, ['certs/a'])]),
        given.tlsSecret('a', a, { namespace: 'certs' }),
      ],
      listener: 'https',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'False/Invalid',
        ResolvedRefs: 'False/RefNotPermitted',
        Conflicted: 'False/NoConflicts',
      },
      served: false,
    },
    'a Secret in another namespace with a ReferenceGrant is served': {
      objects: () => [
        given.gateway('gw', [given.https('https', 443, ['certs/a'])]),
        given.tlsSecret('a', a, { namespace: 'certs' }),
        given.referenceGrant(
          'allow-gw',
          'certs',
          { kind: 'Gateway', namespace: 'default' },
          { kind: 'Secret', name: 'a' },
        ),
      ],
      listener: 'https',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'True/Programmed',
        ResolvedRefs: 'True/ResolvedRefs',
        Conflicted: 'False/NoConflicts',
      },
      served: true,
    },
    'a ReferenceGrant for another Secret name does not help': {
      objects: () => [
        given.gateway('gw', [given.https('https', 443, ['certs/a'])]),
        given.tlsSecret('a', a, { namespace: 'certs' }),
        given.referenceGrant(
          'allow-gw',
          'certs',
          { kind: 'Gateway', namespace: 'default' },
          { kind: 'Secret', name: 'other' },
        ),
      ],
      listener: 'https',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'False/Invalid',
        ResolvedRefs: 'False/RefNotPermitted',
        Conflicted: 'False/NoConflicts',
      },
      served: false,
    },
    'a TCP listener is UnsupportedProtocol': {
      objects: () => [given.gateway('gw', [{ name: 'tcp', port: 5432, protocol: 'TCP' }])],
      listener: 'tcp',
      want: {
        Accepted: 'False/UnsupportedProtocol',
        Programmed: 'False/Invalid',
        ResolvedRefs: 'True/ResolvedRefs',
        Conflicted: 'False/NoConflicts',
      },
      served: false,
    },
    'an unsupported route kind is InvalidRouteKinds but the listener is still served': {
      objects: () => [
        given.gateway('gw', [
          given.http('http', 80, { allowedRoutes: { kinds: [{ kind: 'TCPRoute' }, { kind: 'HTTPRoute' }] } }),
        ]),
      ],
      listener: 'http',
      want: {
        Accepted: 'True/Accepted',
        Programmed: 'True/Programmed',
        ResolvedRefs: 'False/InvalidRouteKinds',
        Conflicted: 'False/NoConflicts',
      },
      served: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { objects, listener, want, served }) => {
    const result = run(...objects());
    expect(listenerConditions(result, listener)).toEqual(want);
    expect(result.model.listeners.length > 0).toBe(served);
    if (!served) expect(result.model.secrets).toEqual([]);
  });

  it('lists only the supported kinds of a listener', () => {
    const result = run(
      given.gateway('gw', [
        given.http('http', 80, { allowedRoutes: { kinds: [{ kind: 'TCPRoute' }, { kind: 'HTTPRoute' }] } }),
      ]),
    );
    expect(gatewayStatus(result).listeners[0]?.supportedKinds).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
    ]);
  });
});

describe('listener conflicts', () => {
  it('marks every listener of a port used with two protocols ProtocolConflict and serves none of them', () => {
    const result = run(
      given.gateway('gw', [given.http('plain', 443), given.https('tls', 443, ['a'])]),
      given.tlsSecret('a', a),
    );
    for (const name of ['plain', 'tls']) {
      expect(listenerConditions(result, name)).toMatchObject({
        Conflicted: 'True/ProtocolConflict',
        Programmed: 'False/Invalid',
      });
    }
    expect(result.model.listeners).toEqual([]);
    expect(summarize(gatewayStatus(result).conditions)).toEqual({
      Accepted: 'False/ListenersNotValid',
      Programmed: 'False/Invalid',
    });
  });

  it('marks listeners with the same port and hostname HostnameConflict and keeps the others', () => {
    const result = run(
      given.gateway('gw', [
        given.http('one', 80, { hostname: 'a.example.com' }),
        given.http('two', 80, { hostname: 'a.example.com' }),
        given.http('three', 80, { hostname: 'b.example.com' }),
      ]),
    );
    expect(listenerConditions(result, 'one').Conflicted).toBe('True/HostnameConflict');
    expect(listenerConditions(result, 'two').Conflicted).toBe('True/HostnameConflict');
    expect(listenerConditions(result, 'three').Conflicted).toBe('False/NoConflicts');
    expect(summarize(gatewayStatus(result).conditions).Accepted).toBe('True/ListenersNotValid');
  });

  it('gives the port to the older Gateway when another Gateway asks for it with another protocol', () => {
    const result = run(
      given.gateway('old', [given.http('http', 8443)], { created: '2025-01-01T00:00:00Z' }),
      given.gateway('new', [given.https('https', 8443, ['a'])], { created: '2025-06-01T00:00:00Z' }),
      given.tlsSecret('a', a),
    );
    expect(listenerConditions(result, 'https', 'Gateway/default/new').Accepted).toBe('False/PortUnavailable');
    expect(result.model.listeners.map((l) => l.name)).toEqual(['http-8443']);
  });

  it('sets OverlappingTLSConfig on HTTPS listeners whose hostnames overlap, and only on them', () => {
    const result = run(
      given.gateway('gw', [
        given.https('wild', 443, ['a'], { hostname: '*.example.com' }),
        given.https('foo', 443, ['b'], { hostname: 'foo.example.com' }),
        given.https('org', 443, ['b'], { hostname: 'foo.example.org' }),
      ]),
      given.tlsSecret('a', a),
      given.tlsSecret('b', b),
    );
    expect(listenerConditions(result, 'wild').OverlappingTLSConfig).toBe('True/OverlappingHostnames');
    expect(listenerConditions(result, 'foo').OverlappingTLSConfig).toBe('True/OverlappingHostnames');
    expect(listenerConditions(result, 'org').OverlappingTLSConfig).toBeUndefined();
  });
});

describe('HTTPS listeners on one port', () => {
  it('serves many SNI hosts from one Envoy listener, one filter chain per certificate', () => {
    const hosts = ['a.example.com', 'b.example.com', 'c.example.com'];
    const result = run(
      given.gateway('gw', [
        ...hosts.map((h, i) => given.https(`https-${i}`, 443, [i === 2 ? 'b' : 'a'], { hostname: h })),
        given.https('fallback', 443, ['b']),
      ]),
      given.tlsSecret('a', a),
      given.tlsSecret('b', b),
    );
    expect(result.model.listeners).toHaveLength(1);
    expect(result.model.listeners[0]?.filterChains).toEqual([
      { name: 'https-443/*', serverNames: [], secretNames: ['default/b'] },
      { name: 'https-443/a.example.com', serverNames: ['a.example.com', 'b.example.com'], secretNames: ['default/a'] },
      { name: 'https-443/c.example.com', serverNames: ['c.example.com'], secretNames: ['default/b'] },
    ]);
    expect(result.model.secrets.map((s) => s.name)).toEqual(['default/a', 'default/b']);
    expect(JSON.stringify(result.model)).not.toContain('PRIVATE KEY');
  });
});

describe('ListenerSets', () => {
  function setStatus(result: TranslateResult, key: string): ComputedListenerSetStatus {
    const update = result.status.find((u) => u.key === key);
    if (update?.kind !== 'ListenerSet' && update?.kind !== 'XListenerSet') throw new Error(`no status for ${key}`);
    return update.status;
  }

  it('refuses a ListenerSet when the Gateway does not allow ListenerSets', () => {
    const result = run(
      given.gateway('gw', [given.http()]),
      given.listenerSet('extra', 'gw', [given.http('extra', 8080)]),
    );
    expect(summarize(setStatus(result, 'ListenerSet/default/extra').conditions).Accepted).toBe('False/NotAllowed');
    expect(result.model.listeners.map((l) => l.name)).toEqual(['http-80']);
  });

  it('merges an allowed ListenerSet into the Gateway and reports its listeners (with port for XListenerSet)', () => {
    const result = run(
      given.gateway('gw', [given.http()], { allowedListeners: { namespaces: { from: 'All' } } }),
      given.listenerSet('extra', 'gw', [given.http('extra', 8080)], {
        namespace: 'team',
        gatewayNamespace: 'default',
        experimental: true,
      }),
    );
    const status = setStatus(result, 'XListenerSet/team/extra');
    expect(summarize(status.conditions)).toEqual({ Accepted: 'True/Accepted', Programmed: 'True/Programmed' });
    expect(status.listeners[0]).toMatchObject({ name: 'extra', port: 8080, attachedRoutes: 0 });
    expect(result.model.listeners.map((l) => l.name)).toEqual(['http-80', 'http-8080']);
    expect(gatewayStatus(result).attachedListenerSets).toBe(1);
  });

  it('marks a ListenerSet listener that conflicts with a Gateway listener, the Gateway listener wins', () => {
    const result = run(
      given.gateway('gw', [given.http('http', 80, { hostname: 'a.example.com' })], {
        allowedListeners: { namespaces: { from: 'Same' } },
      }),
      given.listenerSet('extra', 'gw', [given.http('dup', 80, { hostname: 'a.example.com' })]),
    );
    expect(listenerConditions(result, 'http').Conflicted).toBe('False/NoConflicts');
    const status = setStatus(result, 'ListenerSet/default/extra');
    expect(summarize(status.listeners[0]?.conditions ?? []).Conflicted).toBe('True/HostnameConflict');
    expect(summarize(status.conditions).Accepted).toBe('False/ListenersNotValid');
  });
});
