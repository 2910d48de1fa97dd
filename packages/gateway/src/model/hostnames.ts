/**
 * Gateway API hostnames: validation and the listener/route intersection. A wildcard `*.example.com` matches any
 * name with at least one more label (`a.example.com`, `a.b.example.com`), never `example.com` itself.
 */

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const PRECISE = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** RFC 1123 name (lowercase, no IP address), optionally with a leading `*.` label. */
export function isValidHostname(hostname: string): boolean {
  if (hostname.length === 0 || hostname.length > 253) return false;
  const rest = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
  if (!PRECISE.test(rest)) return false;
  return !/^[0-9.]+$/.test(rest) && !rest.includes(':');
}

export function isWildcard(hostname: string): boolean {
  return hostname.startsWith('*.');
}

/** Whether `name` (precise or wildcard) is covered by `pattern` (precise or wildcard). */
export function hostnameCovers(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!isWildcard(pattern)) return false;
  const suffix = pattern.slice(1); // ".example.com"
  const candidate = isWildcard(name) ? name.slice(1) : name;
  // a wildcard name is covered only by a strictly shorter wildcard suffix
  return candidate.endsWith(suffix) && candidate.length > suffix.length;
}

/**
 * The intersection of a listener hostname with a route hostname, or undefined if they do not intersect: the more
 * specific of the two when one covers the other.
 */
export function intersectHostname(listener: string | undefined, route: string): string | undefined {
  if (listener === undefined) return route;
  if (hostnameCovers(listener, route)) return route;
  if (hostnameCovers(route, listener)) return listener;
  return undefined;
}

/**
 * The hostnames a route serves through a listener, deduplicated and sorted: the listener's hostname when the route
 * has none, the route's (narrowed) hostnames otherwise, `*` when neither has one. Empty means no intersection.
 */
export function effectiveHostnames(listener: string | undefined, routeHostnames: readonly string[]): string[] {
  if (routeHostnames.length === 0) return [listener ?? '*'];
  const out = new Set<string>();
  for (const hostname of routeHostnames) {
    const intersection = intersectHostname(listener, hostname);
    if (intersection !== undefined) out.add(intersection);
  }
  return [...out].sort();
}
