/**
 * What every benchmark script shares: markdown to stdout, progress to stderr, and flag parsing that prints the
 * usage on `--help` (exit 0) or on a bad flag (exit 2) instead of a stack trace.
 */
import { resolve } from 'node:path';
import { ValidationError } from '@portcullis/core';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const progress = (text: string): void => void process.stderr.write(`${text}\n`);
export const out = (text = ''): void => void process.stdout.write(`${text}\n`);

export function parseOrExit<T extends { readonly help?: boolean }>(
  parse: (argv: readonly string[]) => T,
  usage: string,
): T {
  try {
    const options = parse(process.argv.slice(2));
    if (options.help) {
      out(usage);
      process.exit(0);
    }
    return options;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${usage}\n`);
    process.exit(2);
  }
}
