import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStackEnv } from './env.js';
import { LocalStackStateError } from './errors.js';
import { createStackHandle, type LocalStack } from './local-stack.js';
import type { LocalStackOptions } from './options.js';
import { isPidAlive, readCommandLine } from './process-control.js';
import type { LocalStackState } from './stack-state.js';
import { startLocalStackState } from './start-local-stack.js';

/**
 * The detached stack for people (`portcullis local up|env|down`): children in their own session that outlive the
 * CLI, described by a state file (PIDs, ports, TSIG, paths). Later commands attach to it through that file.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const STATE_FILE_NAME = 'state.json';

/** `$PORTCULLIS_LOCAL_STATE`, else `$PORTCULLIS_LOCAL_DIR/state.json`, else `<repo>/.tmp/local-stack/state.json`. */
export function resolveStateFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env[LocalStackEnv.LocalState];
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const dir = env[LocalStackEnv.LocalDir];
  return join(dir !== undefined && dir !== '' ? resolve(dir) : join(REPO_ROOT, '.tmp', 'local-stack'), STATE_FILE_NAME);
}

function readState(stateFile: string): LocalStackState {
  let state: LocalStackState;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as LocalStackState;
  } catch (error) {
    throw new LocalStackStateError(stateFile, `cannot be read: ${(error as Error).message}`, error);
  }
  if (state.version !== 1 || !Array.isArray(state.children) || typeof state.dir !== 'string') {
    throw new LocalStackStateError(stateFile, 'is not a version 1 local stack state');
  }
  return state;
}

/** Names of the children that are gone (or whose PID now belongs to another program). */
function deadChildren(state: LocalStackState): string[] {
  return state.children
    .filter((child) => !isPidAlive(child.pid) || !readCommandLine(child.pid)?.includes(child.commandLineMarker))
    .map((child) => `${child.name} (pid ${child.pid})`);
}

export interface AttachOptions {
  /** Attach even when children are gone (what `down` needs to clean up after a crash). Default false. */
  readonly allowStopped?: boolean;
}

/** The stack described by a state file. `stop()` stops its PIDs and removes its dir and the state file. */
export function attachLocalStack(stateFile: string, options: AttachOptions = {}): LocalStack {
  const state = readState(stateFile);
  if (options.allowStopped !== true) {
    const dead = deadChildren(state);
    if (dead.length > 0) {
      throw new LocalStackStateError(
        stateFile,
        `the stack is not running any more (${dead.join(', ')} gone): run \`portcullis local down\` and \`up\` again`,
      );
    }
  }
  return createStackHandle(state, { ownChildren: false, stateFile });
}

/** The detached stack named by the environment (see `resolveStateFile`), or undefined when none was started. */
export function loadLocalStackFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): LocalStack | undefined {
  const stateFile = resolveStateFile(env);
  return existsSync(stateFile) ? attachLocalStack(stateFile) : undefined;
}

/**
 * Starts a detached stack and writes its state file (mode 0600: it holds the TSIG secret). Refuses when a running
 * stack already owns the state file; a stale file (children gone) is cleaned up first.
 */
export async function startDetachedLocalStack(
  options: Omit<LocalStackOptions, 'detached'> = {},
  stateFile: string = resolveStateFile(),
): Promise<LocalStack> {
  if (existsSync(stateFile)) {
    const previous = attachLocalStack(stateFile, { allowStopped: true });
    if (deadChildren(readState(stateFile)).length === 0) {
      throw new LocalStackStateError(stateFile, 'a local stack is already running: run `portcullis local down` first');
    }
    await previous.stop();
  }
  const state = await startLocalStackState({ ...options, detached: true });
  const stack = createStackHandle(state, { ownChildren: false, stateFile });
  try {
    mkdirSync(dirname(stateFile), { recursive: true });
    const temporary = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, stateFile); // atomic: a concurrent `env` never sees half a file
  } catch (error) {
    await stack.stop(); // without a state file nobody could find these children again
    throw new LocalStackStateError(stateFile, `cannot be written: ${(error as Error).message}`, error);
  }
  return stack;
}
