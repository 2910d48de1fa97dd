import { describe, expect, it } from 'vitest';
import type { Page } from '../runtime/api-client.js';
import { ViewErrorCode } from './errors.js';
import { fetchAllPages } from './pages.js';
import type { ViewIo } from './terminal.js';

/** An in-memory paged listing (unit test: the API's paging is exercised for real in test/cli). */
function pages(items: number[], size: number) {
  const asked: (string | undefined)[] = [];
  const fetch = async (cursor: string | undefined): Promise<Page<number>> => {
    asked.push(cursor);
    const start = cursor === undefined ? 0 : Number(cursor);
    const next = start + size;
    return { items: items.slice(start, next), ...(next < items.length ? { nextCursor: String(next) } : {}) };
  };
  return { fetch, asked };
}

function io() {
  const err: string[] = [];
  const view: ViewIo = { out: () => {}, err: (t) => err.push(t), env: {}, stderrIsTty: false };
  return { view, err };
}

describe('fetchAllPages', () => {
  it('follows nextCursor to the end and reports progress only when there are several pages', async () => {
    const { fetch, asked } = pages([1, 2, 3, 4, 5], 2);
    const { view, err } = io();
    expect(await fetchAllPages(fetch, view, 'certificates')).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, '2', '4']);
    expect(err.map((l) => l.replace(/ \(\+[\d.]+s\)$/, ''))).toEqual([
      'fetching certificates: 2 after 1 page',
      'fetching certificates: 4 after 2 pages',
      'fetching certificates: 5 certificates in 3 pages',
    ]);
  });

  it('says nothing for a single page', async () => {
    const { fetch } = pages([1], 10);
    const { view, err } = io();
    expect(await fetchAllPages(fetch, view, 'alerts')).toEqual([1]);
    expect(err).toEqual([]);
  });

  it('stops with an error when the API repeats a cursor', async () => {
    const { view } = io();
    const stuck = async (): Promise<Page<number>> => ({ items: [1], nextCursor: 'same' });
    await expect(fetchAllPages(stuck, view, 'alerts')).rejects.toMatchObject({ code: ViewErrorCode.RepeatedCursor });
  });
});
