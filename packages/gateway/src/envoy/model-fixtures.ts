/**
 * Test-only builders of model objects with sensible defaults and modifiers (style.md: fixtures from small
 * builders). Not exported from the package.
 */
import { redact } from '@portcullis/core';
import type {
  GatewayModel,
  ModelCluster,
  ModelForwardAction,
  ModelListener,
  ModelRoute,
  ModelRouteConfig,
  ModelRouteMatch,
  ModelSecret,
  ModelVirtualHost,
} from '../model/types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const given = {
  match(overrides: Partial<ModelRouteMatch> = {}): ModelRouteMatch {
    return { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], grpc: false, ...overrides };
  },
  forward(overrides: Partial<ModelForwardAction> = {}): ModelForwardAction {
    return {
      type: 'Forward',
      backends: [{ cluster: 'default/web:80', weight: 1 }],
      invalidBackendWeight: 0,
      mirrors: [],
      hashPolicies: [],
      websocket: false,
      ...overrides,
    };
  },
  route(name: string, overrides: Partial<Mutable<ModelRoute>> = {}): ModelRoute {
    return {
      name,
      match: given.match(),
      action: given.forward(),
      source: { kind: 'HTTPRoute', namespace: 'default', name: 'web' },
      ...overrides,
    };
  },
  virtualHost(name: string, routes: readonly ModelRoute[]): ModelVirtualHost {
    return { name, domains: [name], routes };
  },
  httpListener(port = 80): ModelListener {
    const name = `http-${port}`;
    return { name, address: '0.0.0.0', port, protocol: 'HTTP', routeConfigName: name, filterChains: [] };
  },
  httpsListener(port: number, chains: { serverNames: string[]; secretNames: string[] }[]): ModelListener {
    const name = `https-${port}`;
    return {
      name,
      address: '0.0.0.0',
      port,
      protocol: 'HTTPS',
      routeConfigName: name,
      filterChains: chains.map((chain) => ({ name: `${name}/${chain.serverNames[0] ?? '*'}`, ...chain })),
    };
  },
  routeConfig(name: string, virtualHosts: readonly ModelVirtualHost[]): ModelRouteConfig {
    return { name, virtualHosts };
  },
  cluster(name: string, overrides: Partial<Mutable<ModelCluster>> = {}): ModelCluster {
    return {
      name,
      service: { namespace: 'default', name: 'web', port: 80 },
      protocol: 'http1',
      lbPolicy: 'round-robin',
      endpoints: [{ address: '10.0.0.1', port: 8080 }],
      ...overrides,
    };
  },
  /** Fake PEM text: the builders never parse it. The key text is unique so tests can search for it. */
  secret(name: string, serial = '01'): ModelSecret {
    return {
      name,
      certificateChain: `-----BEGIN CERTIFICATE-----\ncert-${name}-${serial}\n-----END CERTIFICATE-----\n`,
      privateKey: redact(`-----BEGIN PRIVATE KEY-----\nkey-${name}-${serial}\n-----END PRIVATE KEY-----\n`),
    };
  },
  /** One HTTP listener and one HTTPS listener for `host`, one cluster, one secret. */
  model(host = 'a.example.com', serial = '01'): GatewayModel {
    const routes = [given.route('httproute/default/web/0/0')];
    return {
      listeners: [
        given.httpListener(),
        given.httpsListener(443, [{ serverNames: [host], secretNames: ['default/tls'] }]),
      ],
      routeConfigs: [
        given.routeConfig('http-80', [given.virtualHost(host, routes)]),
        given.routeConfig('https-443', [given.virtualHost(host, routes)]),
      ],
      clusters: [given.cluster('default/web:80')],
      secrets: [given.secret('default/tls', serial)],
    };
  },
};
