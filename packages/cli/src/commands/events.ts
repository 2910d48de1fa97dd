/** `portcullis events <id>`: a certificate's lifecycle history (requested, issued, delivered, renewed, ...). */
import type { Command } from 'commander';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';
import { formatEvents } from '../runtime/format.js';

export interface EventsFlags extends ApiFlags {
  readonly limit?: string;
  readonly cursor?: string;
}

export async function runEvents(id: string, flags: EventsFlags, io: ApiCommandIo): Promise<void> {
  const query: Record<string, string> = {};
  if (flags.limit !== undefined) query.limit = flags.limit;
  if (flags.cursor !== undefined) query.cursor = flags.cursor;
  const page = await apiClient(flags, io).events(id, query);
  io.out(formatEvents(page.items));
  if (page.nextCursor !== undefined) io.out(`more: --cursor ${page.nextCursor}`);
}

export function registerEventsCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('events').description("show a certificate's lifecycle events"))
    .argument('<id>', 'certificate id')
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action((id: string, flags: EventsFlags) => runEvents(id, flags, io));
}
