import { existsSync } from 'node:fs';
import {
  attachLocalStack,
  formatShellExports,
  type LocalStackOptions,
  LocalStackStateError,
  resolveStateFile,
  startDetachedLocalStack,
} from '@portcullis/local';
import { type Command, InvalidArgumentError } from 'commander';

/**
 * `portcullis local up|env|down`: the local stack (pebble + bind9 + moto_server) for people. `up` starts it
 * detached and writes a state file; `env` prints `export PORTCULLIS_...` lines for `eval "$(portcullis local env)"`;
 * `down` stops it by the PIDs in the state file. The state file is `$PORTCULLIS_LOCAL_STATE`, else
 * `$PORTCULLIS_LOCAL_DIR/state.json`, else `<repo>/.tmp/local-stack/state.json`; `--state-file` overrides all.
 */

/** Where the commands write; injectable so tests read the output instead of the terminal. */
export interface LocalCommandIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const processIo: LocalCommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

function parseInteger(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    }
    return parsed;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Options of `local up` as commander parses them. */
export interface LocalUpFlags {
  readonly eab?: boolean;
  readonly nonceReject?: number;
  readonly alternateRoots?: number;
  readonly chainLength?: number;
  readonly validitySeconds?: number;
  readonly zone?: string[];
  readonly moto: boolean;
  readonly dnsPort?: number;
  readonly acmePort?: number;
  readonly http01Port?: number;
  readonly motoPort?: number;
}

/** Maps the flags of `local up` to stack options (validated again by the stack before anything starts). */
export function toLocalStackOptions(flags: LocalUpFlags): Omit<LocalStackOptions, 'detached'> {
  const pebble = {
    ...(flags.eab === true ? { eab: true } : {}),
    ...(flags.nonceReject === undefined ? {} : { nonceRejectPercent: flags.nonceReject }),
    ...(flags.alternateRoots === undefined ? {} : { alternateRoots: flags.alternateRoots }),
    ...(flags.chainLength === undefined ? {} : { chainLength: flags.chainLength }),
    ...(flags.validitySeconds === undefined ? {} : { validitySeconds: flags.validitySeconds }),
  };
  const ports = {
    ...(flags.dnsPort === undefined ? {} : { dns: flags.dnsPort }),
    ...(flags.acmePort === undefined ? {} : { acme: flags.acmePort }),
    ...(flags.http01Port === undefined ? {} : { http01: flags.http01Port }),
    ...(flags.motoPort === undefined ? {} : { moto: flags.motoPort }),
  };
  return {
    ...(Object.keys(pebble).length === 0 ? {} : { pebble }),
    ...(flags.zone === undefined ? {} : { zones: flags.zone }),
    ...(flags.moto ? {} : { moto: false }),
    ...(Object.keys(ports).length === 0 ? {} : { ports }),
  };
}

export function registerLocalCommands(program: Command, io: LocalCommandIo = processIo): Command {
  const local = program
    .command('local')
    .description('run pebble (ACME), bind9 (DNS) and moto_server (AWS) on loopback for trying Portcullis out');
  const stateFileOf = (flags: { stateFile?: string }): string => flags.stateFile ?? resolveStateFile(io.env);
  const port = parseInteger(1024, 65_535);

  local
    .command('up')
    .description('start the local stack in the background and write its state file')
    .option('--eab', 'require external account binding (prints the generated kid and HMAC key)')
    .option('--nonce-reject <percent>', 'percentage of good nonces pebble rejects (default 0)', parseInteger(0, 100))
    .option('--alternate-roots <n>', 'alternate root chains pebble offers', parseInteger(0, 10))
    .option('--chain-length <n>', 'intermediates between leaf and root', parseInteger(1, 10))
    .option('--validity-seconds <s>', 'lifetime of issued certificates', parseInteger(1, 315_360_000))
    .option('--zone <zone>', 'zone bind9 is authoritative for (repeat; default example.test, delegated.test)', collect)
    .option('--no-moto', 'do not start moto_server')
    .option('--dns-port <port>', 'fixed port for bind9 (default: a free one)', port)
    .option('--acme-port <port>', 'fixed port for the ACME directory', port)
    .option('--http01-port <port>', 'fixed port pebble dials for HTTP-01', port)
    .option('--moto-port <port>', 'fixed port for moto_server', port)
    .option('--state-file <file>', 'state file to write')
    .action(async (flags: LocalUpFlags & { stateFile?: string }) => {
      const stateFile = stateFileOf(flags);
      const stack = await startDetachedLocalStack(toLocalStackOptions(flags), stateFile);
      io.err(`local stack running (state: ${stateFile}); stop it with \`portcullis local down\``);
      io.out(formatShellExports(stack.env()));
    });

  local
    .command('env')
    .description('print export lines for the running local stack: eval "$(portcullis local env)"')
    .option('--json', 'print a JSON object instead')
    .option('--state-file <file>', 'state file to read')
    .action((flags: { json?: boolean; stateFile?: string }) => {
      const stateFile = stateFileOf(flags);
      if (!existsSync(stateFile))
        throw new LocalStackStateError(stateFile, 'does not exist: run `portcullis local up` first');
      const env = attachLocalStack(stateFile).env();
      io.out(flags.json === true ? JSON.stringify(env, null, 2) : formatShellExports(env));
    });

  local
    .command('down')
    .description('stop the local stack by the PIDs in its state file and remove its files')
    .option('--state-file <file>', 'state file to read')
    .action(async (flags: { stateFile?: string }) => {
      const stateFile = stateFileOf(flags);
      if (!existsSync(stateFile)) {
        io.err(`local stack: nothing to stop (no state file at ${stateFile})`);
        return; // stopping what is not running is success
      }
      await attachLocalStack(stateFile, { allowStopped: true }).stop();
      io.err('local stack stopped');
    });

  return local;
}
