import { describe, expect, it } from 'vitest';
import { BUF_YAML, patchValidateProto } from './workspace.js';

const STRING_RULES = `message StringRules {
    optional string const = 1;
    optional bool strict = 25 [default = true];
}
`;

describe('patchValidateProto', () => {
  it('adds ignore_empty with its upstream number after strict', () => {
    const patched = patchValidateProto(STRING_RULES);
    expect(patched).toMatch(
      /optional bool strict = 25 \[default = true\];\n\n\s+\/\/ Added by Portcullis.*\n\s+optional bool ignore_empty = 26;\n}/,
    );
  });

  it('leaves a validate.proto that already has the field unchanged', () => {
    const patched = patchValidateProto(STRING_RULES);
    expect(patchValidateProto(patched)).toBe(patched);
  });

  it('fails loudly when the anchor field is gone', () => {
    expect(() => patchValidateProto('message StringRules {}')).toThrow(/StringRules.strict \(field 25\) not found/);
  });
});

describe('BUF_YAML', () => {
  it('declares one module per linked folder and the patched validate module', () => {
    expect(BUF_YAML).toBe(
      'version: v2\nmodules:\n  - path: envoy-api\n  - path: xds\n  - path: googleapis\n  - path: pgv\n',
    );
  });
});
