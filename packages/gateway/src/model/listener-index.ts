/**
 * Hostname lookups over a set of listeners without comparing every pair: a Gateway with thousands of HTTPS
 * listeners (one per hostname) is the normal shape at scale, and pairwise checks (overlaps, route attachment) made
 * translation quadratic. Names are indexed by their label-wise suffixes.
 */
import { isWildcard } from './hostnames.js';
import type { ResolvedListener } from './listeners.js';

/** Proper label-wise suffixes of a name: `a.b.example.com` → `b.example.com`, `example.com`, `com`. */
export function properSuffixes(name: string): string[] {
  const out: string[] = [];
  for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) out.push(name.slice(dot + 1));
  return out;
}

/** The part a wildcard applies to (`*.example.com` → `example.com`); a precise name is its own base. */
function baseOf(hostname: string): string {
  return isWildcard(hostname) ? hostname.slice(2) : hostname;
}

export class ListenerHostnameIndex {
  /** Listeners without hostname: they intersect every name. */
  readonly #any: ResolvedListener[] = [];
  /** Exact hostname (precise or wildcard, as written) → listeners. */
  readonly #exact = new Map<string, ResolvedListener[]>();
  /** Wildcard base → wildcard listeners (`example.com` → listeners of `*.example.com`). */
  readonly #wildcards = new Map<string, ResolvedListener[]>();
  /** Proper suffix of a listener's base → listeners under it (`example.com` → `a.example.com`, `*.b.example.com`). */
  readonly #under = new Map<string, ResolvedListener[]>();

  constructor(listeners: readonly ResolvedListener[]) {
    for (const listener of listeners) {
      const hostname = listener.hostname;
      if (hostname === undefined) {
        this.#any.push(listener);
        continue;
      }
      push(this.#exact, hostname, listener);
      if (isWildcard(hostname)) push(this.#wildcards, baseOf(hostname), listener);
      for (const suffix of properSuffixes(baseOf(hostname))) push(this.#under, suffix, listener);
    }
  }

  /**
   * Every indexed listener whose hostname intersects `name` (precise or wildcard), including those without
   * hostname; `name` itself is not excluded — callers remove the listener they ask about.
   */
  intersecting(name: string): Set<ResolvedListener> {
    const out = new Set<ResolvedListener>(this.#any);
    for (const listener of this.#exact.get(name) ?? []) out.add(listener);
    // listeners whose wildcard covers the name
    for (const suffix of properSuffixes(baseOf(name))) {
      for (const listener of this.#wildcards.get(suffix) ?? []) out.add(listener);
    }
    // listeners the name (a wildcard) covers
    if (isWildcard(name)) for (const listener of this.#under.get(baseOf(name)) ?? []) out.add(listener);
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
