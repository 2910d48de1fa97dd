import { describe, expect, it } from 'vitest';
import { effectiveHostnames, intersectHostname, isValidHostname } from './hostnames.js';

describe('intersectHostname', () => {
  const cases: Record<string, { listener: string | undefined; route: string; want: string | undefined }> = {
    'a listener without hostname takes the route hostname': {
      listener: undefined,
      route: 'a.example.com',
      want: 'a.example.com',
    },
    'equal precise names intersect': { listener: 'a.example.com', route: 'a.example.com', want: 'a.example.com' },
    'different precise names do not intersect': { listener: 'a.example.com', route: 'b.example.com', want: undefined },
    'a wildcard listener narrows to the precise route name': {
      listener: '*.example.com',
      route: 'a.example.com',
      want: 'a.example.com',
    },
    'a wildcard listener covers deeper names': {
      listener: '*.example.com',
      route: 'a.b.example.com',
      want: 'a.b.example.com',
    },
    'a wildcard never covers its own apex': { listener: '*.example.com', route: 'example.com', want: undefined },
    'a wildcard route narrows to the precise listener name': {
      listener: 'a.example.com',
      route: '*.example.com',
      want: 'a.example.com',
    },
    'the narrower of two wildcards wins': {
      listener: '*.example.com',
      route: '*.a.example.com',
      want: '*.a.example.com',
    },
    'unrelated wildcards do not intersect': { listener: '*.example.com', route: '*.example.org', want: undefined },
    'a suffix that is not a label boundary does not match': {
      listener: '*.example.com',
      route: 'aexample.com',
      want: undefined,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { listener, route, want }) => {
    expect(intersectHostname(listener, route)).toBe(want);
  });
});

describe('effectiveHostnames', () => {
  const cases: Record<string, { listener: string | undefined; route: string[]; want: string[] }> = {
    'neither has a hostname: the catch-all host': { listener: undefined, route: [], want: ['*'] },
    'a route without hostnames takes the listener hostname': {
      listener: '*.example.com',
      route: [],
      want: ['*.example.com'],
    },
    'route hostnames outside the listener are ignored': {
      listener: '*.example.com',
      route: ['b.example.com', 'a.example.org', 'a.example.com'],
      want: ['a.example.com', 'b.example.com'],
    },
    'no intersection at all gives nothing': { listener: 'a.example.com', route: ['b.example.com'], want: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, { listener, route, want }) => {
    expect(effectiveHostnames(listener, route)).toEqual(want);
  });
});

describe('isValidHostname', () => {
  const cases: Record<string, { hostname: string; want: boolean }> = {
    'a precise lowercase name is valid': { hostname: 'a-1.example.com', want: true },
    'a leading wildcard label is valid': { hostname: '*.example.com', want: true },
    'a wildcard elsewhere is invalid': { hostname: 'a.*.example.com', want: false },
    'an IP address is invalid': { hostname: '192.0.2.1', want: false },
    'uppercase is invalid': { hostname: 'A.example.com', want: false },
    'a trailing dot is invalid': { hostname: 'example.com.', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { hostname, want }) => {
    expect(isValidHostname(hostname)).toBe(want);
  });
});
