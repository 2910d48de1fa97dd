/** `portcullis list`: the caller's certificates from the API, one page at a time (`--cursor` for the next). */
import type { Command } from 'commander';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';
import { formatList } from '../runtime/format.js';

export interface ListFlags extends ApiFlags {
  readonly name?: string;
  readonly ready?: 'true' | 'false';
  readonly limit?: string;
  readonly cursor?: string;
}

export async function runList(flags: ListFlags, io: ApiCommandIo): Promise<void> {
  const query: Record<string, string> = {};
  for (const key of ['name', 'ready', 'limit', 'cursor'] as const) {
    const value = flags[key];
    if (value !== undefined) query[key] = value;
  }
  const page = await apiClient(flags, io).list(query);
  io.out(formatList(page.items, io.now?.() ?? new Date()));
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor}`);
}

export function registerListCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('list').description('list certificates'))
    .option('--name <name>', 'only certificates covering this name')
    .option('--ready <bool>', 'only Ready (true) or not Ready (false)')
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action((flags: ListFlags) => runList(flags, io));
}
