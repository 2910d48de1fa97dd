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

/** Decodes every resource of a golden strictly, each as the type its section says. */
function decodeGolden(golden: { envoy?: Record<string, JsonValue[]> }): void {
  for (const [kind, typeUrl] of Object.entries(KINDS)) {
    for (const resource of golden.envoy?.[kind] ?? []) expect(decodeAnyStrict(resource).typeUrl).toBe(typeUrl);
  }
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

  it('finds a key planted in output in any of its forms', async () => {
    const input = inputs.find((file) => readFileSync(join(TESTDATA, file), 'utf8').includes('GENERATED'));
    if (input === undefined) throw new Error('no golden input generates a certificate');
    const run = await runGolden(readFileSync(join(TESTDATA, input), 'utf8'), input);
    const [certificate] = run.certificates.values();
    if (certificate === undefined) throw new Error(`${input} generates no certificate`);
    const body = certificate.keyPem.replace(/-----[^-]+-----/g, '');
    const planted = {
      armour: `${run.text}${certificate.keyPem}`,
      body: `${run.text}x: ${JSON.stringify(body)}\n`,
      base64: `${run.text}tls.key: ${Buffer.from(certificate.keyPem).toString('base64')}\n`,
    };
    expect(keyLeaks(run.text, run.certificates)).toEqual([]);
    for (const text of Object.values(planted)) expect(keyLeaks(text, run.certificates)).not.toEqual([]);
    expect(keyLeaks(planted.body, run.certificates)).toEqual([`key of ${certificate.label} (base64 DER)`]);
    expect(keyLeaks(planted.base64, run.certificates)).toEqual([`key of ${certificate.label} (base64 PEM)`]);
  });

  it('has an input for every golden output', () => {
    const outputs = existsSync(TESTDATA) ? readdirSync(TESTDATA).filter((file) => file.endsWith('.out.yaml')) : [];
    const orphans = outputs.filter((file) => !inputs.includes(file.replace(/\.out\.yaml$/, '.in.yaml')));
    expect(orphans).toEqual([]);
  });
});
