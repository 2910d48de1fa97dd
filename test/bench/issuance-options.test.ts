/** The issuance benchmark's command line (pure; no stack is started). */
import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { certificateNames, DEFAULT_OPTIONS, parseBenchArgs } from '../../bench/issuance/options.js';

describe('parseBenchArgs', () => {
  const accepted: Record<string, { argv: string[]; want: Partial<typeof DEFAULT_OPTIONS> }> = {
    'uses 20 certificates at concurrency 5 with all three tools by default': { argv: [], want: DEFAULT_OPTIONS },
    'reads certificates, concurrency and timeout': {
      argv: ['--certs', '3', '--concurrency', '2', '--timeout', '30'],
      want: { certs: 3, concurrency: 2, timeoutSeconds: 30 },
    },
    'keeps the tools in the order given, case-insensitively': {
      argv: ['--tools', 'Certbot, portcullis'],
      want: { tools: ['certbot', 'portcullis'] },
    },
    'accepts the --flag=value form': { argv: ['--certs=7'], want: { certs: 7 } },
    'turns the Route53 section off with --no-route53': { argv: ['--no-route53'], want: { route53: false } },
    'takes another results directory': { argv: ['--results-dir', '/tmp/r'], want: { resultsDir: '/tmp/r' } },
    'recognises --help': { argv: ['--help'], want: { help: true } },
  };
  it.each(Object.entries(accepted))('%s', (_name, { argv, want }) => {
    expect(parseBenchArgs(argv)).toMatchObject(want);
  });

  const refused: Record<string, { argv: string[]; field: string; rule: string }> = {
    'refuses zero certificates': { argv: ['--certs', '0'], field: '--certs', rule: 'range' },
    'refuses a fractional concurrency': { argv: ['--concurrency', '2.5'], field: '--concurrency', rule: 'range' },
    'refuses more certificates than bind9 and a 2-core machine should take': {
      argv: ['--certs', '501'],
      field: '--certs',
      rule: 'range',
    },
    'refuses an unknown tool': { argv: ['--tools', 'acme.sh'], field: '--tools', rule: 'known-tool' },
    'refuses a tool listed twice': { argv: ['--tools', 'lego,lego'], field: '--tools', rule: 'duplicate' },
    'refuses an empty tool list': { argv: ['--tools', ' , '], field: '--tools', rule: 'required' },
    'refuses an unknown flag': { argv: ['--cert', '3'], field: 'arguments', rule: 'known-flag' },
    'refuses a positional argument': { argv: ['20'], field: 'arguments', rule: 'known-flag' },
    'refuses an empty results directory': { argv: ['--results-dir', ' '], field: '--results-dir', rule: 'required' },
  };
  it.each(Object.entries(refused))('%s', (_name, { argv, field, rule }) => {
    let caught: unknown;
    try {
      parseBenchArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({ field, rule });
  });
});

describe('certificateNames', () => {
  it('gives each index its own apex and the wildcard below it', () => {
    expect(certificateNames(0)).toEqual(['b0.example.test', '*.b0.example.test']);
    expect(new Set(Array.from({ length: 50 }, (_, i) => certificateNames(i)[0])).size).toBe(50);
  });
});
