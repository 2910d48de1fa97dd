/**
 * `portcullis list`: the caller's certificates from the API, days left coloured by how close expiry is. Without
 * `--sort` it prints one page (`--cursor` for the next); with `--sort` it fetches every page first (progress on
 * stderr when there are several), since an order over one page would mislead.
 */
import type { Command } from 'commander';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { formatList, parseListSort, sortCertificates } from '../views/list-view.js';
import { fetchAllPages } from '../views/pages.js';
import { type ColourFlags, coloursFor, processViewIo, type ViewIo } from '../views/terminal.js';

export interface ListFlags extends ApiFlags, ColourFlags {
  readonly name?: string;
  readonly ready?: 'true' | 'false';
  readonly limit?: string;
  readonly cursor?: string;
  readonly sort?: string;
  readonly reverse?: boolean;
}

export async function runList(flags: ListFlags, io: ViewIo): Promise<void> {
  const sort = parseListSort(flags.sort ?? (flags.reverse === true ? 'id' : undefined));
  const query: Record<string, string> = {};
  for (const key of ['name', 'ready', 'limit', 'cursor'] as const) {
    const value = flags[key];
    if (value !== undefined) query[key] = value;
  }
  const client = apiClient(flags, io);
  const now = io.now?.() ?? new Date();
  const colours = coloursFor(flags, io);
  if (sort === undefined) {
    const page = await client.list(query);
    io.out(formatList(page.items, now, colours));
    if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor}`);
    return;
  }
  const items = await fetchAllPages(
    (cursor) => client.list(cursor === undefined ? query : { ...query, cursor }),
    io,
    'certificates',
  );
  io.out(formatList(sortCertificates(items, sort, now, flags.reverse === true), now, colours));
}

export function registerListCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('list').description('list certificates, days left coloured by urgency'))
    .option('--name <name>', 'only certificates covering this name')
    .option('--ready <bool>', 'only Ready (true) or not Ready (false)')
    .option('--sort <key>', 'days (soonest expiry first) | name | id; fetches every page')
    .option('--reverse', 'reverse the order (implies --sort id when no --sort)')
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'continue after a previous page (without --sort)')
    .option('--no-color', 'plain text even on a terminal (also NO_COLOR=1)')
    .action((flags: ListFlags) => runList(flags, io));
}
