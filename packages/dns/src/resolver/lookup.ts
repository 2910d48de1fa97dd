/**
 * The query engine under `DnsResolver`: ask a list of servers in order, follow referrals from authoritative-only
 * servers, find a zone by walking SOA queries up the tree, and list a zone's name servers with their addresses.
 * Everything goes through an injectable `QueryFn` so unit tests can feed answers real servers cannot produce.
 */
import { DnsError, DnsErrorCode, DnsQueryError, DnsResolveError, formatServer } from '../errors.js';
import { isWithin, normalizeName, parentName } from '../names.js';
import type { DnsAnswer, DnsRecord, QueryOptions, QueryType } from '../wire/query.js';
import type { DnsServer } from '../wire/transport.js';

export type QueryFn = (server: DnsServer, name: string, type: QueryType, options?: QueryOptions) => Promise<DnsAnswer>;

/** Referrals followed from the start servers before giving up (a delegation chain deeper than this is broken). */
const MAX_REFERRALS = 6;

/** Rcodes that answer the question; anything else (REFUSED, SERVFAIL, NOTIMP, FORMERR) means "ask another server". */
const USABLE_RCODES = new Set(['NOERROR', 'NXDOMAIN']);

export interface LookupContext {
  readonly query: QueryFn;
  readonly servers: readonly DnsServer[];
  readonly nameserverPort: number;
  readonly timeoutMs: number;
}

function owner(record: DnsRecord): string {
  return normalizeName(record.name);
}

/**
 * Asks `servers` in order until one answers NOERROR or NXDOMAIN. Throws `DnsQueryError` (QueryFailed) when none
 * does; retryable when at least one failure was a time-out, an unreachable server or SERVFAIL.
 */
export async function askServers(
  context: LookupContext,
  servers: readonly DnsServer[],
  name: string,
  type: QueryType,
  recursionDesired: boolean,
): Promise<DnsAnswer> {
  const failures: string[] = [];
  let retryable = false;
  let lastCause: unknown;
  for (const server of servers) {
    try {
      const answer = await context.query(server, name, type, { timeoutMs: context.timeoutMs, recursionDesired });
      if (USABLE_RCODES.has(answer.rcode)) return answer;
      failures.push(`${formatServer(server)} answered ${answer.rcode}`);
      if (answer.rcode === 'SERVFAIL') retryable = true;
    } catch (error) {
      if (!(error instanceof DnsError)) throw error;
      failures.push(error.message);
      retryable ||= error.retryable;
      lastCause = error;
    }
  }
  const question = `${normalizeName(name)} ${type}`;
  throw new DnsQueryError(
    DnsErrorCode.QueryFailed,
    question,
    `dns: no server answered ${question}: ${failures.join('; ')}`,
    {
      retryable,
      cause: lastCause,
    },
  );
}

/** A referral: no answer, not authoritative, NS records in the authority section and no SOA (RFC 1034 §4.3.2). */
function isReferral(answer: DnsAnswer): boolean {
  return (
    answer.rcode === 'NOERROR' &&
    answer.answers.length === 0 &&
    !answer.authoritative &&
    answer.authorities.some((record) => record.type === 'NS') &&
    !answer.authorities.some((record) => record.type === 'SOA')
  );
}

/** First IPv4 address (else IPv6) of `host` found in `records` (glue or an answer, CNAMEs followed). */
function addressIn(records: readonly DnsRecord[], host: string): string | undefined {
  let name = normalizeName(host);
  for (let hop = 0; hop < 8; hop++) {
    const cname = records.find((record) => record.type === 'CNAME' && owner(record) === name);
    if (cname === undefined) break;
    name = normalizeName(cname.data as string);
  }
  const at = (type: 'A' | 'AAAA') =>
    records
      .filter((record) => record.type === type && owner(record) === name)
      .map((record) => record.data as string)
      .sort()[0];
  return at('A') ?? at('AAAA');
}

/**
 * Looks `name` up starting at the configured servers (RD set, so recursive resolvers resolve it for us) and
 * follows referrals when a start server is authoritative-only and delegates the name elsewhere.
 */
export async function lookup(context: LookupContext, name: string, type: QueryType, depth = 0): Promise<DnsAnswer> {
  let servers = context.servers;
  let recursionDesired = true;
  for (let hop = 0; hop <= MAX_REFERRALS; hop++) {
    const answer = await askServers(context, servers, name, type, recursionDesired);
    if (!isReferral(answer)) return answer;
    servers = await referralServers(context, answer, depth);
    recursionDesired = false;
  }
  const question = `${normalizeName(name)} ${type}`;
  throw new DnsQueryError(
    DnsErrorCode.QueryFailed,
    question,
    `dns: more than ${MAX_REFERRALS} referrals for ${question}`,
  );
}

