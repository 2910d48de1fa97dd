import { describe, expect, it } from 'vitest';
import { expandWords, parseRunbook } from './runbook-commands.js';

describe('parseRunbook', () => {
  it('reads the portcullis lines of sh blocks only, with their line numbers and variables', () => {
    const markdown = [
      '# Title',
      'portcullis outside-a-block',
      '```sh',
      '# a comment',
      'portcullis status $CERT_ID',
      '',
      'portcullis doctor $NAME # may exit 1',
      '```',
      '```text',
      'not a command',
      '```',
    ].join('\n');
    const runbook = parseRunbook('x.md', markdown);
    expect(runbook.commands).toEqual([
      { line: 5, text: 'portcullis status $CERT_ID', words: ['status', '$CERT_ID'], mayExitOne: false },
      { line: 7, text: 'portcullis doctor $NAME', words: ['doctor', '$NAME'], mayExitOne: true },
    ]);
    expect(runbook.variables).toEqual(['CERT_ID', 'NAME']);
  });

  it('refuses a step that is not a portcullis command, naming file and line', () => {
    expect(() => parseRunbook('y.md', '```sh\naws acm list-certificates\n```')).toThrow(/y\.md:2: .*portcullis/);
  });

  it('expands variables and names an unset one', () => {
    const [command] = parseRunbook('z.md', '```sh\nportcullis restore $CERT_ID --serial $SERIAL\n```').commands;
    if (command === undefined) throw new Error('no command parsed');
    expect(expandWords(command, { CERT_ID: 'c1', SERIAL: 'ab' }, 'z.md')).toEqual(['restore', 'c1', '--serial', 'ab']);
    expect(() => expandWords(command, { CERT_ID: 'c1' }, 'z.md')).toThrow(/z\.md:2: \$SERIAL is not set/);
  });
});
