/**
 * Questions put to each authoritative name server of a zone directly (no recursion, no cache), for `doctor` and
 * `dns check`: what every server answers for one name and type, whether the NS set agrees everywhere, and the
 * addresses of a host. Zone discovery itself is the `Resolver`'s (@portcullis/dns); only the per-server fan-out,
 * which the resolver does not expose, lives here.
 */
import type { NameServer, Resolver } from '@portcullis/core';
import { type DnsAnswer, type DnsRecord, type QueryType, queryServer } from '@portcullis/dns';

export type QueryFn = typeof queryServer;

/** What one server answered (or why it did not). */
export interface ServerAnswer {
  readonly server: NameServer;
  readonly rcode?: string;
  readonly authoritative?: boolean;
  /** Records at the asked name (and a CNAME chain inside the answer), formatted as `TYPE data`, sorted. */
  readonly records: readonly string[];
  /** The CNAME target when the answer is a CNAME to a name outside this answer. */
  readonly cname?: string;
  readonly error?: string;
}

export interface ZoneSurvey {
  readonly name: string;
  readonly type: QueryType;
  readonly zone: string;
  readonly answers: readonly ServerAnswer[];
  /** Every server answered authoritatively (NOERROR/NXDOMAIN) with the same records. */
  readonly agree: boolean;
}

export function formatServer(server: NameServer): string {
  const address = server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  return server.name === undefined ? address : `${server.name} (${address})`;
}

const lower = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** `TYPE data` of one record, in the presentation form dig prints (TXT strings quoted, CAA as flags tag "value"). */
export function formatRecord(record: DnsRecord): string {
  const data = record.data as unknown;
  switch (record.type) {
    case 'TXT': {
      const chunks = (Array.isArray(data) ? data : [data]) as (string | Buffer)[];
      return `TXT ${chunks.map((c) => JSON.stringify(typeof c === 'string' ? c : c.toString('utf8'))).join(' ')}`;
    }
    case 'CAA': {
      const caa = data as { flags?: number; tag: string; value: string };
      return `CAA ${caa.flags ?? 0} ${caa.tag} ${JSON.stringify(caa.value)}`;
    }
    case 'SOA': {
      const soa = data as { mname: string; rname: string; serial: number };
      return `SOA ${soa.mname} ${soa.rname} ${soa.serial}`;
    }
    default:
      return `${record.type} ${typeof data === 'string' ? lower(data) : JSON.stringify(data)}`;
  }
}

/** Records owned by `name` or by the CNAME chain that starts there inside the answer; and where the chain leaves. */
function recordsAt(answer: DnsAnswer, name: string): { records: string[]; cname?: string } {
  let owner = lower(name);
  const records: string[] = [];
  for (let hop = 0; hop < 16; hop++) {
    const here = answer.answers.filter((r) => lower(r.name) === owner);
    records.push(...here.map(formatRecord));
    const cname = here.find((r) => r.type === 'CNAME');
    if (cname === undefined) return { records: records.sort() };
    owner = lower(cname.data as string);
    if (!answer.answers.some((r) => lower(r.name) === owner)) return { records: records.sort(), cname: owner };
  }
  return { records: records.sort() };
}

