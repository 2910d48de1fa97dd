/**
 * `report --png` and the report test: a screenshot of the HTML report by headless Chromium (Debian package
 * `chromium`). The flags keep it self-contained on a CI machine as root: no sandbox (root, containers), no GPU,
 * a throwaway profile, and no background networking — the report loads nothing and Chromium must not either.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ViewError, ViewErrorCode } from '../views/errors.js';

const run = promisify(execFile);

/** Path of the Chromium binary to use instead of searching PATH. */
export const CHROMIUM_ENV = 'PORTCULLIS_CHROMIUM';
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** `$PORTCULLIS_CHROMIUM`, else the first of CHROMIUM_NAMES on PATH; undefined when there is none. */
export async function findChromium(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const explicit = env[CHROMIUM_ENV];
  if (explicit !== undefined && explicit !== '') return explicit;
  for (const name of CHROMIUM_NAMES) {
    for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
      const candidate = join(dir, name);
      try {
        await access(candidate, 1 /* X_OK */);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

export interface ScreenshotOptions {
  readonly chromium: string;
  readonly htmlFile: string;
  readonly pngFile: string;
  readonly width?: number;
  readonly height?: number;
  /** Default 60 s: a cold Chromium start on a busy 2-core CI machine takes a few seconds. */
  readonly timeoutMs?: number;
}

/** The exact command line (also what CI needs to know). */
export function chromiumArguments(options: ScreenshotOptions, profileDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--no-pings',
    `--user-data-dir=${profileDir}`,
    `--screenshot=${resolve(options.pngFile)}`,
    `--window-size=${options.width ?? 1400},${options.height ?? 900}`,
    pathToFileURL(resolve(options.htmlFile)).href,
  ];
}

export async function screenshotHtml(options: ScreenshotOptions): Promise<void> {
  const profileDir = await mkdtemp(join(tmpdir(), 'portcullis-chromium-'));
  try {
    await run(options.chromium, chromiumArguments(options, profileDir), {
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 4 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stderr?: string; message?: string };
    throw new ViewError(
      ViewErrorCode.ScreenshotFailed,
      `chromium ${options.chromium}: screenshot of ${options.htmlFile} failed: ${(failed.stderr ?? failed.message ?? '').trim().split('\n').slice(-3).join(' | ')}`,
      { cause: error },
    );
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
  const written = await stat(options.pngFile).catch(() => undefined);
  if (written === undefined || written.size === 0) {
    throw new ViewError(
      ViewErrorCode.ScreenshotFailed,
      `chromium ${options.chromium}: wrote no screenshot at ${options.pngFile}`,
    );
  }
}
