import { describe, expect, it } from 'vitest';
import {
  OversizedRecordSetError,
  packBatches,
  planMerge,
  planRemove,
  type RecordSetChange,
  type TxtRecordSet,
} from './change-batch.js';

const NAME = '_acme-challenge.example.test';
const set = (values: string[], ttl = 300): TxtRecordSet => ({ name: `${NAME}.`, ttl, values });

describe('planMerge', () => {
  const cases: Record<string, { current?: TxtRecordSet; add: string[]; want: RecordSetChange['changes'] | undefined }> =
    {
      'creates the set when the name has none': {
        add: ['apex', 'wildcard'],
        want: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: `${NAME}.`,
              Type: 'TXT',
              TTL: 60,
              ResourceRecords: [{ Value: '"apex"' }, { Value: '"wildcard"' }],
            },
          },
        ],
      },
      'swaps the exact current set for the merged one, keeping its TTL and foreign values': {
        current: set(['"foreign"']),
        add: ['ours'],
        want: [
          {
            Action: 'DELETE',
            ResourceRecordSet: { Name: `${NAME}.`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"foreign"' }] },
          },
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: `${NAME}.`,
              Type: 'TXT',
              TTL: 300,
              ResourceRecords: [{ Value: '"foreign"' }, { Value: '"ours"' }],
            },
          },
        ],
      },
      'changes nothing when every value is already there, however it is quoted': {
        current: set(['ours', '"other"']),
        add: ['ours', 'other'],
        want: undefined,
      },
    };
  it.each(Object.entries(cases))('%s', (_name, { current, add, want }) => {
    expect(planMerge(NAME, current, add, 60)?.changes).toEqual(want);
  });
});

describe('planRemove', () => {
  const cases: Record<
    string,
    { current?: TxtRecordSet; remove: string[]; want: RecordSetChange['changes'] | undefined }
  > = {
    'deletes the whole set when only our values are in it': {
      current: set(['"a"', '"b"']),
      remove: ['a', 'b'],
      want: [
        {
          Action: 'DELETE',
          ResourceRecordSet: {
            Name: `${NAME}.`,
            Type: 'TXT',
            TTL: 300,
            ResourceRecords: [{ Value: '"a"' }, { Value: '"b"' }],
          },
        },
      ],
    },
    'keeps the values of other writers verbatim': {
      current: set(['"foreign"', '"ours"']),
      remove: ['ours'],
      want: [
        {
          Action: 'DELETE',
          ResourceRecordSet: {
            Name: `${NAME}.`,
            Type: 'TXT',
            TTL: 300,
            ResourceRecords: [{ Value: '"foreign"' }, { Value: '"ours"' }],
          },
        },
        {
          Action: 'CREATE',
          ResourceRecordSet: { Name: `${NAME}.`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"foreign"' }] },
        },
      ],
    },
    'does nothing when our values are gone already': { current: set(['"foreign"']), remove: ['ours'], want: undefined },
    'does nothing when the set is gone': { remove: ['ours'], want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_name, { current, remove, want }) => {
    expect(planRemove(NAME, current, remove)?.changes).toEqual(want);
  });
});

describe('packBatches', () => {
  const swap = (i: number, values = 1, length = 10): RecordSetChange =>
    planMerge(
      `_acme-challenge.n${i}.example.test`,
      {
        name: `_acme-challenge.n${i}.example.test.`,
        ttl: 60,
        values: Array.from({ length: values }, (_, v) => `"${String(v).padStart(length, 'x')}"`),
      },
      ['new'],
      60,
    ) as RecordSetChange;
  const create = (i: number): RecordSetChange =>
    planMerge(`_acme-challenge.n${i}.example.test`, undefined, ['v'], 60) as RecordSetChange;

  const cases: Record<string, { changes: RecordSetChange[]; wantSizes: number[] }> = {
    'keeps an order of 100 new names in one batch': {
      changes: Array.from({ length: 100 }, (_, i) => create(i)),
      wantSizes: [100],
    },
    'splits 51 swaps (102 changes) into two batches without separating a DELETE from its CREATE': {
      changes: Array.from({ length: 51 }, (_, i) => swap(i)),
      wantSizes: [50, 1],
    },
    'splits when the records would pass 1000': {
      changes: Array.from({ length: 3 }, (_, i) => swap(i, 200)),
      wantSizes: [2, 1],
    },
    'splits when the value characters would pass 32000': {
      changes: Array.from({ length: 3 }, (_, i) => swap(i, 20, 400)),
      wantSizes: [1, 1, 1],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { changes, wantSizes }) => {
    const batches = packBatches(changes);
    expect(batches.map((b) => b.length)).toEqual(wantSizes);
    expect(batches.flat()).toEqual(changes);
  });

  it('refuses a record set that alone exceeds a limit, naming it', () => {
    const huge = swap(1, 600);
    expect(() => packBatches([huge])).toThrow(OversizedRecordSetError);
    expect(() => packBatches([huge])).toThrow(/_acme-challenge.n1.example.test needs 1201 records/);
  });
});
