/**
 * deploy/ manifests: every document parses, passes the offline schema check (schema.ts), and is wired consistently
 * with the code (bootstrap, ports, controller name, RBAC derived from the controller's API calls).
 * UPDATE_GOLDEN=1 regenerates deploy/40-envoy-bootstrap.yaml from DEPLOY_BOOTSTRAP_OPTIONS.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOOTSTRAP_FILE,
  CONTROLLER_NAME,
  DEFAULT_READINESS_PORT,
  DEPLOY_BOOTSTRAP_OPTIONS,
  decodeStrict,
  PROXY_PROTOCOL_ENV,
  proxyProtocolFromEnv,
  READINESS_PATHS,
  renderBootstrapConfigMap,
} from '@portcullis/gateway';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { checkManifest } from './schema.js';

const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));
const NAMESPACE = 'portcullis-system';
const BOOTSTRAP_CONFIG_MAP = { name: 'portcullis-envoy-bootstrap', namespace: NAMESPACE };
const BOOTSTRAP_MANIFEST = join(DEPLOY_DIR, '40-envoy-bootstrap.yaml');

if (process.env.UPDATE_GOLDEN === '1') {
  writeFileSync(BOOTSTRAP_MANIFEST, renderBootstrapConfigMap(DEPLOY_BOOTSTRAP_OPTIONS, BOOTSTRAP_CONFIG_MAP));
}

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML; the schema check types them.
type Manifest = Record<string, any>;

function load(): { file: string; manifest: Manifest }[] {
  const files = readdirSync(DEPLOY_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(DEPLOY_DIR, file), 'utf8')).map((doc) => {
      if (doc.errors.length > 0 || doc.warnings.length > 0) {
        throw new Error(`${file}: ${[...doc.errors, ...doc.warnings].map((e) => e.message).join('; ')}`);
      }
      return { file, manifest: doc.toJS() as Manifest };
    }),
  );
}

const manifests = load();
function find(kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.manifest.kind === kind && m.manifest.metadata?.name === name);
  if (found === undefined) throw new Error(`deploy/: no ${kind} ${name}`);
  return found.manifest;
}
const container = (deployment: Manifest, name: string): Manifest =>
  deployment.spec.template.spec.containers.find((c: Manifest) => c.name === name);

describe('deploy/ manifests', () => {
  it.each(manifests.map(({ file, manifest }) => [`${file}: ${manifest.kind} ${manifest.metadata?.name}`, manifest]))(
    '%s passes the schema check',
    (_name, manifest) => {
      expect(checkManifest(manifest)).toEqual([]);
    },
  );

  it('puts every namespaced object in portcullis-system', () => {
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'GatewayClass']);
    for (const { manifest } of manifests.filter((m) => !clusterScoped.has(m.manifest.kind))) {
      expect(manifest.metadata.namespace, `${manifest.kind} ${manifest.metadata.name}`).toBe(NAMESPACE);
    }
  });
});

describe('the controller Deployment', () => {
  it('runs the controller entry point that exists in this repository, configured by its own variables', async () => {
    const deployment = manifests.find((m) => m.manifest.kind === 'Deployment' && m.file === '30-controller.yaml');
    const controller = deployment?.manifest.spec.template.spec.containers[0] as Manifest;
    const entry = (controller.command as string[]).find((part) => part.endsWith('.ts')) as string;
    expect(existsSync(fileURLToPath(new URL(`../../${entry}`, import.meta.url)))).toBe(true);
    const { ControllerEnv } = await import('@portcullis/gateway');
    const known = new Set<string>(Object.values(ControllerEnv));
    const ours = (controller.env as { name: string }[]).filter((v) => v.name.startsWith('PORTCULLIS_'));
    expect(ours.length).toBeGreaterThan(0);
    for (const variable of ours) expect(known.has(variable.name), variable.name).toBe(true);
  });
});

describe('the schema check', () => {
  const deployment = () => structuredClone(find('Deployment', 'portcullis-envoy'));
  const service = () => structuredClone(find('Service', 'portcullis-envoy'));
  const mutations: Record<string, { manifest: () => Manifest; problem: RegExp }> = {
    'finds a misspelt container field': {
      manifest: () => {
        const d = deployment();
        d.spec.template.spec.containers[0].imagee = 'x';
        return d;
      },
      problem: /unknown field \.spec\.template\.spec\.containers\[0\]\.imagee/,
    },
    'finds a Service type Kubernetes does not have': {
      manifest: () => ({ ...service(), spec: { ...service().spec, type: 'NetworkLoadBalancer' } }),
      problem: /spec\/type must be equal to one of the allowed values/,
    },
    'finds a replica count that is not an integer': {
      manifest: () => {
        const d = deployment();
        d.spec.replicas = 'two';
        return d;
      },
      problem: /spec\/replicas must be integer/,
    },
    'finds an unknown GatewayClass field': {
      manifest: () => ({ ...find('GatewayClass', 'portcullis'), spec: { controllerName: 'a.b/c', paramsRef: {} } }),
      problem: /unknown field \.spec\.paramsRef/,
    },
    'finds an invalid GatewayClass controller name': {
      manifest: () => ({ ...find('GatewayClass', 'portcullis'), spec: { controllerName: 'no slash' } }),
      problem: /spec\/controllerName must match pattern/,
    },
  };
  it.each(Object.entries(mutations))('%s', (_name, { manifest, problem }) => {
    expect(checkManifest(manifest()).join('\n')).toMatch(problem);
  });
});

describe('the Envoy bootstrap ConfigMap', () => {
  const configMap = find('ConfigMap', BOOTSTRAP_CONFIG_MAP.name);

  it('is exactly what the bootstrap generator writes (UPDATE_GOLDEN=1 regenerates it)', () => {
    expect(readFileSync(BOOTSTRAP_MANIFEST, 'utf8')).toBe(
      renderBootstrapConfigMap(DEPLOY_BOOTSTRAP_OPTIONS, BOOTSTRAP_CONFIG_MAP),
    );
  });

  it('decodes strictly with the real Envoy Bootstrap proto', () => {
    expect(() =>
      decodeStrict('envoy.config.bootstrap.v3.Bootstrap', parse(configMap.data[BOOTSTRAP_FILE])),
    ).not.toThrow();
  });

  it('points Envoy at the controller Service', () => {
    const svc = find('Service', 'portcullis-xds');
    const port = svc.spec.ports.find((p: Manifest) => p.name === 'grpc-xds');
    expect(DEPLOY_BOOTSTRAP_OPTIONS.controller.host).toBe(`${svc.metadata.name}.${NAMESPACE}.svc.cluster.local`);
    expect(DEPLOY_BOOTSTRAP_OPTIONS.controller.port).toBe(port.port);
    const controllerPorts = container(find('Deployment', 'portcullis-gateway-controller'), 'controller').ports;
    expect(controllerPorts.map((p: Manifest) => p.name)).toContain(port.targetPort);
  });

  it('is mounted where Envoy reads it, with the node cluster of the bootstrap', () => {
    const envoy = find('Deployment', 'portcullis-envoy');
    const { args, volumeMounts } = container(envoy, 'envoy');
    const mount = volumeMounts.find((m: Manifest) => m.name === 'bootstrap');
    expect(args[args.indexOf('--config-path') + 1]).toBe(`${mount.mountPath}/${BOOTSTRAP_FILE}`);
    expect(envoy.spec.template.spec.volumes).toContainEqual({
      name: 'bootstrap',
      configMap: { name: BOOTSTRAP_CONFIG_MAP.name },
    });
    expect(args[args.indexOf('--service-cluster') + 1]).toBe(DEPLOY_BOOTSTRAP_OPTIONS.nodeCluster);
    expect(args[args.indexOf('--service-node') + 1]).toBe('$(POD_NAME)');
  });
});

describe('the Envoy Deployment and its load balancer', () => {
  const envoy = find('Deployment', 'portcullis-envoy');
  const envoyContainer = container(envoy, 'envoy');
  const portNamed = (name: string) => envoyContainer.ports.find((p: Manifest) => p.name === name)?.containerPort;
  const lb = find('Service', 'portcullis-envoy');

  it('probes readiness and exposes metrics through the readiness listener only', () => {
    expect(envoyContainer.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'readiness' });
    expect(portNamed('readiness')).toBe(DEFAULT_READINESS_PORT);
    const annotations = envoy.spec.template.metadata.annotations;
    expect(READINESS_PATHS).toContain(annotations['prometheus.io/path']);
    expect(Number(annotations['prometheus.io/port'])).toBe(DEFAULT_READINESS_PORT);
  });

  it('is an AWS NLB with IP targets, proxy protocol v2 and the client IP preserved', () => {
    expect(lb.spec.type).toBe('LoadBalancer');
    expect(lb.spec.loadBalancerClass).toBe('service.k8s.aws/nlb');
    const annotations = lb.metadata.annotations;
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type']).toBe('ip');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-proxy-protocol']).toBe('*');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-target-group-attributes'].split(',')).toContain(
      'preserve_client_ip.enabled=true',
    );
    expect(Number(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-port'])).toBe(
      DEFAULT_READINESS_PORT,
    );
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-path']).toBe('/ready');
  });

  it('has Envoy read the PROXY header exactly when the load balancer sends one', () => {
    const sendsProxyProtocol =
      lb.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-proxy-protocol'] === '*';
    const env: Manifest[] = container(find('Deployment', 'portcullis-gateway-controller'), 'controller').env ?? [];
    const value = env.find((e) => e.name === PROXY_PROTOCOL_ENV)?.value;
    expect(proxyProtocolFromEnv({ [PROXY_PROTOCOL_ENV]: value })).toBe(sendsProxyProtocol);
  });

  it('sends every load balancer port to a port Envoy declares', () => {
    for (const port of lb.spec.ports) expect(portNamed(port.targetPort), port.name).toBe(port.port);
  });

  it('runs Envoy without Kubernetes API access, as non-root, read-only', () => {
    expect(find('ServiceAccount', 'portcullis-envoy').automountServiceAccountToken).toBe(false);
    expect(envoy.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(envoy.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(envoyContainer.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });
});

/** `group/resource: verb` lines of a role's rules. */
function permissions(role: Manifest): string[] {
  return role.rules
    .flatMap((rule: Manifest) =>
      rule.apiGroups.flatMap((group: string) =>
        rule.resources.flatMap((resource: string) =>
          rule.verbs.map((verb: string) => `${group || 'core'}/${resource}: ${verb}`),
        ),
      ),
    )
    .sort();
}

