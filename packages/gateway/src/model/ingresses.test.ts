import type { V1IngressSpec } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRoute, TranslateResult } from '../index.js';
import { IngressAnnotation } from '../sources/annotations.js';
import { translate } from '../translate.js';
import { parseIngressAnnotations } from './ingress-annotations.js';
import { type TestCertificate, testCertificate } from './test-certificates.js';
import { fixedClock, given } from './test-fixtures.js';

let cert: TestCertificate;
beforeAll(async () => {
  cert = await testCertificate('ingress');
});

const options = { clock: fixedClock(), addresses: [{ type: 'Hostname' as const, value: 'lb.example.net' }] };

const spec = (pathType = 'Prefix', path = '/app'): V1IngressSpec => ({
  rules: [
    {
      host: 'app.example.com',
      http: { paths: [{ path, pathType, backend: { service: { name: 'web', port: { number: 80 } } } }] },
    },
  ],
});

function run(annotations: Record<string, string>, ingressSpec = spec(), ...objects: object[]): TranslateResult {
  return translate(
    given.snapshot(
      given.service('web', [80]),
      given.service('canary', [80]),
      given.service('shadow', [80]),
      given.ingress('app', ingressSpec, { annotations }),
      ...objects,
    ),
    options,
  );
}

function route(result: TranslateResult, listener = 'http-80', host = 'app.example.com'): ModelRoute | undefined {
  return result.model.routeConfigs.find((c) => c.name === listener)?.virtualHosts.find((v) => v.name === host)
    ?.routes[0];
}

describe('Ingress annotations', () => {
  const cases: Record<
    string,
    {
      annotations: Record<string, string>;
      ingress?: V1IngressSpec;
      want: (r: TranslateResult) => unknown;
      expected: unknown;
    }
  > = {
    'regex-paths turns ImplementationSpecific paths into RE2 regexes': {
      annotations: { [IngressAnnotation.RegexPaths]: 'true' },
      ingress: spec('ImplementationSpecific', '/app/[0-9]+'),
      want: (r) => route(r)?.match.path,
      expected: { type: 'RegularExpression', value: '/app/[0-9]+' },
    },
    'without regex-paths ImplementationSpecific is a prefix': {
      annotations: {},
      ingress: spec('ImplementationSpecific', '/app/'),
      want: (r) => route(r)?.match.path,
      expected: { type: 'PathPrefix', value: '/app' },
    },
    'an invalid regex path is not served and is reported': {
      annotations: { [IngressAnnotation.RegexPaths]: 'true' },
      ingress: spec('ImplementationSpecific', '/app/(?=x)'),
      want: (r) => [route(r), r.diagnostics.map((d) => d.message)],
      expected: [undefined, [expect.stringMatching(/rule 0 path 0: regex \/app\/\(\?=x\) is not valid RE2/)]],
    },
    'least-request selects the LEAST_REQUEST cluster policy': {
      annotations: { [IngressAnnotation.LoadBalancer]: 'least-request' },
      want: (r) => r.model.clusters.map((c) => [c.name, c.lbPolicy]),
      expected: [['default/web:80/least-request', 'least-request']],
    },
    'ring-hash with a header hash policy': {
      annotations: { [IngressAnnotation.LoadBalancer]: 'ring-hash', [IngressAnnotation.HashOn]: 'header:X-User' },
      want: (r) => [r.model.clusters[0]?.lbPolicy, route(r)?.action.type === 'Forward' && route(r)?.action],
      expected: ['ring-hash', expect.objectContaining({ hashPolicies: [{ type: 'Header', name: 'x-user' }] })],
    },
    'maglev with a cookie hash policy': {
      annotations: { [IngressAnnotation.LoadBalancer]: 'maglev', [IngressAnnotation.HashOn]: 'cookie:session' },
      want: (r) => [r.model.clusters[0]?.name, route(r)?.action],
      expected: [
        'default/web:80/maglev',
        expect.objectContaining({ hashPolicies: [{ type: 'Cookie', name: 'session' }] }),
      ],
    },
    'canary weight splits traffic with the canary service': {
      annotations: { [IngressAnnotation.CanaryService]: 'canary', [IngressAnnotation.CanaryWeight]: '20' },
      want: (r) => route(r)?.action,
      expected: expect.objectContaining({
        backends: [
          { cluster: 'default/canary:80', weight: 20 },
          { cluster: 'default/web:80', weight: 80 },
        ],
      }),
    },
    'mirror-service mirrors every request': {
      annotations: { [IngressAnnotation.MirrorService]: 'shadow:80' },
      want: (r) => route(r)?.action,
      expected: expect.objectContaining({ mirrors: [{ cluster: 'default/shadow:80', percent: 100 }] }),
    },
    'websocket allows the upgrade': {
      annotations: { [IngressAnnotation.WebSocket]: 'true' },
      want: (r) => route(r)?.action,
      expected: expect.objectContaining({ websocket: true }),
    },
    'force-ssl-redirect redirects plain HTTP with 308': {
      annotations: { [IngressAnnotation.ForceSslRedirect]: 'true' },
      want: (r) => route(r)?.action,
      expected: { type: 'Redirect', scheme: 'https', statusCode: 308 },
    },
    'backend-protocol grpc gives an HTTP/2 cluster': {
      annotations: { [IngressAnnotation.BackendProtocol]: 'grpc' },
      want: (r) => r.model.clusters.map((c) => [c.name, c.protocol]),
      expected: [['default/web:80/http2', 'http2']],
    },
    'an unknown load-balancer value falls back to round-robin and is reported': {
      annotations: { [IngressAnnotation.LoadBalancer]: 'fastest' },
      want: (r) => [r.model.clusters[0]?.lbPolicy, r.diagnostics[0]],
      expected: [
        'round-robin',
        { object: 'Ingress/default/app', message: expect.stringMatching(/"fastest" is not one of/) },
      ],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { annotations, ingress, want, expected }) => {
    expect(want(run(annotations, ingress))).toEqual(expected);
  });
});

