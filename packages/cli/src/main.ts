import { describeError } from './commands/issue.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`portcullis: ${describeError(error)}\n`);
  process.exitCode = 1;
}
