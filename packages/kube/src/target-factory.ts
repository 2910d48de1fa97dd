/**
 * The lifecycle's `kubernetes` delivery target (core `Target` port) on top of `KubernetesTlsTarget`: a certificate
 * spec names `{ type: 'kubernetes', options: { cluster, namespace, name } }` and the deliver step publishes a
 * `kubernetes.io/tls` Secret there by server-side apply; the monitor observes it. Clusters and their credentials come
 * from the `ClusterRegistry` (credentials rotate; the registry re-reads them).
 *
 * Location is `<cluster>/<namespace>/<name>`: the Secret's address is fixed by the spec, so a crash between publish
 * and recording the location cannot leave a second copy anywhere (the Target contract's "find earlier deployment"
 * is trivially the same address).
 */
import {
  type CertificateMaterial,
  type DeliveryContext,
  type DeliveryResult,
  type ObservedDeployment,
  type Target,
  type TargetFactory,
  type TargetSpec,
  TargetType,
  ValidationError,
} from '@portcullis/core';
import type { ClusterRegistry } from './cluster-registry.js';
import { PublishOutcome } from './tls-target.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const OPTION_KEYS = ['cluster', 'namespace', 'name'];

export interface KubernetesTargetOptions {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
}

/** Checks a spec's options strictly (field named) before any cluster is contacted. */
export function kubernetesTargetOptions(spec: TargetSpec): KubernetesTargetOptions {
  const field = (key: string) => `targets.${spec.id}.options.${key}`;
  for (const key of Object.keys(spec.options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new ValidationError(field(key), 'unknown', `kubernetes targets take ${OPTION_KEYS.join(', ')}`);
    }
  }
  const { cluster = '', namespace = '', name = '' } = spec.options;
  if (!DNS1123_LABEL.test(cluster))
    throw new ValidationError(field('cluster'), 'dns-label', `"${cluster}" is not a DNS label`);
  if (!DNS1123_LABEL.test(namespace)) {
    throw new ValidationError(field('namespace'), 'dns-label', `"${namespace}" is not a DNS label`);
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    throw new ValidationError(field('name'), 'dns-subdomain', `"${name}" is not a DNS subdomain name`);
  }
  return { cluster, namespace, name };
}

class KubernetesSecretTarget implements Target {
  readonly type = TargetType.Kubernetes;
  readonly #registry: ClusterRegistry;
  readonly #options: KubernetesTargetOptions;
  readonly #location: string;

  constructor(registry: ClusterRegistry, options: KubernetesTargetOptions) {
    this.#registry = registry;
    this.#options = options;
    this.#location = `${options.cluster}/${options.namespace}/${options.name}`;
  }

  async publish(material: CertificateMaterial, context: DeliveryContext): Promise<DeliveryResult> {
    const target = await this.#registry.target(this.#options.cluster);
    const result = await target.publishTlsSecret({
      namespace: this.#options.namespace,
      name: this.#options.name,
      certificateId: context.certificateId,
      chainPem: material.chainPem,
      key: material.key,
      serial: material.serial,
      notAfter: material.notAfter,
    });
    return {
      location: this.#location,
      serial: material.serial,
      supersededLocations: [],
      // Not a quota here; "something was written" keeps the contract's meaning.
      imported: result.outcome !== PublishOutcome.Unchanged,
    };
  }

  async observe(_context: DeliveryContext): Promise<ObservedDeployment | undefined> {
    const target = await this.#registry.target(this.#options.cluster);
    const observed = await target.observe({ namespace: this.#options.namespace, name: this.#options.name });
    if (!observed.present) return undefined;
    return { location: this.#location, serial: observed.serial, notAfter: observed.notAfter };
  }
}

export class KubernetesTargetFactory implements TargetFactory {
  readonly #registry: ClusterRegistry;

  constructor(registry: ClusterRegistry) {
    this.#registry = registry;
  }

  handles(type: string): boolean {
    return type === TargetType.Kubernetes;
  }

  forSpec(spec: TargetSpec): Target {
    if (spec.type !== TargetType.Kubernetes) {
      throw new ValidationError(`targets.${spec.id}.type`, 'enum', `"${spec.type}" is not a kubernetes target`);
    }
    return new KubernetesSecretTarget(this.#registry, kubernetesTargetOptions(spec));
  }
}
