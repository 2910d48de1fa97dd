import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { attachLocalStack, LocalStackEnv } from '@portcullis/local';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerLocalCommands } from '../../packages/cli/src/commands/local.js';
import { isRunning } from './process-state.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'portcullis-local-cli-test-'));
const stateFile = join(work, 'state.json');

afterAll(async () => {
  // Only if an assertion failed half-way: stop what the state file still names.
  if (existsSync(stateFile)) await attachLocalStack(stateFile, { allowStopped: true }).stop();
  rmSync(work, { recursive: true, force: true });
});

async function runCli(args: string[]): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('portcullis').exitOverride();
  registerLocalCommands(program, { out: (text) => out.push(text), err: (text) => err.push(text), env: {} });
  await program.parseAsync(args, { from: 'user' });
  return { out, err };
}

describe('portcullis local up | env | down', () => {
  it('keeps the stack running after the CLI process ends, and stops it by PID on down', async () => {
    const up = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/local/fixtures/run-local-cli.ts',
        'local',
        'up',
        '--no-moto',
        '--state-file',
        stateFile,
      ],
      { cwd: repo },
    );
    expect(up.stdout).toContain(`export ${LocalStackEnv.AcmeDirectory}='https://127.0.0.1:`);

    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { dir: string; children: { pid: number }[] };
    const pids = state.children.map((child) => child.pid);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isRunning)).toHaveLength(2); // the CLI process is gone, its children are not

    const env = JSON.parse(
      (await runCli(['local', 'env', '--json', '--state-file', stateFile])).out.join(''),
    ) as Record<string, string>;
    const [host, port] = (env[LocalStackEnv.Rfc2136Server] ?? '').split(':');
    const soa = await run('dig', ['+short', '-p', String(port), `@${host}`, 'example.test', 'SOA']);
    expect(soa.stdout).toContain('ns1.example.test.');
    expect(env[LocalStackEnv.LocalState]).toBe(stateFile);

    const down = await runCli(['local', 'down', '--state-file', stateFile]);
    expect(down.err.join('\n')).toContain('stopped');
    expect(pids.filter(isRunning)).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
    expect(existsSync(state.dir)).toBe(false);
  });
});

describe('a process that ends without stop()', () => {
  const endings: Record<string, { signal?: NodeJS.Signals }> = {
    'ends every child when it is terminated by SIGTERM': { signal: 'SIGTERM' },
    'ends every child when it is interrupted by SIGINT': { signal: 'SIGINT' },
    'ends every child when it calls process.exit()': {},
  };
  it.each(Object.entries(endings))('%s', async (_name, { signal }) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/local/fixtures/start-and-abort.ts'], {
      cwd: repo,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { pids, dir } = JSON.parse(line) as { pids: number[]; dir: string };
    expect(pids.filter(isRunning)).toHaveLength(2);
    if (signal === undefined) child.stdin?.write('exit\n');
    else child.kill(signal);
    await exited;
    expect(pids.filter(isRunning)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
