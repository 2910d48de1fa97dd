/**
 * The buf workspace that code generation reads: the Envoy API protos and their dependencies exactly as they ship in
 * `@grpc/grpc-js-xds` (`deps/`), so the generated types match the protos the xDS client in our tests was built from.
 *
 * One deviation, applied at generation time and never to node_modules: the `validate.proto` bundled there is older
 * than the Envoy protos next to it — `envoy/config/core/v3/protocol.proto` uses `(validate.rules).string.ignore_empty`,
 * which that copy lacks, and buf refuses to compile the option. We add the field with its upstream number (26, as in
 * protoc-gen-validate's own `validate.proto`), so the descriptors we embed stay wire-compatible with upstream.
 *
 * Every byte of this file feeds the codegen stamp (see stamp.ts): editing it marks the generated code stale.
 */

/** Directory, relative to the gateway package, where generate.ts assembles the workspace (gitignored `.tmp`). */
export const WORKSPACE_DIR = '.tmp/proto-workspace';

/** Folders of `@grpc/grpc-js-xds/deps` linked into the workspace unchanged, one buf module each. */
export const LINKED_MODULES = ['envoy-api', 'xds', 'googleapis'] as const;

/** Module holding the patched `validate/validate.proto` (protoc-gen-validate's java/ and tests/ are left out). */
export const VALIDATE_MODULE = 'pgv';

export const BUF_YAML = `version: v2
modules:
${[...LINKED_MODULES, VALIDATE_MODULE].map((path) => `  - path: ${path}\n`).join('')}`;

/** The line after which the missing field goes, and the field itself. */
const STRICT_FIELD = /^(\s*)optional bool strict = 25[^\n]*\n/m;
const IGNORE_EMPTY_FIELD = 'optional bool ignore_empty = 26;';

/**
 * Returns the bundled validate.proto with `StringRules.ignore_empty` added. Throws if the anchor moved, so a new
 * grpc-js-xds release fails generation loudly instead of silently producing different descriptors.
 */
export function patchValidateProto(source: string): string {
  if (source.includes(IGNORE_EMPTY_FIELD)) return source;
  const match = STRICT_FIELD.exec(source);
  if (match === null) {
    throw new Error('gen:protos: validate/validate.proto: StringRules.strict (field 25) not found; revisit the patch');
  }
  const indent = match[1] ?? '  ';
  const insertAt = match.index + match[0].length;
  const added = `\n${indent}// Added by Portcullis codegen (upstream protoc-gen-validate field 26).\n${indent}${IGNORE_EMPTY_FIELD}\n`;
  return source.slice(0, insertAt) + added + source.slice(insertAt);
}
