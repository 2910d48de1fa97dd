/**
 * Our Ingresses → routes on the Ingress HTTP listener (and, for hosts covered by a valid `spec.tls` entry, the
 * Ingress HTTPS listener), with the `portcullis.dev/*` annotations applied. Ingresses come after Gateways: a port or
 * SNI name a Gateway already holds is not taken over (reported as a diagnostic).
 * Paths: Exact → exact; Prefix → element-wise prefix; ImplementationSpecific → RE2 regex over the whole path when
 * `portcullis.dev/regex-paths: "true"`, element-wise prefix otherwise.
 */
import type { V1HTTPIngressPath, V1Ingress, V1IngressBackend, V1Secret } from '@kubernetes/client-node';
import { compareStrings } from '../sources/objects.js';
import { type BackendIndex, resolveBackend } from './backends.js';
import type { ModelBuilder } from './builder.js';
import { CATCH_ALL_HOST } from './builder.js';
import { hostnameCovers } from './hostnames.js';
import { type IngressSettings, parseIngressAnnotations } from './ingress-annotations.js';
import { createdAt, namespacedName } from './objects.js';
import { checkRe2 } from './regex.js';
import { resolveTlsSecret, secretName } from './tls-secrets.js';
import type { ModelCluster, ModelPathMatch, ModelRoute, ModelRouteAction, ModelWeightedCluster } from './types.js';

export interface IngressInputs {
  /** Our Ingresses only. */
  readonly ingresses: readonly V1Ingress[];
  readonly secrets: ReadonlyMap<string, V1Secret>;
  readonly backends: BackendIndex;
  readonly httpPort: number;
  readonly httpsPort: number;
}

/** Problems found, as `[ingress namespace/name, sentence]`. */
export type IngressProblems = [string, string][];

export function translateIngresses(inputs: IngressInputs, builder: ModelBuilder): IngressProblems {
  const problems: IngressProblems = [];
  for (const ingress of inputs.ingresses) {
    const report = (message: string) => problems.push([namespacedName(ingress), message]);
    const { settings, problems: annotationProblems } = parseIngressAnnotations(ingress.metadata?.annotations);
    for (const problem of annotationProblems) report(problem);
    const http = builder.claimListener(inputs.httpPort, 'HTTP');
    if (!http.ok) report(`port ${inputs.httpPort} serves ${http.protocol} for a Gateway; not served over plain HTTP`);
    const httpsHosts = claimTls(ingress, inputs, builder, report);
    const routes = ingressRoutes(ingress, settings, inputs, report);
    for (const { host, route, order, clusters, redirectable } of routes) {
      if (http.ok) {
        const onHttp: ModelRoute =
          settings.forceSslRedirect && redirectable
            ? { ...route, action: { type: 'Redirect', scheme: 'https', statusCode: 308 } }
            : route;
        builder.addRoute(inputs.httpPort, host, { route: onHttp, order }, onHttp === route ? clusters : []);
      }
      if (httpsHosts.some((tlsHost) => tlsHost === CATCH_ALL_HOST || hostnameCovers(tlsHost, host))) {
        builder.addRoute(inputs.httpsPort, host, { route, order }, clusters);
      }
    }
  }
  return problems;
}

/** Claims SNI names for each valid `spec.tls` entry; returns the hosts served over HTTPS (`*` = all). */
function claimTls(
  ingress: V1Ingress,
  inputs: IngressInputs,
  builder: ModelBuilder,
  report: (m: string) => void,
): string[] {
  const served: string[] = [];
  const namespace = ingress.metadata?.namespace ?? '';
  for (const tls of ingress.spec?.tls ?? []) {
    if (!tls.secretName) {
      report('spec.tls entry without secretName is not served');
      continue;
    }
    const name = secretName(namespace, tls.secretName);
    const secret = inputs.secrets.get(name);
    const result =
      secret === undefined ? { ok: false as const, problem: `Secret ${name} not found` } : resolveTlsSecret(secret);
    if (!result.ok) {
      report(`spec.tls: ${result.problem}; hosts ${(tls.hosts ?? []).join(', ') || '(all)'} not served over HTTPS`);
      continue;
    }
    const https = builder.claimListener(inputs.httpsPort, 'HTTPS');
    if (!https.ok) {
      report(`port ${inputs.httpsPort} serves ${https.protocol} for a Gateway; not served over HTTPS`);
      return [];
    }
    const hosts = (tls.hosts ?? []).map((h) => h.toLowerCase());
    const lost = builder.claimServerNames(inputs.httpsPort, hosts, [result.secret]);
    if (lost.length > 0) report(`spec.tls: ${lost.join(', ')} already served with another certificate`);
    if (hosts.length === 0 && lost.length === 0) served.push(CATCH_ALL_HOST);
    served.push(...hosts.filter((h) => !lost.includes(h)));
  }
  return served;
}

interface IngressRoute {
  readonly host: string;
  readonly route: ModelRoute;
  readonly order: { acme: false; created: number | undefined; owner: string; ruleIndex: number; matchIndex: number };
  readonly clusters: readonly ModelCluster[];
  /** False for direct 500s: a redirect would hide the error. */
  readonly redirectable: boolean;
}

