import { describe, expect, it } from 'vitest';
import { parseManifests } from './manifests.js';

describe('parseManifests', () => {
  it('reads every document of a multi-document file and expands Lists', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}',
      '',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: b}}',
    ].join('\n---\n');
    const { objects, problems } = parseManifests(text, 'svc.yaml');
    expect(problems).toEqual([]);
    expect(objects.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
  });

  const cases: Record<string, { text: string; line: number; message: RegExp; kept: string[] }> = {
    'a syntax error names the line and keeps the other documents': {
      text: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: [b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n',
      line: 7,
      message: /./,
      kept: ['a', 'c'],
    },
    'a document without apiVersion or kind is reported at its first line': {
      text: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nmetadata: {name: b}\n',
      line: 5,
      message: /needs apiVersion and kind/,
      kept: ['a'],
    },
    'a scalar document is reported': { text: 'just text\n', line: 1, message: /expected a mapping/, kept: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, { text, line, message, kept }) => {
    const { objects, problems } = parseManifests(text, 'dir/bad.yaml');
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatchObject({ file: 'dir/bad.yaml', line });
    expect(problems[0]?.message).toMatch(message);
    expect(objects.map((o) => o.metadata?.name)).toEqual(kept);
  });

  it('never quotes the source in a problem (it could hold Secret data)', () => {
    const { problems } = parseManifests(
      'apiVersion: v1\nkind: Secret\nstringData: {tls.key: "SECRET-VALUE\n',
      's.yaml',
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join('\n')).not.toContain('SECRET-VALUE');
  });
});
