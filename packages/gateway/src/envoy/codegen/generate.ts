/**
 * `npm run gen:protos`: regenerates src/generated from the Envoy API protos shipped in @grpc/grpc-js-xds.
 * Offline: buf compiles locally and runs the protoc-gen-es plugin from node_modules; no registry is contacted.
 *
 * Steps: assemble the buf workspace (workspace.ts) under .tmp/, run `buf generate` with buf.gen.yaml (which cleans
 * src/generated first), then write the codegen stamp (stamp.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { computeStamp, findPackageDir, PACKAGE_DIR, STAMP_FILE } from './stamp.js';
import { BUF_YAML, LINKED_MODULES, patchValidateProto, VALIDATE_MODULE, WORKSPACE_DIR } from './workspace.js';

function assembleWorkspace(): void {
  const depsDir = join(findPackageDir('@grpc/grpc-js-xds'), 'deps');
  const workspace = join(PACKAGE_DIR, WORKSPACE_DIR);
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(join(workspace, VALIDATE_MODULE, 'validate'), { recursive: true });
  for (const module of LINKED_MODULES) symlinkSync(join(depsDir, module), join(workspace, module), 'dir');
  const validate = readFileSync(join(depsDir, 'protoc-gen-validate', 'validate', 'validate.proto'), 'utf8');
  writeFileSync(join(workspace, VALIDATE_MODULE, 'validate', 'validate.proto'), patchValidateProto(validate));
  writeFileSync(join(workspace, 'buf.yaml'), BUF_YAML);
}

function runBuf(): void {
  // node_modules/.bin next to the installed plugin (`@bufbuild/protoc-gen-es` → ../../.bin).
  const binDir = join(findPackageDir('@bufbuild/protoc-gen-es'), '..', '..', '.bin');
  execFileSync(join(binDir, 'buf'), ['generate', '--template', 'buf.gen.yaml'], {
    cwd: PACKAGE_DIR,
    stdio: 'inherit',
    // protoc-gen-es is found on PATH by buf.
    env: { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` },
  });
}

assembleWorkspace();
runBuf();
const stamp = computeStamp();
writeFileSync(STAMP_FILE, `${JSON.stringify(stamp, null, 2)}\n`);
console.log(
  `gen:protos: ${Object.keys(stamp.files).length} files in src/generated, stamp ${stamp.inputHash.slice(0, 12)}`,
);
