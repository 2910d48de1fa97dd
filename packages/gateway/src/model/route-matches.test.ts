import { describe, expect, it } from 'vitest';
import type { GRPCRouteMatch, HTTPRouteMatch } from '../sources/gateway-api.js';
import { convertGrpcMatch, convertHttpMatch } from './route-matches.js';
import type { ModelRouteMatch } from './types.js';

describe('convertHttpMatch', () => {
  const cases: Record<string, { match: HTTPRouteMatch; want?: Partial<ModelRouteMatch>; problem?: RegExp }> = {
    'defaults to PathPrefix /': { match: {}, want: { path: { type: 'PathPrefix', value: '/' } } },
    'a trailing slash on a prefix is dropped (element-wise prefix)': {
      match: { path: { type: 'PathPrefix', value: '/api/' } },
      want: { path: { type: 'PathPrefix', value: '/api' } },
    },
    'an exact path is kept as is': {
      match: { path: { type: 'Exact', value: '/a/' } },
      want: { path: { type: 'Exact', value: '/a/' } },
    },
    'a valid RE2 path regex is kept': {
      match: { path: { type: 'RegularExpression', value: '/users/[0-9]+' } },
      want: { path: { type: 'RegularExpression', value: '/users/[0-9]+' } },
    },
    'a look-ahead is not RE2 and is refused': {
      match: { path: { type: 'RegularExpression', value: '/(?=a)' } },
      problem: /path regex \/\(\?=a\) is not valid RE2/,
    },
    'a backreference is not RE2 and is refused': {
      match: { path: { type: 'RegularExpression', value: '/(a)\\1' } },
      problem: /not valid RE2/,
    },
    'a bad header regex is refused': {
      match: { headers: [{ type: 'RegularExpression', name: 'X-Version', value: '[z-a]' }] },
      problem: /header X-Version regex/,
    },
    'a bad query regex is refused': {
      match: { queryParams: [{ type: 'RegularExpression', name: 'q', value: '(' }] },
      problem: /query parameter q regex/,
    },
    'a path not starting with / is refused': {
      match: { path: { type: 'Exact', value: 'a' } },
      problem: /must start with \//,
    },
    'header names are lowercased, sorted, and the first of a repeated name wins': {
      match: {
        headers: [
          { name: 'X-B', value: '1' },
          { name: 'x-a', value: '2' },
          { name: 'x-b', value: 'ignored' },
        ],
      },
      want: {
        headers: [
          { name: 'x-a', type: 'Exact', value: '2' },
          { name: 'x-b', type: 'Exact', value: '1' },
        ],
      },
    },
    'query names are case-sensitive and the first repeated one wins': {
      match: {
        queryParams: [
          { name: 'Q', value: '1' },
          { name: 'q', value: '2' },
          { name: 'Q', value: '3' },
        ],
      },
      want: {
        queryParams: [
          { name: 'Q', type: 'Exact', value: '1' },
          { name: 'q', type: 'Exact', value: '2' },
        ],
      },
    },
    'a method is carried': { match: { method: 'POST' }, want: { method: 'POST' } },
  };
  it.each(Object.entries(cases))('%s', (_name, { match, want, problem }) => {
    const result = convertHttpMatch(match);
    if (problem !== undefined) {
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.problem).toMatch(problem);
    } else {
      expect(result.ok).toBe(true);
      expect(result.ok && result.match).toMatchObject(want ?? {});
    }
  });
});

describe('convertGrpcMatch', () => {
  const cases: Record<string, { match: GRPCRouteMatch; path?: ModelRouteMatch['path']; problem?: RegExp }> = {
    'no method match serves every gRPC request': { match: {}, path: { type: 'PathPrefix', value: '/' } },
    'service and method give an exact path': {
      match: { method: { service: 'helloworld.Greeter', method: 'SayHello' } },
      path: { type: 'Exact', value: '/helloworld.Greeter/SayHello' },
    },
    'a service alone gives a prefix': {
      match: { method: { service: 'helloworld.Greeter' } },
      path: { type: 'PathPrefix', value: '/helloworld.Greeter' },
    },
    'a method alone gives a regex over any service': {
      match: { method: { method: 'SayHello' } },
      path: { type: 'RegularExpression', value: '/[^/]+/SayHello' },
    },
    'RegularExpression method matches are combined': {
      match: { method: { type: 'RegularExpression', service: 'helloworld\\..*', method: 'Say.*' } },
      path: { type: 'RegularExpression', value: '/helloworld\\..*/Say.*' },
    },
    'an invalid method regex is refused': {
      match: { method: { type: 'RegularExpression', method: '(?!x)' } },
      problem: /method match regex/,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { match, path, problem }) => {
    const result = convertGrpcMatch(match);
    if (problem !== undefined) {
      expect(result.ok ? '' : result.problem).toMatch(problem);
    } else {
      expect(result.ok && result.match.path).toEqual(path);
      expect(result.ok && result.match.grpc).toBe(true);
    }
  });
});
