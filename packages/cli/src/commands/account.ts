/**
 * `portcullis account show [--issuer <id>] [--key-store file|secrets-manager]` and
 * `portcullis account rollover [--issuer <id>] [--key-store file|secrets-manager]`: the ACME account of a
 * configured issuer — its URL and key thumbprint — and the rotation of its key (runbook rotate-account-key.md).
 * Only JWK thumbprints are printed, never keys. Exit codes: 0 done; 1 the rollover could not be verified, no key
 * is stored (show), or the command could not run. See ops/account.ts.
 */
import { type Command, Option } from 'commander';
import {
  acmeEngineFor,
  issuerEnv,
  KeyStoreKind,
  keyStoreKindFor,
  openKeyStore,
  rolloverAccount,
  showAccount,
} from '../ops/account.js';
import { ExitCode, type OpsIo, processOpsIo } from '../ops/io.js';
import { renderTable } from '../runtime/format.js';

export interface AccountFlags {
  readonly issuer?: string;
  readonly keyStore?: KeyStoreKind;
}

export async function runAccountShow(flags: AccountFlags, io: OpsIo): Promise<boolean> {
  const issuer = issuerEnv(io.env, flags.issuer);
  const opened = openKeyStore(io.env, keyStoreKindFor(io.env, flags.keyStore));
  try {
    io.err(`… reading the account of ${issuer.id}`);
    const view = await showAccount(issuer.id, acmeEngineFor(issuer, opened.store));
    io.out(
      renderTable(
        ['FIELD', 'VALUE'],
        [
          ['issuer', view.issuerId],
          ['directory', view.directoryUrl],
          ['key store', opened.description],
          ['key name', view.keyName],
          ['account', view.url ?? '- (no key stored: the account is created by the first issuance)'],
          ['key thumbprint', view.thumbprint ?? '-'],
          ...(view.pendingRolloverResolved ? [['note', 'an interrupted rollover was found and finished']] : []),
        ],
      ),
    );
    const ok = view.url !== undefined;
    io.setExitCode(ok ? ExitCode.Ok : ExitCode.Problem);
    return ok;
  } finally {
    opened.close();
  }
}

export async function runAccountRollover(flags: AccountFlags, io: OpsIo): Promise<boolean> {
  const issuer = issuerEnv(io.env, flags.issuer);
  const opened = openKeyStore(io.env, keyStoreKindFor(io.env, flags.keyStore));
  try {
    io.err(`key store: ${opened.description}`);
    const outcome = await rolloverAccount(issuer, opened.store, (label) => io.err(`… ${label}`));
    io.out(
      renderTable(
        ['FIELD', 'VALUE'],
        [
          ['issuer', outcome.issuerId],
          ['account', outcome.url],
          ['old key thumbprint', outcome.before],
          ['new key thumbprint', outcome.after],
        ],
      ),
    );
    io.out(
      outcome.verified
        ? '✔ the CA answers to the new key; the old key no longer works'
        : '✖ a new client with the stored key did not find the same account: check the key store',
    );
    io.setExitCode(outcome.verified ? ExitCode.Ok : ExitCode.Problem);
    return outcome.verified;
  } finally {
    opened.close();
  }
}

function withAccountOptions(command: Command): Command {
  return command
    .option('--issuer <id>', 'issuer id: the primary (PORTCULLIS_ACME_*) by default, or one of PORTCULLIS_ACME_ISSUERS')
    .addOption(
      new Option(
        '--key-store <kind>',
        'where the account key lives (default: secrets-manager when PORTCULLIS_AWS_ENDPOINT or ' +
          'PORTCULLIS_ACCOUNT_KEY_PREFIX is set, as the functions use; else file, as `issue` uses)',
      ).choices(Object.values(KeyStoreKind)),
    );
}

export function registerAccountCommands(program: Command, io: OpsIo = processOpsIo): void {
  const account = program
    .command('account')
    .description('the ACME account of a configured issuer (keys are shown only as JWK thumbprints)')
    .addHelpText(
      'after',
      '\nExit codes: 0 done; 1 no key stored (show), the rollover could not be verified, or the command failed.',
    );
  withAccountOptions(account.command('show').description('print the account URL and its key thumbprint')).action(
    async (flags: AccountFlags) => {
      await runAccountShow(flags, io);
    },
  );
  withAccountOptions(
    account
      .command('rollover')
      .description('replace the account key (RFC 8555 key change; crash-safe) and print old/new thumbprints'),
  ).action(async (flags: AccountFlags) => {
    await runAccountRollover(flags, io);
  });
}
