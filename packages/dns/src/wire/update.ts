/**
 * RFC 2136 dynamic UPDATE, signed with TSIG (RFC 8945), over UDP with TCP fallback.
 *
 * Hand-written on top of dns-packet's name and rdata encoders: no npm package sends TSIG-signed updates (dns-packet,
 * dns2, native-dns-packet and @leichtgewicht/dns-packet were checked), and dns-packet's message encoder cannot
 * express class NONE (254), which deleting one value of an RRset needs (RFC 2136 §2.5.4).
 *
 * Message: header (opcode UPDATE), zone section (zone SOA IN), no prerequisites, the update section, TSIG last.
 * Sent over UDP when it fits 512 bytes, else over TCP; a UDP answer with TC set is repeated over TCP with the same
 * signed bytes (the server applies an update at most once per content: our adds and deletes are idempotent).
 * The response must carry a valid TSIG: an unsigned or badly signed answer is an error, as are BADSIG/BADKEY/BADTIME.
 */
import { randomInt } from 'node:crypto';
import { ValidationError } from '@portcullis/core';
import { DnsError, DnsErrorCode, DnsUpdateError, formatServer } from '../errors.js';
import { dnsNameProblem, isWithin, normalizeName } from '../names.js';
import {
  encodeHeader,
  encodeName,
  encodeRdata,
  encodeRecord,
  Opcode,
  RecordClass,
  RecordType,
  rcodeName,
  walkMessage,
} from './packet.js';
import {
  DEFAULT_TIMEOUT_MS,
  type DnsServer,
  exchangeTcp,
  exchangeUdp,
  isTruncated,
  MAX_UDP_REQUEST,
} from './transport.js';
import { assertValidTsig, DEFAULT_FUDGE_SECONDS, signRequest, type Tsig, toTsigKey, verifyResponse } from './tsig.js';

/** Types an update may add (the ones the local bind9 update-policy grants, and all a challenge flow needs). */
export const UPDATABLE_TYPES = ['TXT', 'A', 'AAAA', 'CNAME', 'CAA'] as const;
export type UpdatableType = (typeof UPDATABLE_TYPES)[number];

export type UpdateOperation =
  /** Add one RR (class IN). Adding a value already present is a no-op on the server (RRsets are sets). */
  | {
      readonly op: 'add';
      readonly name: string;
      readonly type: UpdatableType;
      readonly ttl: number;
      readonly data: unknown;
    }
  /** With `data`: delete that one RR (class NONE). Without: delete the whole RRset (class ANY); type ANY = all. */
  | { readonly op: 'delete'; readonly name: string; readonly type: UpdatableType | 'ANY'; readonly data?: unknown };

export interface UpdateOptions {
  readonly timeoutMs?: number;
  /** Clock for TSIG time signed and the response time check; injected by tests. */
  readonly now?: () => Date;
  readonly fudgeSeconds?: number;
}

/** What each rcode means for an UPDATE, for the error message (RFC 2136 §2.2, RFC 8945 §5). */
const RCODE_MEANING: Readonly<Record<string, string>> = {
  FORMERR: 'the server could not parse the update',
  SERVFAIL: 'the server failed to apply the update (bind also answers this past max-records-per-type)',
  NOTIMP: 'the server does not implement dynamic update',
  REFUSED: 'the server refused the update (its update-policy does not grant this key these names or types)',
  YXDOMAIN: 'a prerequisite failed',
  YXRRSET: 'a prerequisite failed',
  NXRRSET: 'a prerequisite failed',
  NOTAUTH: 'the server is not authoritative for the zone',
  NOTZONE: 'a record is outside the zone',
};

/** SERVFAIL may pass; the others need a change of configuration or input. */
const RETRYABLE_RCODES = new Set(['SERVFAIL']);

const MAX_TTL = 2 ** 31 - 1;

function describe(operation: UpdateOperation): string {
  return `${normalizeName(operation.name)} ${operation.type}`;
}

/** Checks zone and operations before anything is sent (ValidationError naming the field and the rule). */
function validateUpdate(zone: string, operations: readonly UpdateOperation[]): void {
  const zoneProblem = dnsNameProblem(zone);
  if (zoneProblem !== undefined) throw new ValidationError('zone', 'dns-name', `zone "${zone}" ${zoneProblem}`);
  if (operations.length === 0)
    throw new ValidationError('operations', 'non-empty', 'an update needs at least one operation');
  operations.forEach((operation, index) => {
    const field = `operations[${index}]`;
    const problem = dnsNameProblem(operation.name);
    if (problem !== undefined) throw new ValidationError(`${field}.name`, 'dns-name', `"${operation.name}" ${problem}`);
    if (!isWithin(operation.name, zone)) {
      throw new ValidationError(
        `${field}.name`,
        'within-zone',
        `${normalizeName(operation.name)} is not in zone ${normalizeName(zone)}`,
      );
    }
    const types: readonly string[] = operation.op === 'delete' ? [...UPDATABLE_TYPES, 'ANY'] : UPDATABLE_TYPES;
    if (!types.includes(operation.type)) {
      throw new ValidationError(
        `${field}.type`,
        'updatable-type',
        `type ${operation.type} is not one of ${types.join(', ')}`,
      );
    }
    if (operation.op === 'add') {
      if (!Number.isInteger(operation.ttl) || operation.ttl < 0 || operation.ttl > MAX_TTL) {
        throw new ValidationError(
          `${field}.ttl`,
          'ttl-range',
          `ttl ${operation.ttl} is not an integer from 0 to ${MAX_TTL}`,
        );
      }
      if (operation.data === undefined || operation.data === null) {
        throw new ValidationError(`${field}.data`, 'required', `adding ${describe(operation)} needs data`);
      }
    }
    if (operation.op === 'delete' && operation.type === 'ANY' && operation.data !== undefined) {
      throw new ValidationError(`${field}.data`, 'no-data-for-any', 'deleting type ANY takes no data');
    }
  });
}

