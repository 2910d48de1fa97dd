/**
 * CAA pre-check (RFC 8659): would a CA known by one of `caIdentities` be allowed to issue for a name?
 *
 * Relevant RRset (§3): the CAA RRset of the name itself, else of its parent, and so on up to (not including) the
 * root; the first non-empty one decides. Looking a level up follows CNAMEs like any lookup (the caller's `caaAt`
 * does that); the CNAME target's parents are not climbed (RFC 8659 dropped that from RFC 6844).
 * Evaluation (§4): a property with the critical flag and a tag we do not know forbids issuance; for a wildcard
 * name the `issuewild` properties decide when there is at least one, else the `issue` ones; no deciding property
 * means no restriction; otherwise the CA must be named as the issuer domain of one of them. Everything after `;`
 * (parameters such as `accounturi`, `validationmethods`) is ignored for the domain match; a value whose issuer
 * domain is empty (`;`) or malformed authorizes nobody.
 */
import { type CaaVerdict, CaaVerdictCode } from '@portcullis/core';
import { getDomain } from 'tldts';
import { DnsError } from './errors.js';
import { normalizeName, parentName } from './names.js';

export interface CaaRecord {
  readonly flags: number;
  readonly tag: string;
  readonly value: string;
}

/**
 * Tags whose meaning is defined for CAs: RFC 8659 (issue, issuewild, iodef) and RFC 9495 (issuemail, which a TLS CA
 * reads as "not for TLS"). Let's Encrypt's Boulder knows the same set; a critical property with any other tag
 * stops issuance, so we report it before the CA does.
 */
export const KNOWN_CAA_TAGS: readonly string[] = ['issue', 'issuewild', 'iodef', 'issuemail'];

const CRITICAL_FLAG = 0x80;
const ISSUER_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

export function formatCaaRecord(record: CaaRecord): string {
  return `${record.flags} ${record.tag} "${record.value}"`;
}

/** The issuer domain of an `issue`/`issuewild` value, lower case; '' when there is none or it is malformed. */
export function issuerDomain(value: string): string {
  const domain = (value.split(';', 1)[0] ?? '').trim().toLowerCase().replace(/\.$/, '');
  return ISSUER_DOMAIN.test(domain) ? domain : '';
}

/** Evaluates the relevant RRset found at `domain` (non-empty) for a CA known by any of `caIdentities`. */
export function evaluateCaa(
  records: readonly CaaRecord[],
  caIdentities: readonly string[],
  options: { readonly wildcard: boolean; readonly domain: string },
): CaaVerdict {
  const domain = options.domain;
  const critical = records.find(
    (r) => (r.flags & CRITICAL_FLAG) !== 0 && !KNOWN_CAA_TAGS.includes(r.tag.toLowerCase()),
  );
  if (critical !== undefined) {
    return {
      allowed: false,
      code: CaaVerdictCode.UnknownCriticalTag,
      reason: `CAA at ${domain} has a critical property with the unknown tag "${critical.tag}": no CA may issue`,
      domain,
      record: formatCaaRecord(critical),
    };
  }
  const withTag = (tag: string) => records.filter((r) => r.tag.toLowerCase() === tag);
  const issuewild = withTag('issuewild');
  const useWild = options.wildcard && issuewild.length > 0;
  const deciding = useWild ? issuewild : withTag('issue');
  const tagName = useWild ? 'issuewild' : 'issue';
  if (deciding.length === 0) {
    return {
      allowed: true,
      code: CaaVerdictCode.NoIssueProperty,
      reason: `CAA at ${domain} has no ${options.wildcard ? 'issuewild or issue' : 'issue'} property: issuance is not restricted`,
      domain,
    };
  }
  const wanted = new Set(caIdentities.map((identity) => normalizeName(identity)));
  const match = deciding.find((r) => {
    const issuer = issuerDomain(r.value);
    return issuer !== '' && wanted.has(issuer);
  });
  if (match !== undefined) {
    return {
      allowed: true,
      code: CaaVerdictCode.Authorized,
      reason: `CAA at ${domain} authorizes ${issuerDomain(match.value)} (${tagName})`,
      domain,
      record: formatCaaRecord(match),
    };
  }
  const named = [...new Set(deciding.map((r) => issuerDomain(r.value)).filter((issuer) => issuer !== ''))];
  return {
    allowed: false,
    code: CaaVerdictCode.NotAuthorized,
    reason:
      named.length === 0
        ? `CAA at ${domain} forbids ${options.wildcard ? 'wildcard ' : ''}issuance by every CA (${tagName} ";")`
        : `CAA at ${domain} allows ${tagName} only by ${named.join(', ')}, not by ${[...wanted].join(', ') || 'our CA'}`,
    domain,
    record: formatCaaRecord(deciding[0] as CaaRecord),
  };
}

/**
 * The names whose CAA RRsets are looked at, nearest first, root excluded. Levels above the registrable domain
 * (public suffixes like `com`, `co.uk`, or the local `test`) are marked: servers for them may refuse us (the local
 * bind9 only serves its zones), and such a failure there is read as "no CAA" rather than an error.
 */
export function caaLevels(name: string): { name: string; publicSuffix: boolean }[] {
  const registrable = getDomain(name, { allowPrivateDomains: false }) ?? undefined;
  const levels: { name: string; publicSuffix: boolean }[] = [];
  let aboveRegistrable = false;
  for (let level: string | undefined = name; level !== undefined; level = parentName(level)) {
    levels.push({ name: level, publicSuffix: aboveRegistrable });
    if (level === registrable) aboveRegistrable = true;
  }
  return levels;
}

/** Climbs the tree from the identifier's name and evaluates the first non-empty CAA RRset. */
export async function checkCaaTree(
  identifier: string,
  caIdentities: readonly string[],
  options: { readonly wildcard?: boolean },
  caaAt: (name: string) => Promise<readonly CaaRecord[]>,
): Promise<CaaVerdict> {
  const normalized = normalizeName(identifier);
  const wildcard = options.wildcard ?? normalized.startsWith('*.');
  const name = normalized.startsWith('*.') ? normalized.slice(2) : normalized;
  for (const level of caaLevels(name)) {
    let records: readonly CaaRecord[];
    try {
      records = await caaAt(level.name);
    } catch (error) {
      if (level.publicSuffix && error instanceof DnsError && !error.retryable) continue;
      throw error;
    }
    if (records.length > 0) return evaluateCaa(records, caIdentities, { wildcard, domain: level.name });
  }
  return {
    allowed: true,
    code: CaaVerdictCode.NoRecords,
    reason: `no CAA record at ${name} or above: every CA may issue`,
  };
}
