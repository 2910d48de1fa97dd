/**
 * The history of one certificate's secret: every promoted revision still stored (for `listVersions`, `getBySerial`
 * and restores), plus the small checks the store shares.
 *
 * Found with `ListSecretVersionIds` and `IncludeDeprecated` (a version loses every label two promotions later and
 * would be left out otherwise), then each `certificate`/`restored` version read by id. Retention is Secrets
 * Manager's: it keeps up to ~100 versions per secret (two per revision here) and, past that, may remove versions
 * without a staging label that are older than a day — so only AWSCURRENT and AWSPREVIOUS are guaranteed to stay.
 * Which versions were really PROMOTED is not written anywhere once labels moved on: a `certificate` version of a
 * revision above the current one is a leftover of a failed promotion and is left out; when a revision has both a
 * `certificate` and a `restored` version, the restore is what became current (it only runs when that revision was
 * never promoted), so the `restored` one wins.
 */
import {
  type DescribeSecretCommandOutput,
  ListSecretVersionIdsCommand,
  type ListSecretVersionIdsCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { CertificateMaterial } from '@portcullis/core';
import { redact } from '@portcullis/core';
import { awsCodeOf, isResourceNotFound, toSecretsManagerError } from './aws-errors.js';
import { parseStoredVersion, parseVersionId, Stage, type StoredVersion, VersionKind } from './certificate-versions.js';
import { SecretsManagerError, SecretsManagerErrorCode } from './errors.js';
import { holderOf, readVersion } from './secret-io.js';

/** One promoted revision as stored (value includes the key: keep it inside the adapter). */
export interface HistoryEntry {
  readonly versionId: string;
  readonly revision: number;
  readonly value: StoredVersion & Required<Pick<StoredVersion, 'chainPem' | 'facts'>>;
}

/** Every promoted revision still stored, newest first; `[]` when nothing is current (absent, deleted, only a key). */
export async function readHistory(
  client: SecretsManagerClient,
  name: string,
  currentRevision: number | undefined,
): Promise<HistoryEntry[]> {
  // Nothing promoted (or no secret: moto answers ListSecretVersionIds for an absent secret with a 500).
  if (currentRevision === undefined) return [];
  const byRevision = new Map<number, { versionId: string; kind: VersionKind }>();
  for (const versionId of await listVersionIds(client, name)) {
    const parsed = parseVersionId(versionId);
    if (parsed === undefined || parsed.kind === VersionKind.Key) continue;
    if (parsed.revision > currentRevision) continue;
    const seen = byRevision.get(parsed.revision);
    if (seen === undefined || parsed.kind === VersionKind.Restored)
      byRevision.set(parsed.revision, { versionId, ...parsed });
  }
  const revisions = [...byRevision.keys()].sort((a, b) => b - a);
  const entries: HistoryEntry[] = [];
  for (const revision of revisions) {
    const { versionId } = byRevision.get(revision) as { versionId: string };
    const raw = await readVersion(client, name, versionId);
    if (raw === undefined) continue; // removed by Secrets Manager between the listing and the read
    entries.push({ versionId, revision, value: requirePromoted(name, versionId, raw) });
  }
  return entries;
}

/** The material of a history entry (key included: for targets and restores only). */
export function materialOf(certificateId: string, entry: HistoryEntry): CertificateMaterial {
  const { value } = entry;
  return {
    certificateId,
    revision: value.revision,
    chainPem: value.chainPem,
    serial: value.facts.serial,
    names: [...value.facts.names],
    notBefore: value.facts.notBefore,
    notAfter: value.facts.notAfter,
    key: redact(value.privateKey),
  };
}

async function listVersionIds(client: SecretsManagerClient, name: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    let page: ListSecretVersionIdsCommandOutput;
    try {
      page = await client.send(
        new ListSecretVersionIdsCommand({
          SecretId: name,
          IncludeDeprecated: true,
          MaxResults: 100,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
    } catch (error) {
      if (isResourceNotFound(error)) return [];
      if (awsCodeOf(error) === 'InvalidRequestException' && /deletion/i.test(String((error as Error).message))) {
        return [];
      }
      throw toSecretsManagerError(name, 'ListSecretVersionIds', error);
    }
    for (const version of page.Versions ?? []) if (version.VersionId !== undefined) ids.push(version.VersionId);
    // moto answers an empty string for "no more pages".
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return ids;
}

/** The revision whose `certificate`/`restored` version holds AWSCURRENT (a `key` version there: nothing promoted). */
export function currentRevision(secret: DescribeSecretCommandOutput | undefined): number | undefined {
  const parsed = parseVersionId(holderOf(secret, Stage.Current) ?? '');
  return parsed !== undefined && parsed.kind !== VersionKind.Key ? parsed.revision : undefined;
}

/** A secret scheduled for deletion cannot take versions: the id was reused within the recovery window. */
export function requireLive(name: string, secret: DescribeSecretCommandOutput): void {
  if (secret.DeletedDate !== undefined) {
    throw new SecretsManagerError(
      SecretsManagerErrorCode.RequestFailed,
      name,
      'the secret is scheduled for deletion (certificate id reused within the recovery window): restore it or wait',
    );
  }
}

export function requireStored(name: string, versionId: string, stored: string | undefined): StoredVersion {
  const parsed = parseStoredVersion(stored);
  if (parsed === undefined) {
    throw new SecretsManagerError(
      SecretsManagerErrorCode.CorruptSecret,
      name,
      `version ${versionId} does not hold Portcullis certificate JSON`,
    );
  }
  return parsed;
}

/** A `certificate`/`restored` version's value, with its chain and facts. */
export function requirePromoted(name: string, versionId: string, stored: string | undefined): HistoryEntry['value'] {
  const value = requireStored(name, versionId, stored);
  if (value.chainPem === undefined || value.facts === undefined) {
    throw new SecretsManagerError(
      SecretsManagerErrorCode.CorruptSecret,
      name,
      `version ${versionId} holds no chain and facts, which is not a certificate version written by Portcullis`,
    );
  }
  return value as HistoryEntry['value'];
}
