import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { type LocalStackOptions, validateLocalStackOptions } from './options.js';

describe('validateLocalStackOptions', () => {
  const rejected: Record<string, { options: LocalStackOptions; field: string }> = {
    'a nonce rejection above 100 %': {
      options: { pebble: { nonceRejectPercent: 101 } },
      field: 'pebble.nonceRejectPercent',
    },
    'a chain length of 0': { options: { pebble: { chainLength: 0 } }, field: 'pebble.chainLength' },
    'a fractional validity': { options: { pebble: { validitySeconds: 1.5 } }, field: 'pebble.validitySeconds' },
    'an empty zone list': { options: { zones: [] }, field: 'zones' },
    'a zone with a trailing dot': { options: { zones: ['example.test.'] }, field: 'zones' },
    'a single-label zone': { options: { zones: ['test'] }, field: 'zones' },
    'an upper-case zone': { options: { zones: ['Example.test'] }, field: 'zones' },
    'a zone listed twice': { options: { zones: ['a.test', 'a.test'] }, field: 'zones' },
    'a privileged port': { options: { ports: { dns: 53 } }, field: 'ports.dns' },
    'two fixed ports that are the same': { options: { ports: { acme: 14000, moto: 14000 } }, field: 'ports' },
    'an unknown option': { options: { pebbles: {} } as LocalStackOptions, field: 'options.pebbles' },
    'an unknown pebble option': { options: { pebble: { eabb: true } } as LocalStackOptions, field: 'pebble.eabb' },
  };
  it.each(Object.entries(rejected))('rejects %s, naming the field', (_name, { options, field }) => {
    const error = (() => {
      try {
        validateLocalStackOptions(options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });

  const accepted: Record<string, LocalStackOptions> = {
    'no options at all': {},
    'every pebble knob': {
      pebble: { eab: true, nonceRejectPercent: 50, alternateRoots: 2, chainLength: 2, validitySeconds: 30 },
    },
    'custom zones and fixed ports': {
      zones: ['a.test', 'sub.b.test'],
      ports: { dns: 15353, acme: 14000 },
      moto: false,
    },
  };
  it.each(Object.entries(accepted))('accepts %s', (_name, options) => {
    expect(() => validateLocalStackOptions(options)).not.toThrow();
  });
});
