import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redact } from './redacted.js';

describe('Redacted', () => {
  const secret = redact('PRIVATE key material abc');
  const cases: Record<string, () => string> = {
    'JSON.stringify prints [redacted]': () => JSON.stringify({ key: secret }),
    'util.inspect prints [redacted]': () => inspect({ key: secret }),
    'a template literal prints [redacted]': () => `${secret}`,
    'String() prints [redacted]': () => String(secret),
  };
  it.each(Object.entries(cases))('%s', (_name, render) => {
    expect(render()).toContain('[redacted]');
    expect(render()).not.toContain('PRIVATE');
  });
  it('reveal() returns the value', () => {
    expect(secret.reveal()).toBe('PRIVATE key material abc');
  });
});
