/** Every page of a cursor-paged API listing (`list --sort`, `report`), with progress once it takes more than one. */
import type { Page } from '../runtime/api-client.js';
import { ViewError, ViewErrorCode } from './errors.js';
import { createProgress } from './progress.js';
import type { ViewIo } from './terminal.js';

/** Guards against an API that keeps answering the same cursor. */
const MAX_PAGES = 10_000;

export async function fetchAllPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  io: ViewIo,
  what: string,
): Promise<T[]> {
  const items: T[] = [];
  const progress = createProgress(io, `fetching ${what}`);
  let cursor: string | undefined;
  let pages = 0;
  try {
    do {
      const page = await fetchPage(cursor);
      items.push(...page.items);
      pages += 1;
      if (page.nextCursor !== undefined && page.nextCursor === cursor) {
        throw new ViewError(
          ViewErrorCode.RepeatedCursor,
          `Portcullis API: listing ${what} returned the same cursor twice (${cursor})`,
        );
      }
      cursor = page.nextCursor;
      // One page is quick; say something only once paging has started.
      if (cursor !== undefined) progress.update(`${items.length} after ${pages} page${pages === 1 ? '' : 's'}`);
    } while (cursor !== undefined && pages < MAX_PAGES);
  } finally {
    progress.done(pages > 1 ? `${items.length} ${what} in ${pages} pages` : undefined);
  }
  return items;
}