/** Asks every server for `name type` at once; a failure becomes that server's `error`, never an exception. */
export async function askEach(
  servers: readonly NameServer[],
  name: string,
  type: QueryType,
  options: { readonly query?: QueryFn; readonly timeoutMs?: number } = {},
): Promise<ServerAnswer[]> {
  const query = options.query ?? queryServer;
  return Promise.all(
    servers.map(async (server): Promise<ServerAnswer> => {
      try {
        const answer = await query(server, name, type, { timeoutMs: options.timeoutMs ?? 3000 });
        const { records, cname } = recordsAt(answer, name);
        return {
          server,
          rcode: answer.rcode,
          authoritative: answer.authoritative,
          records,
          ...(cname === undefined ? {} : { cname }),
        };
      } catch (error) {
        return { server, records: [], error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** A usable authoritative answer: AA set and NOERROR or NXDOMAIN. */
export function isAuthoritativeAnswer(answer: ServerAnswer): boolean {
  return (
    answer.error === undefined && answer.authoritative === true && ['NOERROR', 'NXDOMAIN'].includes(answer.rcode ?? '')
  );
}

/** Every server answered authoritatively, with the same rcode and the same records. */
export function answersAgree(answers: readonly ServerAnswer[]): boolean {
  if (answers.length === 0 || !answers.every(isAuthoritativeAnswer)) return false;
  const key = (a: ServerAnswer) => `${a.rcode}|${a.records.join('\n')}`;
  return answers.every((a) => key(a) === key(answers[0] as ServerAnswer));
}

/** Finds the zone of `name` with the resolver, then asks each of its servers. */
export async function surveyZone(
  resolver: Pick<Resolver, 'findZone'>,
  name: string,
  type: QueryType,
  options: { readonly query?: QueryFn; readonly timeoutMs?: number } = {},
): Promise<ZoneSurvey> {
  const { zone, nameservers } = await resolver.findZone(name);
  const answers = await askEach(nameservers, name, type, options);
  return { name: lower(name), type, zone, answers, agree: answersAgree(answers) };
}

export interface NameserverSetCheck {
  /** The NS host names discovery found (the servers with an address), sorted. */
  readonly expected: readonly string[];
  /** One sentence per server that did not answer authoritatively or listed another NS set. */
  readonly problems: readonly string[];
}

/**
 * Asks each server of `zone` for the zone's NS RRset: each must answer authoritatively (else the delegation is
 * lame: a CA asking that server gets nothing), and all must list the same set that discovery found (else some
 * servers are unknown to the others, or a retired server is still delegated to).
 */
export async function checkNameserverSet(
  zone: string,
  nameservers: readonly NameServer[],
  options: { readonly query?: QueryFn; readonly timeoutMs?: number } = {},
): Promise<NameserverSetCheck> {
  const expected = [...new Set(nameservers.map((s) => lower(s.name ?? s.host)))].sort();
  const answers = await askEach(nameservers, zone, 'NS', options);
  const problems: string[] = [];
  for (const answer of answers) {
    const where = formatServer(answer.server);
    if (answer.error !== undefined) {
      problems.push(`${where} did not answer: ${answer.error}`);
      continue;
    }
    if (!isAuthoritativeAnswer(answer) || answer.rcode !== 'NOERROR') {
      problems.push(
        `${where} answered ${answer.rcode}${answer.authoritative ? '' : ' without authority'} for NS ${zone}`,
      );
      continue;
    }
    const listed = answer.records
      .filter((r) => r.startsWith('NS '))
      .map((r) => r.slice(3))
      .sort();
    if (listed.join(',') !== expected.join(',')) {
      problems.push(`${where} lists NS ${listed.join(', ') || '(none)'}, discovery found ${expected.join(', ')}`);
    }
  }
  return { expected, problems };
}

/**
 * IPv4 then IPv6 addresses of `host`, asked of its zone's authoritative servers (CNAMEs followed across zones),
 * so the answer is what the CA's resolver will get, not a cached one.
 */
export async function addressesOf(
  resolver: Pick<Resolver, 'findZone'>,
  host: string,
  options: { readonly query?: QueryFn; readonly timeoutMs?: number; readonly maxHops?: number } = {},
): Promise<string[]> {
  let name = lower(host);
  for (let hop = 0; hop <= (options.maxHops ?? 8); hop++) {
    const { nameservers } = await resolver.findZone(name);
    let next: string | undefined;
    for (const type of ['A', 'AAAA'] as const) {
      const answers = await askEach(nameservers.slice(0, 1), name, type, options);
      const answer = answers[0] as ServerAnswer;
      if (answer.error !== undefined) throw new Error(answer.error);
      const addresses = answer.records.filter((r) => r.startsWith(`${type} `)).map((r) => r.slice(type.length + 1));
      if (addresses.length > 0) return addresses;
      next ??= answer.cname;
    }
    if (next === undefined) return [];
    name = next;
  }
  return [];
}
