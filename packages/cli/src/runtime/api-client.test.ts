import { describe, expect, it } from 'vitest';
import { API_URL_ENV, resolveApiUrl } from './api-client.js';
import { ApiClientErrorCode } from './errors.js';

describe('resolveApiUrl', () => {
  const cases: Record<string, { flag?: string; env?: Record<string, string>; want: string }> = {
    'takes --api over the environment': {
      flag: 'http://127.0.0.1:8080/',
      env: { [API_URL_ENV]: 'http://other' },
      want: 'http://127.0.0.1:8080',
    },
    'falls back to PORTCULLIS_API_URL': {
      env: { [API_URL_ENV]: 'https://api.example/prod' },
      want: 'https://api.example/prod',
    },
    'drops trailing slashes of a stage path': { flag: 'https://api.example/prod//', want: 'https://api.example/prod' },
  };
  it.each(Object.entries(cases))('%s', (_name, { flag, env, want }) => {
    expect(resolveApiUrl(flag, env ?? {})).toBe(want);
  });

  const refusals: Record<string, { flag?: string; env?: Record<string, string> }> = {
    'refuses when neither --api nor the variable is set': {},
    'refuses an empty variable': { env: { [API_URL_ENV]: '  ' } },
    'refuses something that is not a URL': { flag: 'localhost:8080/x y' },
    'refuses a non-HTTP scheme': { flag: 'ftp://127.0.0.1/' },
  };
  it.each(Object.entries(refusals))('%s', (_name, { flag, env }) => {
    expect(() => resolveApiUrl(flag, env ?? {})).toThrow(
      expect.objectContaining({ code: ApiClientErrorCode.NoApiUrl }),
    );
  });
});
