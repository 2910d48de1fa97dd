import { ValidationError } from '@portcullis/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestCertificate, testCertificate } from './model/test-certificates.js';
import { fixedClock, given } from './model/test-fixtures.js';
import type { TranslateOptions } from './model/translate-options.js';
import { translate } from './translate.js';

let v1: TestCertificate;
let v2: TestCertificate;
beforeAll(async () => {
  [v1, v2] = await Promise.all([testCertificate('rotation-v1'), testCertificate('rotation-v2')]);
});

const options = { clock: fixedClock(), addresses: [{ type: 'IPAddress' as const, value: '192.0.2.10' }] };

describe('HTTP-01 challenges', () => {
  it('puts the challenge first on every HTTP virtual host, ahead of a catch-all HTTPS redirect', () => {
    const result = translate(
      given.snapshot(
        given.gatewayClass(),
        given.gateway('gw', [given.http()]),
        given.httpRoute('redirect', {
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        }),
        given.httpRoute('site', {
          hostnames: ['a.example.com'],
          rules: [{ matches: [{ path: { type: 'Exact', value: '/.well-known/acme-challenge/x' } }] }],
        }),
        given.challenge('c1', 'tok-1', 'tok-1.thumb', { namespace: 'portcullis' }),
      ),
      options,
    );
    for (const host of result.model.routeConfigs[0]?.virtualHosts ?? []) {
      expect(host.routes[0]).toMatchObject({
        name: 'acme/tok-1',
        match: { path: { type: 'Exact', value: '/.well-known/acme-challenge/tok-1' } },
        action: { type: 'DirectResponse', status: 200, body: 'tok-1.thumb' },
      });
    }
    expect(result.model.routeConfigs[0]?.virtualHosts.map((v) => v.name)).toEqual(['*', 'a.example.com']);
    expect(result.model.routeConfigs[0]?.virtualHosts[0]?.routes[1]?.action).toEqual({
      type: 'Redirect',
      scheme: 'https',
      statusCode: 301,
    });
  });

  it('opens port 80 for pending challenges when nothing else serves plain HTTP', () => {
    const result = translate(given.snapshot(given.challenge('c1', 'tok', 'tok.thumb')), options);
    expect(result.model.listeners.map((l) => l.name)).toEqual(['http-80']);
    expect(result.model.routeConfigs[0]?.virtualHosts[0]?.routes.map((r) => r.name)).toEqual(['acme/tok']);
  });

  it('reports a challenge ConfigMap whose key authorization does not belong to its token', () => {
    const result = translate(given.snapshot(given.challenge('c1', 'tok', 'other.thumb')), options);
    expect(result.model.listeners).toEqual([]);
    expect(result.diagnostics).toEqual([
      { object: 'ConfigMap/default/c1', message: 'data.keyAuthorization is not <token>.<thumbprint>' },
    ]);
  });
});

