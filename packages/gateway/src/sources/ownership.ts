/** Which GatewayClasses, Gateways, ListenerSets and Ingresses belong to this controller. */
import type { V1Ingress, V1IngressClass } from '@kubernetes/client-node';
import { CONTROLLER_NAME, INGRESS_CLASS, LEGACY_INGRESS_CLASS_ANNOTATION } from './annotations.js';
import { GATEWAY_GROUP, type Gateway, type GatewayClass, type ListenerSet } from './gateway-api.js';

/** Annotation that makes an IngressClass the cluster default (Ingresses without a class use it). */
const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export interface Ownership {
  /** `spec.controllerName` of our GatewayClasses. */
  readonly controllerName: string;
  /** Our ingress class name. */
  readonly ingressClass: string;
}

export const DEFAULT_OWNERSHIP: Ownership = { controllerName: CONTROLLER_NAME, ingressClass: INGRESS_CLASS };

/** Names of the GatewayClasses whose controllerName is ours. */
export function ourGatewayClassNames(classes: readonly GatewayClass[], ownership: Ownership): Set<string> {
  const names = new Set<string>();
  for (const gatewayClass of classes) {
    if (gatewayClass.spec?.controllerName === ownership.controllerName && gatewayClass.metadata.name) {
      names.add(gatewayClass.metadata.name);
    }
  }
  return names;
}

export function isOurGateway(gateway: Gateway, ourClasses: ReadonlySet<string>): boolean {
  return ourClasses.has(gateway.spec?.gatewayClassName ?? '');
}

/** The namespace/name of the Gateway a ListenerSet asks to join (kind and group checked). */
export function listenerSetParent(listenerSet: ListenerSet): { namespace: string; name: string } | undefined {
  const ref = listenerSet.spec?.parentRef;
  if (!ref?.name) return undefined;
  if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') return undefined;
  return { namespace: ref.namespace ?? listenerSet.metadata.namespace ?? '', name: ref.name };
}

/**
 * An Ingress is ours when its `spec.ingressClassName` is our class or names an IngressClass whose controller is
 * ours; without a class name, when the legacy `kubernetes.io/ingress.class` annotation says so, or when one of our
 * IngressClasses is the cluster default.
 */
export function isOurIngress(
  ingress: V1Ingress,
  ingressClasses: readonly V1IngressClass[],
  ownership: Ownership,
): boolean {
  const isOurClass = (ingressClass: V1IngressClass) => ingressClass.spec?.controller === ownership.controllerName;
  const className = ingress.spec?.ingressClassName;
  if (className !== undefined && className !== '') {
    if (className === ownership.ingressClass) return true;
    return ingressClasses.some((c) => c.metadata?.name === className && isOurClass(c));
  }
  const legacy = ingress.metadata?.annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION];
  if (legacy !== undefined) return legacy === ownership.ingressClass;
  return ingressClasses.some(
    (c) => isOurClass(c) && c.metadata?.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true',
  );
}
