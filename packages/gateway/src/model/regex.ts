/**
 * RE2 syntax check for every regular expression the model carries (paths, headers, query parameters). Envoy's
 * `safe_regex` is RE2; a pattern it rejects would NACK the whole RouteConfiguration, so a bad pattern must be caught
 * here and its rule dropped. re2js is a port of RE2's parser, so it rejects exactly what RE2 rejects (look-arounds,
 * backreferences, bad ranges...).
 */
import { RE2JS } from 're2js';

const cache = new Map<string, string | undefined>();
/** Enough for every distinct pattern of a large cluster; cleared wholesale when full (patterns rarely change). */
const CACHE_LIMIT = 10_000;

/** Undefined when `pattern` is valid RE2, else RE2's description of the problem. */
export function checkRe2(pattern: string): string | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  let problem: string | undefined;
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, problem);
  return problem;
}
