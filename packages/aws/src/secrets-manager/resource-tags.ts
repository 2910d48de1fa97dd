/**
 * Tags Portcullis puts on what it creates in Secrets Manager and ACM. Both services share the rules (AWS tagging
 * docs): at most 50 tags, keys 1–128 and values 0–256 Unicode characters of letters, digits, spaces and
 * `_ . : / = + - @`; keys starting with `aws:` are reserved. moto checks none of this, so values are made valid here.
 */

/** Tag keys; the values are documented interface (operators filter on them, the ACM target finds its ARNs by them). */
export const TagKey = {
  /** Always `portcullis`: what Portcullis created and may overwrite. */
  ManagedBy: 'portcullis:managed-by',
  /** The certificate record id. */
  CertificateId: 'portcullis:certificate-id',
  /** The target id within the certificate (`status.deliveries` key); ACM and export targets only. */
  TargetId: 'portcullis:target-id',
  /** The owning tenant. */
  Tenant: 'portcullis:tenant',
  /** The certificate's names, space separated, `*` written `_` (see `namesTagValue`), cut to fit. */
  Names: 'portcullis:names',
  /** `notAfter` of the current certificate, ISO 8601 seconds (`2026-05-01T12:00:00Z`). */
  NotAfter: 'portcullis:not-after',
  /** Serial of the current certificate, lower-case hex. */
  Serial: 'portcullis:serial',
  /** Revision of the current certificate. */
  Revision: 'portcullis:revision',
  /** ACM: the ARN that replaced this one because a re-import here would have been refused. */
  SupersededBy: 'portcullis:superseded-by',
} as const;
export type TagKey = (typeof TagKey)[keyof typeof TagKey];

export const MANAGED_BY = 'portcullis';

export const TAG_VALUE_MAX = 256;

/** Characters AWS refuses in tag values: everything but letters, marks, digits, spaces and `_ . : / = + - @`. */
const DISALLOWED = /[^\p{L}\p{M}\p{Z}\p{N}_.:/=+\-@]/gu;

/** A valid tag value: disallowed characters become `_`, cut to 256 characters. */
export function tagValue(value: string): string {
  return [...value.replace(DISALLOWED, '_')].slice(0, TAG_VALUE_MAX).join('');
}

/**
 * The names as one tag value. `*` is not allowed in tag values, so `*.example.com` is written `_.example.com`
 * (unambiguous: publicly trusted certificates carry no underscores in names). Whole names only: when they do not
 * all fit in 256 characters, as many as fit are kept and ` +N more` says how many were left out.
 */
export function namesTagValue(names: readonly string[]): string {
  const encoded = names.map((name) => tagValue(name));
  const all = encoded.join(' ');
  if (all.length <= TAG_VALUE_MAX) return all;
  let kept = 0;
  let length = 0;
  for (const name of encoded) {
    const suffix = ` +${encoded.length - kept - 1} more`;
    const next = length + (kept === 0 ? 0 : 1) + name.length;
    if (next + suffix.length > TAG_VALUE_MAX) break;
    length = next;
    kept += 1;
  }
  const head = encoded.slice(0, kept).join(' ');
  const more = `+${encoded.length - kept} more`;
  return head === '' ? more : `${head} ${more}`;
}

export interface AwsTag {
  Key: string;
  Value: string;
}

/** `[{Key, Value}]` in key order, values made valid; undefined values are left out. */
export function toAwsTags(tags: Partial<Record<TagKey, string | undefined>>): AwsTag[] {
  return Object.entries(tags)
    .filter((entry): entry is [TagKey, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([Key, Value]) => ({ Key, Value: tagValue(Value) }));
}

/** The value of one tag in an AWS tag list. */
export function readTag(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
  key: TagKey,
): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}
