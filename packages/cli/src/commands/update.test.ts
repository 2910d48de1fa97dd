import { ValidationError } from '@portcullis/core';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerUpdateCommand, type UpdateFlags, updateBodyOf } from './update.js';

/** The flags commander hands the action for `argv` (the action is replaced: no API call). */
function flagsOf(argv: readonly string[]): UpdateFlags {
  const program = new Command('portcullis').exitOverride();
  registerUpdateCommand(program);
  let seen: UpdateFlags | undefined;
  const update = program.commands.find((command) => command.name() === 'update');
  update?.action((_id: string, flags: UpdateFlags) => {
    seen = flags;
  });
  program.parse(['update', 'cert-1', ...argv], { from: 'user' });
  if (seen === undefined) throw new Error('the update action did not run');
  return seen;
}

describe('portcullis update flags', () => {
  const cases: Record<string, { argv: string[]; body: unknown }> = {
    'switches the issuer': { argv: ['--issuer', 'zerossl'], body: { issuer: 'zerossl' } },
    'sets a profile': { argv: ['--profile', 'shortlived'], body: { profile: 'shortlived' } },
    'clears the profile with --no-profile (null in the merge patch)': {
      argv: ['--no-profile'],
      body: { profile: null },
    },
    'changes the key type': { argv: ['--key-type', 'rsa-2048'], body: { keyType: 'rsa-2048' } },
    'replaces endpoints with every --endpoint given': {
      argv: ['--endpoint', 'lb.example.test', '--endpoint', '192.0.2.1:8443/www.example.test'],
      body: {
        endpoints: [
          { host: 'lb.example.test', port: 443 },
          { host: '192.0.2.1', port: 8443, serverName: 'www.example.test' },
        ],
      },
    },
    'clears endpoints with --clear-endpoints (null in the merge patch)': {
      argv: ['--clear-endpoints'],
      body: { endpoints: null },
    },
    'combines several changes in one patch': {
      argv: ['--issuer', 'backup', '--key-type', 'ec-p384'],
      body: { issuer: 'backup', keyType: 'ec-p384' },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { argv, body }) => {
    expect(updateBodyOf(flagsOf(argv))).toEqual(body);
  });

  const refused: Record<string, { argv: string[]; field: string }> = {
    'refuses a request that changes nothing': { argv: [], field: 'flags' },
    'refuses --endpoint with --clear-endpoints': {
      argv: ['--endpoint', 'lb.example.test', '--clear-endpoints'],
      field: '--clear-endpoints',
    },
    'refuses an endpoint port out of range, naming the flag': {
      argv: ['--endpoint', 'lb.example.test:70000'],
      field: '--endpoint[0]',
    },
  };
  it.each(Object.entries(refused))('%s', (_name, { argv, field }) => {
    let error: unknown;
    try {
      updateBodyOf(flagsOf(argv));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });
});
