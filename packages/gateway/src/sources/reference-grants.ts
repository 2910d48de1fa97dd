/**
 * ReferenceGrant checks, shared by the snapshot's Secret filter and the translator so both agree on what a
 * cross-namespace reference may see.
 */
import type { ReferenceGrant } from './gateway-api.js';

/** The referring side of a cross-namespace reference. */
export interface ReferenceFrom {
  group: string;
  kind: string;
  namespace: string;
}

/** The referenced object. `group` is `""` for core kinds (Secret, Service). */
export interface ReferenceTo {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Whether `from` may reference `to`: always within one namespace; across namespaces only when a ReferenceGrant in
 * the target namespace lists `from` (group, kind, namespace) and `to` (group, kind, and the name or no name).
 */
export function isReferencePermitted(grants: readonly ReferenceGrant[], from: ReferenceFrom, to: ReferenceTo): boolean {
  if (from.namespace === to.namespace) return true;
  return grants.some(
    (grant) =>
      grant.metadata.namespace === to.namespace &&
      (grant.spec?.from ?? []).some(
        (f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace,
      ) &&
      (grant.spec?.to ?? []).some(
        (t) =>
          t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name),
      ),
  );
}
