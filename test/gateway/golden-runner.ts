/**
 * The golden pipeline: Kubernetes manifests (`*.in.yaml`) → sources → `translate` → Envoy builders → proto JSON +
 * status (`*.out.yaml`). Certificates and keys are generated at test time from the placeholders in the inputs
 * (packages/gateway/testdata/README.md); in the output every generated certificate PEM is replaced by
 * `<generated:LABEL:cert>` so goldens are stable across runs. Private keys never reach the output: the runner checks
 * the raw output for key text before anything is replaced.
 */

import type { TranslateOptions } from '@portcullis/gateway';
import { buildEnvoyResources, createSnapshot, parseManifests, resourcesToJson, translate } from '@portcullis/gateway';
import { stringify } from 'yaml';
// Test-only helper of the gateway package, deliberately not exported from it (it generates keys).
import { fillTestCertificates, type TestCertificate } from '../../packages/gateway/src/model/test-certificates.js';

/** Status times in goldens; any fixed instant works, this one is easy to spot. */
const GOLDEN_NOW = new Date('2026-01-01T00:00:00Z');

export const GOLDEN_TRANSLATE_OPTIONS: TranslateOptions = {
  clock: { now: () => GOLDEN_NOW },
  // An address makes Gateways Programmed, as they would be once the Envoy Service has its load balancer.
  addresses: [{ type: 'IPAddress', value: '192.0.2.10' }],
};

export interface GoldenRun {
  /** The `*.out.yaml` text, stabilised (placeholders instead of generated certificates). */
  readonly text: string;
  /** The raw output text, before stabilisation: what the key checks look at. */
  readonly rawText: string;
  readonly certificates: ReadonlyMap<string, TestCertificate>;
}

const HEADER = (file: string) =>
  `# Generated from ${file} by test/gateway/golden.test.ts: do not edit.\n` +
  '# Regenerate: UPDATE_GOLDEN=1 npx vitest run test/gateway/golden.test.ts\n' +
  '# Certificates are generated at test time; <generated:LABEL:cert> stands for the PEM of label LABEL.\n';

/**
 * Per-case translate options: a `# translate-options: {json}` comment line in the input, merged over the fixed
 * ones (e.g. `{"proxyProtocol": true}`). Only JSON-representable options can be set this way.
 */
const OPTIONS_DIRECTIVE = /^# translate-options: (.+)$/m;

function caseOptions(inputText: string): TranslateOptions {
  const directive = OPTIONS_DIRECTIVE.exec(inputText)?.[1];
  return directive === undefined
    ? GOLDEN_TRANSLATE_OPTIONS
    : { ...GOLDEN_TRANSLATE_OPTIONS, ...(JSON.parse(directive) as TranslateOptions) };
}

export async function runGolden(inputText: string, file: string): Promise<GoldenRun> {
  const parsed = parseManifests(inputText, file);
  if (parsed.problems.length > 0) {
    throw new Error(`${file}: ${parsed.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ')}`);
  }
  const { objects, certificates } = await fillTestCertificates(parsed.objects);
  const result = translate(createSnapshot(objects), caseOptions(inputText));
  const output = {
    envoy: resourcesToJson(buildEnvoyResources(result.model)),
    status: result.status,
    diagnostics: result.diagnostics,
  };
  const yaml = (value: unknown) => HEADER(file) + stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  return { rawText: yaml(output), text: yaml(stabilise(output, certificates)), certificates };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** Deep copy of `value` with every generated certificate PEM replaced by its placeholder. */
export function stabilise<T>(value: T, certificates: ReadonlyMap<string, TestCertificate>): T {
  const labels = new Map([...certificates.values()].map((c) => [pemBody(c.certificatePem), c.label]));
  const replace = (text: string) =>
    text.replace(PEM_BLOCK, (block) => `<generated:${labels.get(pemBody(block)) ?? 'unknown'}:cert>`);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return replace(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    }
    return node;
  };
  return walk(value) as T;
}

/**
 * Every way a generated key could show up in output: PEM armour, any line of the PEM body (base64 DER, however it
 * is wrapped, escaped or quoted), the base64 of the whole PEM (as in a Secret's `data`). Empty when the text is clean.
 */
export function keyLeaks(text: string, certificates: ReadonlyMap<string, TestCertificate>): string[] {
  const leaks: string[] = [];
  if (text.includes('PRIVATE KEY')) leaks.push('PEM "PRIVATE KEY" armour');
  const compact = text.replace(/\s+/g, '');
  for (const { label, keyPem } of certificates.values()) {
    // Full 64-character lines are unique to the key; the short last line is not checked alone.
    const lines = keyPem.split('\n').filter((line) => line.length === 64 && !line.startsWith('-----'));
    if (lines.some((line) => compact.includes(line))) leaks.push(`key of ${label} (base64 DER)`);
    if (compact.includes(Buffer.from(keyPem).toString('base64'))) leaks.push(`key of ${label} (base64 PEM)`);
  }
  return leaks;
}
