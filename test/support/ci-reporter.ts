import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line CI counts (`vitest: N passed, N failed, N skipped`) as the very last line,
 * uncoloured. vitest's own summary is coloured under CI and not in that form. A test file that fails to load
 * (no tests collected, module errored) counts as one failure, and so does every unhandled error, so a broken
 * import can never look green.
 */
export class CiSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      if (module.errors().length > 0 && countTests(module) === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    process.stdout.write(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

function countTests(module: TestModule): number {
  let n = 0;
  for (const _ of module.children.allTests()) n += 1;
  return n;
}
