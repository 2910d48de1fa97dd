import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ENV, chromiumArguments, findChromium } from './chromium.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chromium-lookup-'));
  for (const name of ['chromium-browser', 'chromium']) {
    await writeFile(join(dir, name), '#!/bin/sh\n');
  }
  await chmod(join(dir, 'chromium-browser'), 0o755);
  // `chromium` exists but is not executable: skipped.
  await chmod(join(dir, 'chromium'), 0o644);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findChromium', () => {
  it('takes $PORTCULLIS_CHROMIUM first', async () => {
    expect(await findChromium({ [CHROMIUM_ENV]: '/opt/chrome', PATH: dir })).toBe('/opt/chrome');
  });

  it('finds the first executable name on PATH', async () => {
    expect(await findChromium({ PATH: ['/nonexistent', dir].join(delimiter) })).toBe(join(dir, 'chromium-browser'));
  });

  it('answers undefined when there is none', async () => {
    expect(await findChromium({ PATH: '/nonexistent' })).toBeUndefined();
  });
});

describe('chromiumArguments', () => {
  it('runs headless without sandbox, GPU or background networking, at the asked size, on a file URL', () => {
    const args = chromiumArguments(
      { chromium: 'chromium', htmlFile: '/tmp/r a.html', pngFile: '/tmp/r.png', width: 1400, height: 900 },
      '/tmp/profile',
    );
    expect(args).toEqual(
      expect.arrayContaining([
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--user-data-dir=/tmp/profile',
        '--screenshot=/tmp/r.png',
        '--window-size=1400,900',
      ]),
    );
    expect(args.at(-1)).toBe('file:///tmp/r%20a.html');
  });
});
