/** Kubernetes label selectors (matchLabels AND matchExpressions), as used by allowedRoutes / allowedListeners. */
import type { V1LabelSelector } from '@kubernetes/client-node';

/** Whether `labels` satisfy `selector`. An empty selector matches everything; an unknown operator matches nothing. */
export function matchesLabelSelector(selector: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const value = labels[requirement.key];
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Labels of a namespace. The API server always sets `kubernetes.io/metadata.name`; it is added here too so that
 * selectors on it work when the Namespace object is absent from the snapshot (e.g. File provider).
 */
export function namespaceLabels(
  namespaces: ReadonlyMap<string, Record<string, string>>,
  namespace: string,
): Record<string, string> {
  return { ...(namespaces.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace };
}
