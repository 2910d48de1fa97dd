/**
 * Turns zod issues into `FieldProblem`s. zod/mini ships no English messages (its default is "Invalid input", to
 * stay small), so the sentences are written here from the issue's own data — which also keeps them stable.
 */
import type * as z from 'zod/mini';
import { type FieldProblem, invalidRequest } from './errors.js';

type Issue = z.core.$ZodIssue;

/** `names[2]`, `targets[0].options.region`, or the root's own name for the whole value. */
export function fieldOf(root: string, path: readonly PropertyKey[]): string {
  let field = root;
  for (const key of path) {
    if (typeof key === 'number') field += `[${key}]`;
    else field = field === '' ? String(key) : `${field}.${String(key)}`;
  }
  return field === '' ? 'body' : field;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** `must have at least 1 items`, `must be at most 7776000`. */
function bound(which: string, origin: string, limit: unknown): string {
  if (origin === 'string') return `must have ${which} ${describe(limit)} characters`;
  if (origin === 'array') return `must have ${which} ${describe(limit)} items`;
  return `must be ${which} ${describe(limit)}`;
}

function sentence(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'int' ? 'an integer' : `of type ${issue.expected}`}`;
    case 'too_small':
      return bound('at least', issue.origin, issue.minimum);
    case 'too_big':
      return bound('at most', issue.origin, issue.maximum);
    case 'invalid_value':
      return `must be one of ${issue.values.map(describe).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match ${String(issue.pattern)}`
        : `must be a ${issue.format}`;
    case 'unrecognized_keys':
      return 'is not a known field';
    default:
      return issue.message;
  }
}

/** One problem per issue; an unknown key becomes its own field (`targets[0].colour`), rule `unknown-field`. */
export function problemsOf(root: string, issues: readonly Issue[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ field: fieldOf(root, [...issue.path, key]), rule: 'unknown-field', message: sentence(issue) });
      }
      continue;
    }
    const rule =
      issue.code === 'invalid_format' && issue.format === 'regex'
        ? 'pattern'
        : issue.code === 'custom' && typeof issue.params?.rule === 'string'
          ? issue.params.rule // a refinement names its own rule (`host`)
          : issue.code.replaceAll('_', '-');
    problems.push({ field: fieldOf(root, issue.path), rule, message: sentence(issue) });
  }
  return problems;
}

/** Parses or throws a 400 naming every broken rule. */
export function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidRequest(problemsOf(root, result.error.issues));
}
