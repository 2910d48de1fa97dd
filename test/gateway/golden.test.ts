/**
 * Golden files: every `packages/gateway/testdata/*.in.yaml` runs through the whole pipeline (golden-runner.ts) and
 * must equal its `*.out.yaml`. `UPDATE_GOLDEN=1` rewrites the outputs instead. Every Envoy resource in every golden
 * is strictly decoded with the real Envoy protos (unknown fields, bad enums, non-canonical JSON and Envoy's own
 * validation rules fail), and neither the output nor the golden may contain private key material.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from '@bufbuild/protobuf';
import { decodeAnyStrict, TypeUrl } from '@portcullis/gateway';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keyLeaks, runGolden } from './golden-runner.js';

const TESTDATA = fileURLToPath(new URL('../../packages/gateway/testdata/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const inputs = existsSync(TESTDATA)
  ? readdirSync(TESTDATA)
      .filter((file) => file.endsWith('.in.yaml'))
      .sort()
  : [];

/** Resource kind in the golden → the type every entry must decode as. */
const KINDS = {
  listeners: TypeUrl.Listener,
  routes: TypeUrl.RouteConfiguration,
  clusters: TypeUrl.Cluster,
  endpoints: TypeUrl.ClusterLoadAssignment,
  secrets: TypeUrl.Secret,
} as const;

/** Decodes every resource of a golden strictly; returns how many there were. */
function decodeGolden(golden: { envoy?: Record<string, JsonValue[]> }): number {
  let count = 0;
  for (const [kind, typeUrl] of Object.entries(KINDS)) {
    for (const resource of golden.envoy?.[kind] ?? []) {
      expect(decodeAnyStrict(resource).typeUrl).toBe(typeUrl);
      count++;
    }
  }
  return count;
}

describe('golden files', () => {
  it.each(inputs)('%s translates to its golden output', async (input) => {
    const outputFile = join(TESTDATA, input.replace(/\.in\.yaml$/, '.out.yaml'));
    const run = await runGolden(readFileSync(join(TESTDATA, input), 'utf8'), input);
    expect(keyLeaks(run.rawText, run.certificates)).toEqual([]);
    if (UPDATE) writeFileSync(outputFile, run.text);
    expect(existsSync(outputFile), `${outputFile} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    const golden = readFileSync(outputFile, 'utf8');
    expect(golden).not.toContain('PRIVATE KEY');
    decodeGolden(parse(golden));
    expect(run.text).toBe(golden);
  });

  it('has an input for every golden output', () => {
    const outputs = existsSync(TESTDATA) ? readdirSync(TESTDATA).filter((file) => file.endsWith('.out.yaml')) : [];
    const orphans = outputs.filter((file) => !inputs.includes(file.replace(/\.out\.yaml$/, '.in.yaml')));
    expect(orphans).toEqual([]);
  });
});
