import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The codegen stamp: a small JSON file written next to the generated code that records what it was generated from
 * (a hash of the generation config and tool versions) and what was generated (a hash per file). A unit test compares
 * it with the current config and files, so a changed config, a bumped tool or a hand edit fails fast without running
 * buf (which takes seconds and is not needed to type-check or test).
 */

/** The gateway package directory. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
export const GENERATED_DIR = join(PACKAGE_DIR, 'src', 'generated');
export const STAMP_FILE = join(GENERATED_DIR, 'codegen-stamp.json');

/** Files whose content decides the generated output. */
const CONFIG_FILES = ['buf.gen.yaml', 'src/envoy/codegen/workspace.ts'] as const;
/** Packages whose version decides the generated output (protos, generator, runtime it targets, compiler). */
const TOOL_PACKAGES = ['@grpc/grpc-js-xds', '@bufbuild/protoc-gen-es', '@bufbuild/protobuf', '@bufbuild/buf'] as const;

export interface CodegenStamp {
  readonly note: string;
  readonly inputHash: string;
  readonly versions: Record<string, string>;
  /** Generated file (relative to src/generated, `/`-separated) → sha256 of its content. */
  readonly files: Record<string, string>;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Finds an installed package's directory the way Node looks it up from this package. Not `require.resolve`:
 * some packages (@bufbuild/protobuf) do not export their package.json.
 */
export function findPackageDir(name: string): string {
  const require = createRequire(join(PACKAGE_DIR, 'package.json'));
  for (const base of require.resolve.paths(name) ?? []) {
    if (existsSync(join(base, name, 'package.json'))) return join(base, name);
  }
  throw new Error(`gen:protos: package ${name} is not installed (run npm ci)`);
}

export function readToolVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of TOOL_PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(findPackageDir(name), 'package.json'), 'utf8')) as {
      version: string;
    };
    versions[name] = manifest.version;
  }
  return versions;
}

export function computeInputHash(versions: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const file of CONFIG_FILES) hash.update(`${file}\n`).update(readFileSync(join(PACKAGE_DIR, file)));
  hash.update(JSON.stringify(versions));
  return hash.digest('hex');
}

/** Hashes every generated file except the stamp itself. */
export function hashGeneratedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path !== STAMP_FILE)
        files[relative(GENERATED_DIR, path).split(sep).join('/')] = sha256(readFileSync(path));
    }
  };
  walk(GENERATED_DIR);
  return files;
}

export function computeStamp(): CodegenStamp {
  const versions = readToolVersions();
  return {
    note: 'Written by `npm run gen:protos`; do not edit. src/envoy/codegen/stamp.test.ts checks it.',
    inputHash: computeInputHash(versions),
    versions,
    files: hashGeneratedFiles(),
  };
}

export function readStamp(): CodegenStamp {
  return JSON.parse(readFileSync(STAMP_FILE, 'utf8')) as CodegenStamp;
}
