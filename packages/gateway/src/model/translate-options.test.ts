import { describe, expect, it } from 'vitest';
import { PROXY_PROTOCOL_ENV, proxyProtocolFromEnv } from './translate-options.js';

describe('proxyProtocolFromEnv', () => {
  const cases: Record<string, { value: string | undefined; want: boolean }> = {
    'is off when the variable is unset': { value: undefined, want: false },
    'is off when the variable is empty': { value: '', want: false },
    'is off for false': { value: 'false', want: false },
    'is on for true': { value: 'true', want: true },
  };
  it.each(Object.entries(cases))('%s', (_name, { value, want }) => {
    expect(proxyProtocolFromEnv({ [PROXY_PROTOCOL_ENV]: value })).toBe(want);
  });

  it('refuses any other value, naming the variable', () => {
    expect(() => proxyProtocolFromEnv({ [PROXY_PROTOCOL_ENV]: 'yes' })).toThrow(
      /PORTCULLIS_PROXY_PROTOCOL: must be true or false, not "yes"/,
    );
  });
});
