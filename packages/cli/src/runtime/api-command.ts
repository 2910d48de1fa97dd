/** What the API commands (`status`, `list`, `renew`, `revoke`, `events`) share: the `--api` option and their I/O. */
import type { Command } from 'commander';
import { ApiClient, resolveApiUrl } from './api-client.js';

export interface ApiCommandIo {
  out(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** "Now" for days-left columns (tests may fix it). */
  readonly now?: () => Date;
}

export const processApiIo: ApiCommandIo = { out: (text) => process.stdout.write(`${text}\n`), env: process.env };

export interface ApiFlags {
  readonly api?: string;
}

export function withApiOption(command: Command): Command {
  return command.option('--api <url>', 'Portcullis API base URL (default: $PORTCULLIS_API_URL)');
}

export function apiClient(flags: ApiFlags, io: ApiCommandIo): ApiClient {
  return new ApiClient(resolveApiUrl(flags.api, io.env));
}