describe('parseIngressAnnotations', () => {
  const cases: Record<string, { annotations: Record<string, string>; problem: RegExp }> = {
    'hash-on without a consistent-hash policy is ignored': {
      annotations: { [IngressAnnotation.HashOn]: 'source-ip' },
      problem: /is ignored/,
    },
    'a canary weight above 100 is refused': {
      annotations: { [IngressAnnotation.CanaryService]: 'canary', [IngressAnnotation.CanaryWeight]: '101' },
      problem: /not an integer from 0 to 100/,
    },
    'a canary weight without a canary service is refused': {
      annotations: { [IngressAnnotation.CanaryWeight]: '10' },
      problem: /needs portcullis.dev\/canary-service/,
    },
    'a flag must be true or false': {
      annotations: { [IngressAnnotation.WebSocket]: 'yes' },
      problem: /is not true or false/,
    },
    'a malformed hash-on is refused': {
      annotations: { [IngressAnnotation.HashOn]: 'body:x' },
      problem: /is not header/,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { annotations, problem }) => {
    expect(parseIngressAnnotations(annotations).problems.join('\n')).toMatch(problem);
  });
});

describe('Ingress ownership, TLS and status', () => {
  it('ignores an Ingress of another class', () => {
    const result = translate(
      given.snapshot(given.service('web', [80]), given.ingress('app', { ...spec(), ingressClassName: 'nginx' })),
      options,
    );
    expect(result.model.listeners).toEqual([]);
    expect(result.status).toEqual([]);
  });

  it('serves TLS hosts over HTTPS with the Secret from spec.tls and writes the load-balancer status', () => {
    const result = run(
      {},
      { ...spec(), tls: [{ hosts: ['app.example.com'], secretName: 'app-tls' }] },
      given.tlsSecret('app-tls', cert),
    );
    expect(result.model.listeners.map((l) => l.name)).toEqual(['http-80', 'https-443']);
    expect(result.model.listeners[1]?.filterChains).toEqual([
      { name: 'https-443/app.example.com', serverNames: ['app.example.com'], secretNames: ['default/app-tls'] },
    ]);
    expect(route(result, 'https-443')?.action.type).toBe('Forward');
    const update = result.status.find((u) => u.key === 'Ingress/default/app');
    expect(update?.status).toEqual({ loadBalancer: { ingress: [{ hostname: 'lb.example.net' }] } });
  });

  it('does not serve HTTPS for a missing TLS Secret and says so', () => {
    const result = run({}, { ...spec(), tls: [{ hosts: ['app.example.com'], secretName: 'absent' }] });
    expect(result.model.listeners.map((l) => l.name)).toEqual(['http-80']);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/Secret default\/absent not found/),
    ]);
  });
});
