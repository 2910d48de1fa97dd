/**
 * Parses API paths the way the real server lays them out:
 *   /api/v1/<plural>[/<name>[/status]]                       cluster-scoped, or all namespaces for a list/watch
 *   /api/v1/namespaces/<ns>/<plural>[/<name>[/status]]       namespaced
 *   /apis/<group>/<version>/...                               the same below a named group
 *   .../watch/...                                             legacy watch prefix (same as ?watch=true)
 * `namespaces` itself is a cluster-scoped core resource, so `/api/v1/namespaces/<name>[/status]` addresses it.
 */
import type { ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';

export interface ResourcePath {
  resource: ResourceType;
  /** Set for namespaced paths; `undefined` for cluster-scoped resources and all-namespace collections. */
  namespace: string | undefined;
  /** Absent on collection paths. */
  name: string | undefined;
  subresource: '' | 'status';
  legacyWatch: boolean;
}

export type ParsedPath =
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'groupVersion'; groupVersion: string }
  | { kind: 'other' };

function splitApiPrefix(segments: string[]): { groupVersion: string; rest: string[] } | undefined {
  if (segments[0] === 'api' && segments[1] !== undefined) return { groupVersion: segments[1], rest: segments.slice(2) };
  if (segments[0] === 'apis' && segments[1] !== undefined && segments[2] !== undefined) {
    return { groupVersion: `${segments[1]}/${segments[2]}`, rest: segments.slice(3) };
  }
  return undefined;
}

export function parseApiPath(pathname: string, resources: readonly ResourceType[]): ParsedPath {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const prefix = splitApiPrefix(segments);
  if (!prefix) return { kind: 'other' };
  let rest = prefix.rest;
  if (rest.length === 0) return { kind: 'groupVersion', groupVersion: prefix.groupVersion };
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) rest = rest.slice(1);
  const find = (plural: string | undefined) =>
    resources.find((r) => r.plural === plural && apiVersionOf(r) === prefix.groupVersion);

  let namespace: string | undefined;
  const namespaceScoped =
    rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize';
  if (namespaceScoped) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = find(rest[0]);
  if (!resource) return { kind: 'other' };
  if (namespace !== undefined && !resource.namespaced) return { kind: 'other' };
  if (rest.length > 3 || (rest.length === 3 && rest[2] !== 'status')) return { kind: 'other' };
  // A name without a namespace only addresses cluster-scoped objects.
  if (rest.length >= 2 && resource.namespaced && namespace === undefined) return { kind: 'other' };
  if (rest.length === 3 && !resource.statusSubresource) return { kind: 'other' };
  return {
    kind: 'resource',
    path: {
      resource,
      namespace,
      name: rest[1],
      subresource: rest.length === 3 ? 'status' : '',
      legacyWatch,
    },
  };
}