describe('features through translate', () => {
  const base = () => [given.gatewayClass(), given.gateway('gw', [given.http()])];
  const firstRoute = (objects: object[]) =>
    translate(given.snapshot(...base(), ...objects), options).model.routeConfigs[0]?.virtualHosts.find(
      (v) => v.name === '*',
    )?.routes[0];

  it('turns a GRPCRoute into gRPC matches on an HTTP/2 cluster', () => {
    const result = translate(
      given.snapshot(
        ...base(),
        given.service('greeter', [50051]),
        given.grpcRoute('g', {
          rules: [
            {
              matches: [{ method: { service: 'helloworld.Greeter', method: 'SayHello' } }],
              backendRefs: [{ name: 'greeter', port: 50051 }],
            },
          ],
        }),
      ),
      options,
    );
    expect(result.model.clusters.map((c) => [c.name, c.protocol])).toEqual([['default/greeter:50051/http2', 'http2']]);
    expect(result.model.routeConfigs[0]?.virtualHosts[0]?.routes[0]?.match).toEqual({
      path: { type: 'Exact', value: '/helloworld.Greeter/SayHello' },
      headers: [],
      queryParams: [],
      grpc: true,
    });
  });

  it('mirrors with RequestMirror and allows WebSocket for a kubernetes.io/ws backend port', () => {
    const route = firstRoute([
      given.service('chat', [{ name: 'ws', port: 80, appProtocol: 'kubernetes.io/ws' }]),
      given.service('shadow', [80]),
      given.httpRoute('r', {
        rules: [
          {
            filters: [
              { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 }, percent: 25 } },
            ],
            backendRefs: [{ name: 'chat', port: 80 }],
          },
        ],
      }),
    ]);
    expect(route?.action).toMatchObject({
      type: 'Forward',
      websocket: true,
      mirrors: [{ cluster: 'default/shadow:80', percent: 25 }],
    });
  });

  it('carries timeouts, retries, URL rewrites and header modifiers', () => {
    const route = firstRoute([
      given.service('web', [80]),
      given.httpRoute('r', {
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
            filters: [
              { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } },
              {
                type: 'RequestHeaderModifier',
                requestHeaderModifier: { set: [{ name: 'X-A', value: '1' }], remove: ['X-B'] },
              },
            ],
            backendRefs: [{ name: 'web', port: 80 }],
            timeouts: { request: '10s', backendRequest: '2s' },
            retry: { attempts: 2, codes: [503, 502] },
          },
        ],
      }),
    ]);
    expect(route?.action).toMatchObject({
      timeoutMs: 10_000,
      retry: { attempts: 2, perTryTimeoutMs: 2_000, retriableStatusCodes: [502, 503] },
      rewrite: { path: { type: 'ReplacePrefixMatch', value: '/new' } },
    });
    expect(route?.requestHeaders).toEqual({ set: [{ name: 'x-a', value: '1' }], add: [], remove: ['x-b'] });
  });
});

describe('determinism and secrets', () => {
  const objects = (certificate: TestCertificate) => [
    given.gatewayClass(),
    given.gateway('gw', [
      given.http(),
      given.https('a', 443, ['a'], { hostname: 'a.example.com' }),
      given.https('b', 443, ['b'], { hostname: 'b.example.com' }),
    ]),
    given.tlsSecret('a', certificate),
    given.tlsSecret('b', v1),
    given.service('web', [80]),
    given.endpoints('web', ['10.0.0.2', '10.0.0.1'], 8080, { portName: 'p80' }),
    given.httpRoute('r1', { hostnames: ['a.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }),
    given.httpRoute('r2', {
      rules: [{ matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'web', port: 80 }] }],
    }),
  ];

  it('gives the same result for the same objects in any order', () => {
    const forward = translate(given.snapshot(...objects(v1)), options);
    const backward = translate(given.snapshot(...objects(v1).reverse()), options);
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });

  it('changes only the Secret when a certificate rotates', () => {
    const before = translate(given.snapshot(...objects(v1)), options);
    const after = translate(given.snapshot(...objects(v2)), options);
    const { secrets: s1, ...rest1 } = before.model;
    const { secrets: s2, ...rest2 } = after.model;
    expect(rest2).toEqual(rest1);
    expect(s2.map((s) => s.name)).toEqual(s1.map((s) => s.name));
    expect(s2.find((s) => s.name === 'default/a')?.certificateChain).not.toBe(
      s1.find((s) => s.name === 'default/a')?.certificateChain,
    );
    expect(after.status).toEqual(before.status);
  });

  it('never lets a private key into the JSON of a result', () => {
    const json = JSON.stringify(translate(given.snapshot(...objects(v1)), options));
    expect(json).not.toContain('PRIVATE KEY');
    expect(json).toContain('[redacted]');
  });
});

describe('options', () => {
  const cases: Record<string, { options: TranslateOptions; field: string }> = {
    'a port out of range': { options: { ingressHttpPort: 70_000 }, field: 'translate.ingressHttpPort' },
    'the same port for HTTP and HTTPS': {
      options: { ingressHttpPort: 8080, ingressHttpsPort: 8080 },
      field: 'translate.ingressHttpsPort',
    },
    'an empty address': {
      options: { addresses: [{ type: 'IPAddress', value: ' ' }] },
      field: 'translate.addresses[0].value',
    },
    'an empty controller name': { options: { controllerName: '' }, field: 'translate.controllerName' },
  };
  it.each(Object.entries(cases))('refuses %s, naming the field', (_name, { options: bad, field }) => {
    expect(() => translate(given.snapshot(), bad)).toThrow(ValidationError);
    expect(() => translate(given.snapshot(), bad)).toThrow(field);
  });
});
