import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { apiFailure, fieldManagerConflicts, toKubeApiError } from './api-status.js';

// ApiExceptions are built by hand here: the shapes client-node produces for a Status body (text) are what we parse.
const status = (code: number, reason: string, causes?: object[]) =>
  new ApiException(
    code,
    'Unsuccessful',
    JSON.stringify({ kind: 'Status', reason, message: `m${code}`, code, details: { causes } }),
    {},
  );

describe('apiFailure', () => {
  it('reads code, reason and message from a Status body given as text', () => {
    expect(apiFailure(status(404, 'NotFound'))).toMatchObject({ status: 404, reason: 'NotFound', message: 'm404' });
  });

  it('names the managers of a server-side apply conflict, and none for a resourceVersion conflict', () => {
    const apply = status(409, 'Conflict', [
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit"', field: '.data.tls.crt' },
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit"', field: '.data.tls.key' },
    ]);
    expect(fieldManagerConflicts(apiFailure(apply))).toEqual(['kubectl-edit']);
    expect(fieldManagerConflicts(apiFailure(status(409, 'Conflict')))).toEqual([]);
  });
});

describe('toKubeApiError', () => {
  const cases: Record<string, { code: number; retryable: boolean }> = {
    'a conflict is retryable': { code: 409, retryable: true },
    'an expired resourceVersion is retryable': { code: 410, retryable: true },
    'throttling is retryable': { code: 429, retryable: true },
    'a forbidden request is not': { code: 403, retryable: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { code, retryable }) => {
    const error = toKubeApiError('prod', 'secret a/b', 'apply', status(code, 'X'));
    expect(error.retryable).toBe(retryable);
    expect(error.message).toBe(`kubernetes: cluster prod: secret a/b: apply failed (${code} X): m${code}`);
  });
});
