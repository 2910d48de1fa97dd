/**
 * `queryServer`: one question straight to one server (no recursion of our own, no cache), UDP first and TCP when
 * the answer is truncated. Used to see what an authoritative server really serves right now: recursive resolvers
 * cache negative answers (RFC 2308) for the SOA minimum, which would hide a TXT record we just wrote.
 */
import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import { DnsErrorCode, DnsQueryError, formatServer } from '../errors.js';
import { normalizeName } from '../names.js';
import { DEFAULT_TIMEOUT_MS, type DnsServer, exchangeTcp, exchangeUdp, isTruncated } from './transport.js';

export type QueryType = dnsPacket.RecordType;

/** A resource record as dns-packet decodes it (EDNS OPT pseudo-records are removed from answers). */
export type DnsRecord = Exclude<dnsPacket.Answer, dnsPacket.OptAnswer>;

function withoutOpt(records: readonly dnsPacket.Answer[] | undefined): DnsRecord[] {
  return (records ?? []).filter((record): record is DnsRecord => record.type !== 'OPT');
}

/** EDNS0 UDP payload size we advertise: the DNS Flag Day 2020 value that avoids IP fragmentation. */
export const EDNS_UDP_PAYLOAD = 1232;

export interface QueryOptions {
  readonly timeoutMs?: number;
  /** Set RD: true when asking a recursive resolver, false (default) when asking an authoritative server. */
  readonly recursionDesired?: boolean;
  /** Skip UDP and ask over TCP straight away. */
  readonly tcp?: boolean;
}

export interface DnsAnswer {
  readonly server: DnsServer;
  /** NOERROR, NXDOMAIN, REFUSED, SERVFAIL, ... */
  readonly rcode: string;
  /** AA bit: the server answered from a zone it is authoritative for. */
  readonly authoritative: boolean;
  readonly transport: 'udp' | 'tcp';
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}

export async function queryServer(
  server: DnsServer,
  name: string,
  type: QueryType,
  options: QueryOptions = {},
): Promise<DnsAnswer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const qname = normalizeName(name);
  const id = randomInt(0, 0x10000);
  const request = dnsPacket.encode({
    type: 'query',
    id,
    flags: options.recursionDesired === true ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name: qname, type, class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: EDNS_UDP_PAYLOAD,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ],
  });
  let transport: 'udp' | 'tcp' = options.tcp === true ? 'tcp' : 'udp';
  let raw =
    transport === 'udp' ? await exchangeUdp(server, request, timeoutMs) : await exchangeTcp(server, request, timeoutMs);
  if (transport === 'udp' && isTruncated(raw)) {
    transport = 'tcp';
    raw = await exchangeTcp(server, request, timeoutMs);
  }
  const question = `${qname} ${type}`;
  let decoded: dnsPacket.DecodedPacket & { rcode?: string };
  try {
    decoded = dnsPacket.decode(raw) as dnsPacket.DecodedPacket & { rcode?: string };
  } catch (error) {
    throw new DnsQueryError(
      DnsErrorCode.BadResponse,
      question,
      `dns: ${formatServer(server)} sent an unreadable answer to ${question}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const echoed = decoded.questions?.[0];
  // A server may answer FORMERR/REFUSED/NOTIMP without echoing the question; otherwise it must be ours.
  if (echoed !== undefined && (normalizeName(echoed.name) !== qname || echoed.type !== type)) {
    throw new DnsQueryError(
      DnsErrorCode.BadResponse,
      question,
      `dns: ${formatServer(server)} answered ${echoed.name} ${echoed.type} to our question ${question}`,
    );
  }
  return {
    server,
    rcode: decoded.rcode ?? 'NOERROR',
    authoritative: decoded.flag_aa,
    transport,
    answers: withoutOpt(decoded.answers),
    authorities: withoutOpt(decoded.authorities),
    additionals: withoutOpt(decoded.additionals),
  };
}

/** TXT data as the values ACME compares: the character-strings of one record concatenated (RFC 8555 §8.4). */
export function txtValues(answer: DnsAnswer, owner: string): string[] {
  const wanted = normalizeName(owner);
  const values: string[] = [];
  for (const record of answer.answers) {
    if (record.type !== 'TXT' || normalizeName(record.name) !== wanted) continue;
    const chunks = Array.isArray(record.data) ? record.data : [record.data];
    values.push(chunks.map((chunk) => (typeof chunk === 'string' ? chunk : chunk.toString('utf8'))).join(''));
  }
  return values;
}