/** TXT data: strings longer than 255 octets are split into several character-strings (RFC 1035 §3.3.14). */
function normalizeData(type: string, data: unknown): unknown {
  if (type !== 'TXT' || typeof data !== 'string') return data;
  const bytes = Buffer.from(data, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) chunks.push(bytes.subarray(i, i + 255));
  return chunks.length === 0 ? [Buffer.alloc(0)] : chunks;
}

function encodeOperation(operation: UpdateOperation): Buffer {
  const type = RecordType[operation.type];
  if (operation.op === 'add') {
    const rdata = encodeRdata(operation.type, normalizeData(operation.type, operation.data));
    return encodeRecord({ name: operation.name, type, klass: RecordClass.IN, ttl: operation.ttl, rdata });
  }
  if (operation.data === undefined) {
    return encodeRecord({ name: operation.name, type, klass: RecordClass.ANY, ttl: 0, rdata: Buffer.from([0, 0]) });
  }
  const rdata = encodeRdata(operation.type, normalizeData(operation.type, operation.data));
  return encodeRecord({ name: operation.name, type, klass: RecordClass.NONE, ttl: 0, rdata });
}

/** The unsigned UPDATE message (exported for unit tests of the encoding). */
export function encodeUpdate(id: number, zone: string, operations: readonly UpdateOperation[]): Buffer {
  const zoneSection = Buffer.concat([
    encodeName(normalizeName(zone)),
    Buffer.from([0, RecordType.SOA, 0, RecordClass.IN]),
  ]);
  const header = encodeHeader({
    id,
    flags: Opcode.UPDATE << 11,
    qdcount: 1,
    ancount: 0,
    nscount: operations.length,
    arcount: 0,
  });
  return Buffer.concat([header, zoneSection, ...operations.map(encodeOperation)]);
}

/**
 * Sends one signed UPDATE to `server` for `zone` and verifies the signed answer. Resolves when the server
 * answered NOERROR; otherwise throws `DnsUpdateError` naming server, zone, records and the answer (retryable
 * when the server timed out, was unreachable or answered SERVFAIL). Bad input throws `ValidationError` first.
 */
export async function sendUpdate(
  server: DnsServer,
  zone: string,
  tsig: Tsig,
  operations: readonly UpdateOperation[],
  options: UpdateOptions = {},
): Promise<void> {
  validateUpdate(zone, operations);
  assertValidTsig(tsig);
  const key = toTsigKey(tsig);
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = {
    server: formatServer(server),
    zone: normalizeName(zone),
    records: [...new Set(operations.map(describe))],
  };
  const unsigned = encodeUpdate(randomInt(0, 0x10000), zone, operations);
  const signed = signRequest(unsigned, key, {
    timeSigned: Math.floor(now().getTime() / 1000),
    fudge: options.fudgeSeconds ?? DEFAULT_FUDGE_SECONDS,
  });

  let response: Buffer;
  try {
    response =
      signed.message.length > MAX_UDP_REQUEST
        ? await exchangeTcp(server, signed.message, timeoutMs)
        : await exchangeUdp(server, signed.message, timeoutMs);
    if (signed.message.length <= MAX_UDP_REQUEST && isTruncated(response)) {
      response = await exchangeTcp(server, signed.message, timeoutMs);
    }
  } catch (error) {
    if (!(error instanceof DnsError)) throw error;
    // The transport only raises this package's own codes (time-out, unreachable, bad response).
    throw new DnsUpdateError(error.code as DnsErrorCode, {
      ...context,
      answer: `no answer: ${error.message}`,
      retryable: error.retryable,
      cause: error,
    });
  }

  let rcode: string;
  try {
    rcode = rcodeName(walkMessage(response).rcode);
  } catch (error) {
    throw new DnsUpdateError(DnsErrorCode.BadResponse, {
      ...context,
      answer: `unreadable answer: ${(error as Error).message}`,
      cause: error,
    });
  }
  const verdict = verifyResponse(response, key, signed.mac, Math.floor(now().getTime() / 1000));
  if (!verdict.ok) {
    const tsigError = verdict.tsigError === undefined ? {} : { tsigError: verdict.tsigError };
    throw new DnsUpdateError(DnsErrorCode.TsigFailed, {
      ...context,
      rcode,
      ...tsigError,
      answer: `${rcode}${verdict.tsigError === undefined ? '' : ` (${verdict.tsigError})`}: ${verdict.problem} (TSIG key ${key.name})`,
    });
  }
  if (rcode !== 'NOERROR') {
    const meaning = RCODE_MEANING[rcode];
    throw new DnsUpdateError(DnsErrorCode.UpdateRejected, {
      ...context,
      rcode,
      answer: meaning === undefined ? rcode : `${rcode}: ${meaning}`,
      retryable: RETRYABLE_RCODES.has(rcode),
    });
  }
}