function ingressRoutes(
  ingress: V1Ingress,
  settings: IngressSettings,
  inputs: IngressInputs,
  report: (m: string) => void,
): IngressRoute[] {
  const namespace = ingress.metadata?.namespace ?? '';
  const name = ingress.metadata?.name ?? '';
  const source = { kind: 'Ingress' as const, namespace, name };
  const base = { created: createdAt(ingress), owner: namespacedName(ingress) };
  const out: IngressRoute[] = [];
  const hosts = new Set<string>();
  (ingress.spec?.rules ?? []).forEach((rule, ruleIndex) => {
    const host = rule.host?.toLowerCase() || CATCH_ALL_HOST;
    hosts.add(host);
    (rule.http?.paths ?? []).forEach((path, pathIndex) => {
      const where = `rule ${ruleIndex} path ${pathIndex}`;
      const match = convertPath(path, settings.regexPaths);
      if (typeof match === 'string') {
        report(`${where}: ${match}; path not served`);
        return;
      }
      const { action, clusters } = ingressAction(path.backend, settings, namespace, inputs, (m) =>
        report(`${where}: ${m}`),
      );
      const route: ModelRoute = {
        name: `ingress/${namespace}/${name}/${ruleIndex}/${pathIndex}`,
        match: { path: match, headers: [], queryParams: [], grpc: false },
        action,
        source,
      };
      const order = { acme: false as const, ...base, ruleIndex, matchIndex: pathIndex };
      out.push({ host, route, order, clusters, redirectable: action.type === 'Forward' });
    });
  });
  const fallback = ingress.spec?.defaultBackend;
  if (fallback !== undefined) {
    const { action, clusters } = ingressAction(fallback, settings, namespace, inputs, (m) =>
      report(`defaultBackend: ${m}`),
    );
    const route: ModelRoute = {
      name: `ingress/${namespace}/${name}/default`,
      match: { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], grpc: false },
      action,
      source,
    };
    const order = { acme: false as const, ...base, ruleIndex: Number.MAX_SAFE_INTEGER, matchIndex: 0 };
    for (const host of [...hosts, CATCH_ALL_HOST].filter((h, i, all) => all.indexOf(h) === i).sort(compareStrings)) {
      out.push({ host, route, order, clusters, redirectable: action.type === 'Forward' });
    }
  }
  return out;
}

function convertPath(path: V1HTTPIngressPath, regexPaths: boolean): ModelPathMatch | string {
  const value = path.path || '/';
  if (path.pathType === 'ImplementationSpecific' && regexPaths) {
    const problem = checkRe2(value);
    return problem === undefined ? { type: 'RegularExpression', value } : `regex ${value} is not valid RE2: ${problem}`;
  }
  if (!value.startsWith('/')) return `path ${value} must start with /`;
  if (path.pathType === 'Exact') return { type: 'Exact', value };
  return { type: 'PathPrefix', value: value.length > 1 ? value.replace(/\/+$/, '') || '/' : value };
}

function ingressAction(
  backend: V1IngressBackend,
  settings: IngressSettings,
  namespace: string,
  inputs: IngressInputs,
  report: (m: string) => void,
): { action: ModelRouteAction; clusters: ModelCluster[] } {
  const service = backend.service;
  if (service === undefined) {
    report('resource backends are not supported; answering 500');
    return { action: { type: 'DirectResponse', status: 500 }, clusters: [] };
  }
  const mainPort = service.port?.number ?? service.port?.name;
  const resolve = (name: string, port: number | string | undefined, consequence: string) => {
    const result = resolveBackend(inputs.backends, {
      from: { group: 'networking.k8s.io', kind: 'Ingress', namespace },
      namespace,
      name,
      port,
      protocol: settings.protocol,
      lbPolicy: settings.lbPolicy,
    });
    if (!result.ok) report(`${result.message}; ${consequence}`);
    return result.ok ? result : undefined;
  };
  const clusters: ModelCluster[] = [];
  const backends: ModelWeightedCluster[] = [];
  let invalidBackendWeight = 0;
  let websocket = settings.websocket;
  const canaryWeight = settings.canary?.weight ?? 0;
  const shares: [string, number | string | undefined, number][] = [[service.name, mainPort, 100 - canaryWeight]];
  if (settings.canary !== undefined && canaryWeight > 0) {
    shares.push([settings.canary.service.name, settings.canary.service.port ?? mainPort, canaryWeight]);
  }
  for (const [name, port, weight] of shares) {
    if (weight === 0) continue;
    const result = resolve(name, port, 'its share answers 500');
    if (result === undefined) {
      invalidBackendWeight += weight;
      continue;
    }
    websocket ||= result.websocket;
    clusters.push(result.cluster);
    const existing = backends.find((b) => b.cluster === result.cluster.name);
    if (existing === undefined) backends.push({ cluster: result.cluster.name, weight });
    else
      backends.splice(backends.indexOf(existing), 1, { cluster: existing.cluster, weight: existing.weight + weight });
  }
  if (backends.length === 0) return { action: { type: 'DirectResponse', status: 500 }, clusters: [] };
  const mirrors: { cluster: string; percent: number }[] = [];
  if (settings.mirror !== undefined) {
    const result = resolve(settings.mirror.name, settings.mirror.port ?? mainPort, 'not mirrored');
    if (result !== undefined) {
      clusters.push(result.cluster);
      mirrors.push({ cluster: result.cluster.name, percent: 100 });
    }
  }
  return {
    action: {
      type: 'Forward',
      backends: backends.sort((a, b) => compareStrings(a.cluster, b.cluster)),
      invalidBackendWeight,
      mirrors,
      hashPolicies: settings.hashPolicies,
      websocket,
    },
    clusters,
  };
}
