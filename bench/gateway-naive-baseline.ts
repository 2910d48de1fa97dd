/**
 * The naive baseline for bench/gateway-translate.bench.ts: Ingresses, Services, EndpointSlices and TLS Secrets →
 * the same Envoy resources (HTTP and HTTPS listeners, two route tables, EDS clusters, endpoints, secrets) as plain
 * objects, then `JSON.stringify` per resource. No validation (certificates are not parsed, regexes not checked),
 * no precedence, conflict or reference-grant handling, no typed protos: the floor a straightforward implementation
 * would reach, measured on the same input and machine as ours.
 */
import type { KubernetesObject } from '@portcullis/gateway';

type Obj = Record<string, unknown>;
type Ingress = KubernetesObject & {
  spec: {
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: { paths: { path: string; backend: { service: { name: string; port: { number: number } } } }[] };
    }[];
  };
};

const ADS = { ads: {}, resource_api_version: 'V3' };
const hcm = (name: string) => ({
  name: 'envoy.filters.network.http_connection_manager',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    stat_prefix: name,
    rds: { config_source: ADS, route_config_name: name },
    http_filters: [
      {
        name: 'envoy.filters.http.router',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      },
    ],
  },
});
const listener = (name: string, port: number, extra: Obj) => ({
  name,
  address: { socket_address: { address: '0.0.0.0', port_value: port } },
  ...extra,
});

export function naiveTranslateAndEncode(objects: readonly KubernetesObject[]): string[] {
  const key = (o: KubernetesObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  const secrets = new Map(
    objects.filter((o) => o.kind === 'Secret').map((o) => [key(o), o as Obj & { data: Record<string, string> }]),
  );
  const slices = new Map<string, Obj[]>();
  for (const slice of objects.filter((o) => o.kind === 'EndpointSlice')) {
    const service = `${slice.metadata?.namespace}/${slice.metadata?.labels?.['kubernetes.io/service-name']}`;
    slices.set(service, [...(slices.get(service) ?? []), slice]);
  }
  const httpHosts: Obj[] = [];
  const httpsHosts: Obj[] = [];
  const chains: Obj[] = [];
  const secretOut: Obj[] = [];
  const clusters = new Map<string, Obj>();
  const assignments: Obj[] = [];
  for (const ingress of objects.filter((o) => o.kind === 'Ingress') as Ingress[]) {
    const namespace = ingress.metadata?.namespace ?? 'default';
    const tlsHosts = new Set<string>();
    for (const tls of ingress.spec.tls ?? []) {
      const secret = secrets.get(`${namespace}/${tls.secretName}`);
      if (secret === undefined) continue;
      const name = `${namespace}/${tls.secretName}`;
      for (const host of tls.hosts ?? []) tlsHosts.add(host);
      chains.push({
        name: `https-443/${tls.hosts?.[0]}`,
        filter_chain_match: { server_names: tls.hosts },
        filters: [hcm('https-443')],
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
            common_tls_context: { tls_certificate_sds_secret_configs: [{ name, sds_config: ADS }] },
          },
        },
      });
      const pem = (field: string) => Buffer.from(secret.data[field] ?? '', 'base64').toString('utf8');
      secretOut.push({
        name,
        tls_certificate: {
          certificate_chain: { inline_string: pem('tls.crt') },
          private_key: { inline_string: pem('tls.key') },
        },
      });
    }
    for (const rule of ingress.spec.rules ?? []) {
      const host = rule.host ?? '*';
      const routes = (rule.http?.paths ?? []).map((path, index) => {
        const service = path.backend.service;
        const cluster = `${namespace}/${service.name}:${service.port.number}`;
        if (!clusters.has(cluster)) {
          clusters.set(cluster, { name: cluster, type: 'EDS', eds_cluster_config: { eds_config: ADS } });
          const endpoints = (slices.get(`${namespace}/${service.name}`) ?? []).flatMap((slice) =>
            (slice.endpoints as { addresses: string[] }[]).map((e) => ({
              endpoint: { address: { socket_address: { address: e.addresses[0], port_value: 8080 } } },
            })),
          );
          assignments.push({ cluster_name: cluster, endpoints: [{ lb_endpoints: endpoints }] });
        }
        return {
          name: `ingress/${key(ingress)}/0/${index}`,
          match: { path_separated_prefix: path.path },
          route: { cluster },
        };
      });
      const virtualHost = { name: host, domains: [host], routes };
      httpHosts.push(virtualHost);
      if (tlsHosts.has(host)) httpsHosts.push(virtualHost);
    }
  }
  const resources = [
    listener('http-80', 80, { filter_chains: [{ filters: [hcm('http-80')] }] }),
    listener('https-443', 443, {
      listener_filters: [
        {
          name: 'envoy.filters.listener.tls_inspector',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
          },
        },
      ],
      filter_chains: chains,
    }),
    { name: 'http-80', virtual_hosts: httpHosts },
    { name: 'https-443', virtual_hosts: httpsHosts },
    ...clusters.values(),
    ...assignments,
    ...secretOut,
  ];
  return resources.map((resource) => JSON.stringify(resource));
}
