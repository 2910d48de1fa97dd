/** Plain-text tables: columns padded to their widest cell, measured without ANSI colour codes. */
import { stripVTControlCharacters } from 'node:util';

export function visibleWidth(text: string): number {
  return stripVTControlCharacters(text).length;
}

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(cell))),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
