/** `portcullis list`: one line per certificate, sortable, days left coloured by how close expiry is. */
import { ValidationError } from '@portcullis/core';
import type { CertificateView } from '../runtime/api-client.js';
import { daysLeftCell, msLeft } from './expiry.js';
import { renderTable } from './table.js';
import { type Colours, plainColours } from './terminal.js';

export const ListSort = {
  /** Soonest expiry first; certificates without one (not issued yet) last. */
  Days: 'days',
  /** By first DNS name. */
  Name: 'name',
  /** By certificate id. */
  Id: 'id',
} as const;
export type ListSort = (typeof ListSort)[keyof typeof ListSort];

export function parseListSort(value: string | undefined): ListSort | undefined {
  if (value === undefined) return undefined;
  if (Object.values(ListSort).includes(value as ListSort)) return value as ListSort;
  throw new ValidationError('--sort', 'enum', `"${value}" must be one of ${Object.values(ListSort).join(', ')}`);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A new array in the asked order; ties broken by id so the output is stable. `reverse` flips the whole order. */
export function sortCertificates<T extends CertificateView>(
  items: readonly T[],
  sort: ListSort,
  now: Date,
  reverse = false,
): T[] {
  const primary: Record<ListSort, (a: T, b: T) => number> = {
    [ListSort.Days]: (a, b) => {
      const left = (v: T) => msLeft(v.status.notAfter, now) ?? Number.POSITIVE_INFINITY;
      return left(a) === left(b) ? 0 : left(a) < left(b) ? -1 : 1;
    },
    [ListSort.Name]: (a, b) => compareText(a.spec.names[0] ?? '', b.spec.names[0] ?? ''),
    [ListSort.Id]: () => 0,
  };
  const sorted = [...items].sort((a, b) => primary[sort](a, b) || compareText(a.id, b.id));
  return reverse ? sorted.reverse() : sorted;
}

export function formatList(
  items: readonly CertificateView[],
  now: Date = new Date(),
  colours: Colours = plainColours,
): string {
  return renderTable(
    ['ID', 'READY', 'REVISION', 'SERIAL', 'DAYS LEFT', 'NOT AFTER', 'NAMES'],
    items.map((v) => [
      v.id,
      v.status.ready === 'True' ? v.status.ready : colours.yellow(v.status.ready),
      String(v.status.revision),
      v.status.serial ?? '-',
      daysLeftCell(v.status, now, colours),
      v.status.notAfter ?? '-',
      v.spec.names.join(','),
    ]),
  );
}
