import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOURCES, type ResourceType } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

const secrets = DEFAULT_RESOURCES.find((r) => r.plural === 'secrets') as ResourceType;

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  const cases: Record<string, { selector: string; want: boolean }> = {
    'an empty selector matches everything': { selector: '', want: true },
    'equality matches the same value': { selector: 'app=web', want: true },
    'double equals is equality': { selector: 'app==web', want: true },
    'equality fails on another value': { selector: 'app=db', want: false },
    'inequality matches an absent key': { selector: 'missing!=x', want: true },
    'in matches a listed value': { selector: 'tier in (back, front)', want: true },
    'notin fails on a listed value': { selector: 'tier notin (front)', want: false },
    'existence needs the key': { selector: 'app', want: true },
    'absence fails when the key exists': { selector: '!app', want: false },
    'requirements are ANDed': { selector: 'app=web,tier in (back)', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { selector, want }) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(want);
  });
  it('rejects a requirement it cannot parse', () => {
    expect(() => parseLabelSelector('a in b')).toThrow(/unable to parse/);
  });
});

describe('field selectors', () => {
  const secret = { metadata: { name: 'tls', namespace: 'apps' }, type: 'kubernetes.io/tls' };
  const cases: Record<string, { selector: string; want: boolean }> = {
    'matches metadata.name': { selector: 'metadata.name=tls', want: true },
    'matches a type label of Secrets': { selector: 'type=kubernetes.io/tls', want: true },
    'negates with !=': { selector: 'metadata.namespace!=apps', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { selector, want }) => {
    expect(matchesFields(parseFieldSelector(selector, secrets), secret)).toBe(want);
  });
  it('rejects a field label the resource does not support', () => {
    expect(() => parseFieldSelector('data.x=1', secrets)).toThrow(/field label not supported: data.x/);
  });
});
