/**
 * Offline schema check of Kubernetes manifests, in two halves because neither library does both:
 * - `kubernetes-models` / `@kubernetes-models/gateway-api` `validate()`: the OpenAPI schema of the kind (types,
 *   enums, patterns, required fields) — but it lets unknown fields through, which the API server would drop or, with
 *   strict field validation, reject;
 * - unknown fields: every key must exist in `@kubernetes/client-node`'s typed model of that kind (its attribute maps
 *   mirror the same OpenAPI definitions). For custom resources, which client-node does not model, a field list taken
 *   from the CRD.
 */
import * as k8s from '@kubernetes/client-node';
import { GatewayClass } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

type Manifest = { apiVersion?: unknown; kind?: unknown } & Record<string, unknown>;
type Validating = new (data: never) => { validate(): void };

/** GatewayClass fields of Gateway API v1.4 (`gateway.networking.k8s.io_gatewayclasses.yaml`, v1 schema). */
const GATEWAY_CLASS_FIELDS = {
  '': ['apiVersion', 'kind', 'metadata', 'spec'],
  spec: ['controllerName', 'description', 'parametersRef'],
} as const;

interface KindSchema {
  readonly model: Validating;
  /** client-node model type for the unknown-field walk; absent for custom resources. */
  readonly clientNodeType?: string;
}

const KINDS: Readonly<Record<string, KindSchema>> = {
  'v1/Namespace': { model: Namespace, clientNodeType: 'V1Namespace' },
  'v1/ServiceAccount': { model: ServiceAccount, clientNodeType: 'V1ServiceAccount' },
  'v1/Service': { model: Service, clientNodeType: 'V1Service' },
  'v1/ConfigMap': { model: ConfigMap, clientNodeType: 'V1ConfigMap' },
  'apps/v1/Deployment': { model: Deployment, clientNodeType: 'V1Deployment' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, clientNodeType: 'V1PodDisruptionBudget' },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, clientNodeType: 'V1NetworkPolicy' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, clientNodeType: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    model: ClusterRoleBinding,
    clientNodeType: 'V1ClusterRoleBinding',
  },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, clientNodeType: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, clientNodeType: 'V1RoleBinding' },
  'gateway.networking.k8s.io/v1/GatewayClass': { model: GatewayClass },
};

type AttributeMap = readonly { readonly baseName: string; readonly type: string }[];

function attributesOf(type: string): AttributeMap | undefined {
  const model = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => AttributeMap } | undefined>)[type];
  return model?.getAttributeTypeMap?.();
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** Paths of keys the client-node model of `type` does not have. */
export function unknownFields(value: unknown, type: string, path = ''): string[] {
  const array = ARRAY.exec(type);
  if (array?.[1] !== undefined) {
    const item = array[1];
    return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, item, `${path}[${i}]`)) : [];
  }
  const map = MAP.exec(type);
  if (map?.[1] !== undefined) {
    const item = map[1];
    return isObject(value) ? Object.entries(value).flatMap(([k, v]) => unknownFields(v, item, `${path}.${k}`)) : [];
  }
  const attributes = attributesOf(type);
  if (attributes === undefined || !isObject(value)) return []; // a scalar, IntOrString, Date, any: validate() types it
  return Object.entries(value).flatMap(([key, child]) => {
    const attribute = attributes.find((a) => a.baseName === key);
    return attribute === undefined ? [`${path}.${key}`] : unknownFields(child, attribute.type, `${path}.${key}`);
  });
}

function gatewayClassUnknownFields(manifest: Manifest): string[] {
  const top = Object.keys(manifest).filter((k) => !(GATEWAY_CLASS_FIELDS[''] as readonly string[]).includes(k));
  const spec = isObject(manifest.spec) ? Object.keys(manifest.spec) : [];
  const metadata = unknownFields(manifest.metadata, 'V1ObjectMeta', '.metadata');
  return [
    ...top.map((k) => `.${k}`),
    ...spec.filter((k) => !(GATEWAY_CLASS_FIELDS.spec as readonly string[]).includes(k)).map((k) => `.spec.${k}`),
    ...metadata,
  ];
}

/** Problems of one manifest, as `<kind> <name>: <problem>` lines; empty when it is valid. */
export function checkManifest(manifest: Manifest): string[] {
  const id = `${String(manifest.apiVersion)}/${String(manifest.kind)}`;
  const name = `${String(manifest.kind)} ${String((manifest.metadata as { name?: unknown } | undefined)?.name)}`;
  const schema = KINDS[id];
  if (schema === undefined) return [`${name}: ${id} has no schema here`];
  const problems: string[] = [];
  try {
    new schema.model(manifest as never).validate();
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
  }
  const unknown =
    schema.clientNodeType === undefined
      ? gatewayClassUnknownFields(manifest)
      : unknownFields(manifest, schema.clientNodeType);
  for (const path of unknown) problems.push(`${name}: unknown field ${path}`);
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
