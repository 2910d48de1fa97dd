import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { problemsOf } from './validation.js';

const schema = z.strictObject({
  names: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  keyType: z.optional(z.enum(['ec-p256', 'rsa-2048'])),
  seconds: z.optional(z.number().check(z.int(), z.gte(3600))),
  nested: z.optional(z.strictObject({ id: z.string().check(z.regex(/^[a-z]+$/)) })),
});

describe('problemsOf', () => {
  const cases: Record<string, { input: unknown; want: { field: string; rule: string; message: string }[] }> = {
    'names a wrong type at the root as the body': {
      input: [],
      want: [{ field: 'body', rule: 'invalid-type', message: 'must be of type object' }],
    },
    'names an array element by index': {
      input: { names: [''] },
      want: [{ field: 'names[0]', rule: 'too-small', message: 'must have at least 1 characters' }],
    },
    'lists the allowed values of an enum': {
      input: { names: ['a'], keyType: 'dsa' },
      want: [{ field: 'keyType', rule: 'invalid-value', message: 'must be one of "ec-p256", "rsa-2048"' }],
    },
    'says an integer is needed': {
      input: { names: ['a'], seconds: 1.5 },
      want: [{ field: 'seconds', rule: 'invalid-type', message: 'must be an integer' }],
    },
    'gives a numeric bound as a bound': {
      input: { names: ['a'], seconds: 60 },
      want: [{ field: 'seconds', rule: 'too-small', message: 'must be at least 3600' }],
    },
    'names each unknown key as its own field': {
      input: { names: ['a'], x: 1, nested: { id: 'a', y: 2 } },
      want: [
        { field: 'nested.y', rule: 'unknown-field', message: 'is not a known field' },
        { field: 'x', rule: 'unknown-field', message: 'is not a known field' },
      ],
    },
    'names a pattern by its expression': {
      input: { names: ['a'], nested: { id: 'A' } },
      want: [{ field: 'nested.id', rule: 'pattern', message: 'must match /^[a-z]+$/' }],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const problems = problemsOf('', result.error?.issues ?? []);
    expect([...problems].sort((a, b) => a.field.localeCompare(b.field))).toEqual(want);
  });
});
