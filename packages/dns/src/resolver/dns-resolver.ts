/**
 * `DnsResolver`: the `Resolver` port over plain DNS. Zone discovery starts at the configured servers; every other
 * question (CNAMEs, TXT for propagation, CAA) goes to the authoritative servers of the name's zone, so answers are
 * current (no recursive cache, no negative caching). Nothing is cached between calls. See `DnsResolverConfig` for
 * local mode (NS records carry no port).
 */
import { randomBytes } from 'node:crypto';
import type { CaaVerdict, NameServer, PropagationResult, Resolver, TxtRecord, ZoneInfo } from '@portcullis/core';
import { ValidationError } from '@portcullis/core';
import type { CaaData } from 'dns-packet';
import { type CaaRecord, checkCaaTree } from '../caa.js';
import { followCnameChain } from '../challenge/cname.js';
import { checkTxtPropagation } from '../challenge/propagation.js';
import { dnsNameProblem, normalizeName } from '../names.js';
import { type DnsAnswer, type QueryType, queryServer, txtValues } from '../wire/query.js';
import { type DnsResolverConfig, parseResolverConfig, type ResolvedResolverConfig } from './config.js';
import { askServers, findNameservers, findZoneApex, type LookupContext, type QueryFn } from './lookup.js';

export interface DnsResolverDeps {
  /** Replaces `queryServer` (unit tests feed canned answers). */
  readonly query?: QueryFn;
  /** Random label for the wildcard-CNAME probe. */
  readonly randomLabel?: () => string;
}

function checkedName(fqdn: string, field: string): string {
  const problem = dnsNameProblem(fqdn);
  if (problem !== undefined) throw new ValidationError(field, 'dns-name', `"${fqdn}" ${problem}`);
  return normalizeName(fqdn);
}

/** The end of the CNAME chain that starts at `name` inside one answer (`name` itself when there is none). */
function finalOwner(answer: DnsAnswer, name: string): string {
  let owner = normalizeName(name);
  for (let hop = 0; hop < 16; hop++) {
    const cname = answer.answers.find((r) => r.type === 'CNAME' && normalizeName(r.name) === owner);
    if (cname === undefined) break;
    owner = normalizeName(cname.data as string);
  }
  return owner;
}

export class DnsResolver implements Resolver {
  readonly #config: ResolvedResolverConfig;
  readonly #context: LookupContext;
  readonly #randomLabel: () => string;

  constructor(config: DnsResolverConfig, deps: DnsResolverDeps = {}) {
    this.#config = parseResolverConfig(config);
    this.#context = {
      query: deps.query ?? queryServer,
      servers: this.#config.servers,
      nameserverPort: this.#config.nameserverPort,
      timeoutMs: this.#config.timeoutMs,
    };
    this.#randomLabel = deps.randomLabel ?? (() => `_portcullis-probe-${randomBytes(6).toString('hex')}`);
  }

  /** Only the zone apex (SOA walk), without name servers: what a provider needs to address an UPDATE. */
  async findZoneName(fqdn: string): Promise<string> {
    return findZoneApex(this.#context, checkedName(fqdn, 'fqdn'));
  }

  async findZone(fqdn: string): Promise<ZoneInfo> {
    const zone = await this.findZoneName(fqdn);
    const pinned = this.#config.authoritative.get(zone);
    const nameservers = pinned ?? (await findNameservers(this.#context, zone));
    return { zone, nameservers };
  }

  async followCnames(fqdn: string): Promise<string> {
    return followCnameChain(checkedName(fqdn, 'fqdn'), {
      cnameOf: async (name) => {
        const answer = await this.#askAuthoritative(name, 'CNAME');
        const cname = answer.answers.find((r) => r.type === 'CNAME' && normalizeName(r.name) === name);
        return cname === undefined ? undefined : normalizeName(cname.data as string);
      },
      randomLabel: this.#randomLabel,
      maxHops: this.#config.maxCnameHops,
    });
  }

  async checkPropagation(records: readonly TxtRecord[]): Promise<PropagationResult> {
    for (const [index, record] of records.entries()) checkedName(record.fqdn, `records[${index}].fqdn`);
    return checkTxtPropagation(records, {
      findZone: (fqdn) => this.findZone(fqdn),
      txtAt: async (server, fqdn) => {
        const answer = await askServers(this.#context, [server], fqdn, 'TXT', false);
        return txtValues(answer, finalOwner(answer, fqdn));
      },
    });
  }

  async checkCaa(
    identifier: string,
    caIdentities: readonly string[],
    options: { readonly wildcard?: boolean } = {},
  ): Promise<CaaVerdict> {
    checkedName(identifier, 'identifier');
    return checkCaaTree(identifier, caIdentities, options, (name) => this.#caaAt(name));
  }

  /** CAA RRset at `name` as DNS resolution gives it: CNAMEs followed (across zones), no climbing from targets. */
  async #caaAt(name: string): Promise<CaaRecord[]> {
    let current = name;
    for (let hop = 0; hop <= this.#config.maxCnameHops; hop++) {
      const answer = await this.#askAuthoritative(current, 'CAA');
      const owner = finalOwner(answer, current);
      const records = answer.answers
        .filter((r) => r.type === 'CAA' && normalizeName(r.name) === owner)
        .map((r) => {
          const data = r.data as CaaData;
          return { flags: data.flags ?? 0, tag: data.tag, value: data.value };
        });
      if (records.length > 0 || owner === current) return records;
      // A CNAME without the target's CAA in the same answer: the target may live in a zone these servers do not
      // serve, so ask the target's own servers (an empty answer there ends the search: no climbing from targets).
      current = owner;
    }
    return [];
  }

  /** Asks the authoritative servers of `name`'s zone (no recursion), in order until one answers. */
  async #askAuthoritative(name: string, type: QueryType): Promise<DnsAnswer> {
    const { nameservers } = await this.findZone(name);
    return askServers(this.#context, nameservers as readonly NameServer[], name, type, false);
  }
}