async function referralServers(context: LookupContext, referral: DnsAnswer, depth: number): Promise<DnsServer[]> {
  const hosts = [
    ...new Set(referral.authorities.filter((r) => r.type === 'NS').map((r) => normalizeName(r.data as string))),
  ].sort();
  const servers: DnsServer[] = [];
  for (const host of hosts) {
    const address =
      addressIn(referral.additionals, host) ?? (await addressOf(context, host, depth + 1).catch(() => undefined));
    if (address !== undefined) servers.push({ host: address, port: context.nameserverPort });
  }
  if (servers.length === 0) {
    throw new DnsQueryError(
      DnsErrorCode.QueryFailed,
      hosts.join(', '),
      `dns: no address for any referred name server (${hosts.join(', ')})`,
    );
  }
  return servers;
}

/** One address of a host name (A preferred, AAAA otherwise), looked up from the start servers. */
export async function addressOf(context: LookupContext, host: string, depth = 0): Promise<string | undefined> {
  if (depth > 2) return undefined; // name servers whose addresses need name servers whose addresses need ...
  for (const type of ['A', 'AAAA'] as const) {
    const answer = await lookup(context, host, type, depth);
    const address = addressIn(answer.answers, host);
    if (address !== undefined) return address;
  }
  return undefined;
}

/**
 * The closest enclosing zone of `fqdn`: walk from the name up, asking SOA at each level. A level answers with its
 * own SOA (it is a zone apex), or with a negative answer whose authority SOA names the enclosing zone (a shortcut
 * that skips the remaining levels). A level that is a CNAME is skipped without the shortcut: its authority section
 * would describe the CNAME target's zone. Levels no server answers (authoritative-only servers REFUSE names outside
 * their zones) are skipped too; a time-out is thrown at once as retryable.
 */
export async function findZoneApex(context: LookupContext, fqdn: string): Promise<string> {
  const name = normalizeName(fqdn);
  let lastFailure: DnsError | undefined;
  for (let candidate: string | undefined = name; candidate !== undefined; candidate = parentName(candidate)) {
    let answer: DnsAnswer;
    try {
      answer = await lookup(context, candidate, 'SOA');
    } catch (error) {
      if (!(error instanceof DnsError) || error.retryable) throw error;
      lastFailure = error;
      continue;
    }
    const level = candidate;
    if (answer.answers.some((record) => record.type === 'SOA' && owner(record) === level)) return level;
    if (answer.answers.some((record) => record.type === 'CNAME' && owner(record) === level)) continue;
    const enclosing = answer.authorities.find((record) => record.type === 'SOA' && isWithin(level, owner(record)));
    if (enclosing !== undefined) return owner(enclosing);
  }
  throw new DnsResolveError(
    DnsErrorCode.ZoneNotFound,
    name,
    `dns: no zone found for ${name} on ${context.servers.map(formatServer).join(', ')}${lastFailure === undefined ? '' : ` (${lastFailure.message})`}`,
    { cause: lastFailure },
  );
}

/**
 * The name servers of `zone` with one address each, sorted by NS name, asked on `nameserverPort`. An NS host whose
 * address cannot be found is left out (a lame delegation the CA cannot use either); none left is an error.
 */
export async function findNameservers(
  context: LookupContext,
  zone: string,
): Promise<{ host: string; port: number; name: string }[]> {
  const answer = await lookup(context, zone, 'NS');
  const hosts = [
    ...new Set(
      answer.answers.filter((r) => r.type === 'NS' && owner(r) === zone).map((r) => normalizeName(r.data as string)),
    ),
  ].sort();
  const nameservers: { host: string; port: number; name: string }[] = [];
  for (const host of hosts) {
    const address = addressIn(answer.additionals, host) ?? (await addressOf(context, host).catch(() => undefined));
    if (address !== undefined) nameservers.push({ host: address, port: context.nameserverPort, name: host });
  }
  if (nameservers.length === 0) {
    throw new DnsResolveError(
      DnsErrorCode.NoNameservers,
      zone,
      hosts.length === 0
        ? `dns: zone ${zone} has no NS records`
        : `dns: zone ${zone}: no address found for its name servers ${hosts.join(', ')}`,
    );
  }
  return nameservers;
}
