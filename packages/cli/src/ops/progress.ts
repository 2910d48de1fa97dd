/**
 * Steps of the operations commands on stderr, drawn by the views' progress line (views/progress.ts: a spinner
 * rewritten in place on a terminal, one plain `<command>: <step> (+1.2s)` line per step elsewhere), so every
 * command of the CLI shows progress the same way. This adapter only adds "run this work as one step".
 */
import { createProgress as createViewProgress } from '../views/progress.js';
import type { OpsIo } from './io.js';

export interface Progress {
  /** Runs `work` as one named step, shown while it runs. */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export function createProgress(
  io: Pick<OpsIo, 'out' | 'err' | 'errRaw' | 'interactive' | 'env'>,
  command: string,
): Progress {
  return {
    step: async (label, work) => {
      const progress = createViewProgress(
        {
          out: io.out,
          err: io.err,
          env: io.env,
          ...(io.errRaw === undefined ? {} : { errRaw: io.errRaw }),
          stderrIsTty: io.interactive === true,
        },
        command,
      );
      progress.update(label);
      try {
        return await work();
      } finally {
        progress.done();
      }
    },
  };
}
