/**
 * Reads the `sh` blocks of docs/runbooks/*.md into commands the runbook test runs. A runbook step is one line
 * `portcullis <args>`; `$VARS` are filled from the scenario; a trailing `# may exit 1` accepts exit code 1 (the
 * command's way of reporting a problem, e.g. `doctor`). Anything else in an `sh` block is a defect of the runbook.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunbookCommand {
  /** 1-based line in the markdown file. */
  readonly line: number;
  readonly text: string;
  /** Words after `portcullis`, variables not yet expanded. */
  readonly words: readonly string[];
  readonly mayExitOne: boolean;
}

export interface Runbook {
  readonly file: string;
  readonly name: string;
  readonly commands: readonly RunbookCommand[];
  /** Variables the commands use (`CERT_ID`, ...). */
  readonly variables: readonly string[];
}

const MAY_EXIT_ONE = /\s+#\s*may exit 1\s*$/;

export function parseRunbook(file: string, markdown: string): Runbook {
  const commands: RunbookCommand[] = [];
  let inBlock = false;
  markdown.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inBlock = !inBlock && line === '```sh';
      return;
    }
    if (!inBlock || line === '' || line.startsWith('#')) return;
    const mayExitOne = MAY_EXIT_ONE.test(line);
    const text = line.replace(MAY_EXIT_ONE, '');
    const [program, ...words] = text.split(/\s+/);
    if (program !== 'portcullis' || words.length === 0) {
      throw new Error(`${file}:${index + 1}: a runbook step must be one "portcullis <command>" line, got "${line}"`);
    }
    commands.push({ line: index + 1, text, words, mayExitOne });
  });
  const variables = [...new Set(commands.flatMap((c) => c.words.flatMap((w) => [...w.matchAll(/\$([A-Z_]+)/g)])))]
    .map((m) => m[1] as string)
    .filter((v, i, all) => all.indexOf(v) === i)
    .sort();
  return { file, name: file.replace(/\.md$/, ''), commands, variables };
}

export function readRunbooks(directory: string): readonly Runbook[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .map((file) => parseRunbook(file, readFileSync(join(directory, file), 'utf8')));
}

/** Replaces `$VAR` in each word; an unknown variable is an error naming it. */
export function expandWords(
  command: RunbookCommand,
  variables: Readonly<Record<string, string>>,
  file: string,
): readonly string[] {
  return command.words.map((word) =>
    word.replace(/\$([A-Z_]+)/g, (_, name: string) => {
      const value = variables[name];
      if (value === undefined) throw new Error(`${file}:${command.line}: $${name} is not set by the scenario`);
      return value;
    }),
  );
}
