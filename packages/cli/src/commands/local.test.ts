import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalCommandIo, type LocalUpFlags, registerLocalCommands, toLocalStackOptions } from './local.js';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-cli-local-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(): { cli: Command; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: LocalCommandIo = { out: (text) => out.push(text), err: (text) => err.push(text), env: {} };
  const cli = new Command('portcullis').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerLocalCommands(cli, io);
  return { cli, out, err };
}

describe('toLocalStackOptions', () => {
  const cases: Record<string, { flags: LocalUpFlags; want: ReturnType<typeof toLocalStackOptions> }> = {
    'passes nothing when no flag is given': { flags: { moto: true }, want: {} },
    'maps every pebble flag': {
      flags: { moto: true, eab: true, nonceReject: 50, alternateRoots: 1, chainLength: 2, validitySeconds: 30 },
      want: { pebble: { eab: true, nonceRejectPercent: 50, alternateRoots: 1, chainLength: 2, validitySeconds: 30 } },
    },
    'maps zones, --no-moto and fixed ports': {
      flags: { moto: false, zone: ['a.test'], dnsPort: 15353, http01Port: 5002 },
      want: { zones: ['a.test'], moto: false, ports: { dns: 15353, http01: 5002 } },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { flags, want }) => {
    expect(toLocalStackOptions(flags)).toEqual(want);
  });
});

describe('portcullis local', () => {
  const rejected: Record<string, string[]> = {
    'a nonce rejection that is not a number': ['local', 'up', '--nonce-reject', 'many'],
    'a port below 1024': ['local', 'up', '--dns-port', '53'],
    'an unknown flag': ['local', 'up', '--bogus'],
  };
  it.each(Object.entries(rejected))('up refuses %s before starting anything', async (_name, argv) => {
    const { cli } = program();
    await expect(cli.parseAsync(argv, { from: 'user' })).rejects.toMatchObject({
      code: expect.stringMatching(/^commander\./),
    });
  });

  it('env names the missing state file when no stack was started', async () => {
    const { cli } = program();
    const stateFile = join(dir, 'absent.json');
    await expect(cli.parseAsync(['local', 'env', '--state-file', stateFile], { from: 'user' })).rejects.toThrow(
      stateFile,
    );
  });

  it('down succeeds and says so when nothing is running', async () => {
    const { cli, err } = program();
    await cli.parseAsync(['local', 'down', '--state-file', join(dir, 'absent.json')], { from: 'user' });
    expect(err.join('\n')).toContain('nothing to stop');
  });
});
