/**
 * Loads `infra/stages/<stage>.json` and validates it (`parseInfraConfig`, pure and unit-tested). Runs inside SST's
 * config evaluation, before any resource is declared: a bad file stops the deploy with the field and the rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type InfraConfig, parseInfraConfig } from './lib/config.js';

export function loadInfraConfig(stage: string, root = process.cwd()): InfraConfig {
  const file = join(root, 'infra', 'stages', `${stage}.json`);
  if (!existsSync(file)) {
    throw new Error(`infra: no configuration for stage "${stage}": create ${file} (see infra/stages/example.json)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`infra: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseInfraConfig(stage, parsed);
}