describe('RBAC', () => {
  /**
   * What the controller calls, by caller (packages/gateway/src/providers/kubernetes):
   * - informer.ts lists and watches every kind of kinds.ts (BASE_KINDS and every Gateway API candidate);
   * - referenced-secrets.ts reads single Secrets (readNamespacedSecret);
   * - status-writer.ts patches and re-reads the status subresource of every kind in its PLURALS table.
   */
  const watched = [
    'core/namespaces',
    'core/services',
    'core/secrets',
    'core/configmaps',
    'discovery.k8s.io/endpointslices',
    'networking.k8s.io/ingresses',
    'networking.k8s.io/ingressclasses',
    'gateway.networking.k8s.io/gatewayclasses',
    'gateway.networking.k8s.io/gateways',
    'gateway.networking.k8s.io/httproutes',
    'gateway.networking.k8s.io/grpcroutes',
    'gateway.networking.k8s.io/referencegrants',
    'gateway.networking.k8s.io/listenersets',
    'gateway.networking.k8s.io/backendtlspolicies',
    'gateway.networking.x-k8s.io/xlistenersets',
  ];
  const statusOf = [
    'networking.k8s.io/ingresses',
    'gateway.networking.k8s.io/gatewayclasses',
    'gateway.networking.k8s.io/gateways',
    'gateway.networking.k8s.io/httproutes',
    'gateway.networking.k8s.io/grpcroutes',
    'gateway.networking.k8s.io/listenersets',
    'gateway.networking.k8s.io/backendtlspolicies',
    'gateway.networking.x-k8s.io/xlistenersets',
  ];
  const expected = [
    ...watched.flatMap((r) => [`${r}: list`, `${r}: watch`]),
    'core/secrets: get',
    ...statusOf.flatMap((r) => [`${r}/status: get`, `${r}/status: patch`]),
  ].sort();

  it('grants the controller exactly what its code calls, and nothing else', () => {
    expect(permissions(find('ClusterRole', 'portcullis-gateway-controller'))).toEqual(expected);
  });

  it('binds that role to the ServiceAccount the controller runs as', () => {
    const binding = find('ClusterRoleBinding', 'portcullis-gateway-controller');
    const pod = find('Deployment', 'portcullis-gateway-controller').spec.template.spec;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'portcullis-gateway-controller',
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: NAMESPACE }]);
  });

  it('lets the HTTP-01 token store apply, read and delete ConfigMaps in its namespace only', () => {
    // KubernetesHttp01TokenStore: server-side apply (PATCH, which needs create when it creates), GET, DELETE.
    const role = find('Role', 'portcullis-http01-writer');
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(permissions(role)).toEqual(['create', 'delete', 'get', 'patch'].map((verb) => `core/configmaps: ${verb}`));
  });

  it('uses no wildcard anywhere', () => {
    for (const { manifest } of manifests.filter((m) => ['ClusterRole', 'Role'].includes(m.manifest.kind))) {
      expect(permissions(manifest).join('\n')).not.toMatch(/\*/);
    }
  });
});

describe('the GatewayClass', () => {
  it('names the controller the translation accepts', () => {
    expect(find('GatewayClass', 'portcullis').spec.controllerName).toBe(CONTROLLER_NAME);
  });
});
