import type { LocalStack } from '@portcullis/local';
import { describe, expect, it } from 'vitest';
import { type LocalRuntimeOptions, startLocalRuntime } from './local-runtime.js';

/** Options are checked before the stack is touched: an empty object stands in for it. */
const noStack = {} as LocalStack;

describe('startLocalRuntime options', () => {
  const refused: Record<string, { options: LocalRuntimeOptions; field: string }> = {
    'refuses a plan interval below 100 ms': { options: { planIntervalMs: 10 }, field: 'planIntervalMs' },
    'refuses a monitor interval below 100 ms that is not 0 (off)': {
      options: { monitorIntervalMs: 50 },
      field: 'monitorIntervalMs',
    },
    'refuses a fractional monitor interval': { options: { monitorIntervalMs: 1000.5 }, field: 'monitorIntervalMs' },
    'refuses a max receive count of 0': { options: { maxReceiveCount: 0 }, field: 'maxReceiveCount' },
  };
  it.each(Object.entries(refused))('%s', async (_name, { options, field }) => {
    await expect(startLocalRuntime(noStack, options)).rejects.toMatchObject({ field });
  });

  it('checks the stack only after the options: without moto it names stack.moto', async () => {
    await expect(startLocalRuntime(noStack, { monitorIntervalMs: 0 })).rejects.toMatchObject({ field: 'stack.moto' });
  });
});
