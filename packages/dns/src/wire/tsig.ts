/**
 * TSIG (RFC 8945): HMAC signatures on DNS messages, hand-written because no npm package signs or verifies TSIG
 * (dns-packet, dns2, native-dns-packet and @leichtgewicht/dns-packet were checked; dns-packet has no TSIG rdata).
 * HMAC-SHA256/384/512 only (HMAC-MD5 and SHA-1 are legacy, RFC 8945 §6). Truncated MACs are neither sent nor
 * accepted. Only single-message exchanges are handled (UPDATE and its response), not multi-message TCP streams.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Redacted, redact, ValidationError } from '@portcullis/core';
import { decodeName, encodeCanonicalName, encodeName, RecordClass, RecordType, walkMessage } from './packet.js';

/** TSIG key as configured in bind (`key "<name>" { algorithm <algorithm>; secret "<secret>"; }`). */
export interface Tsig {
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** base64; held in `Redacted` inside this package so it never reaches a log. */
  readonly secret: string | Redacted<string>;
}

export const TSIG_ALGORITHMS = {
  'hmac-sha256': { wireName: 'hmac-sha256', hash: 'sha256', macLength: 32 },
  'hmac-sha384': { wireName: 'hmac-sha384', hash: 'sha384', macLength: 48 },
  'hmac-sha512': { wireName: 'hmac-sha512', hash: 'sha512', macLength: 64 },
} as const;
export type TsigAlgorithm = keyof typeof TSIG_ALGORITHMS;

/** TSIG error field values (RFC 8945 §4.2 / IANA "DNS RCODEs"). */
export const TSIG_ERROR_NAMES: Readonly<Record<number, string>> = {
  16: 'BADSIG',
  17: 'BADKEY',
  18: 'BADTIME',
  19: 'BADMODE',
  20: 'BADNAME',
  21: 'BADALG',
  22: 'BADTRUNC',
};

/** Seconds of clock difference the server may accept; RFC 8945 §5.2.3 recommends 300. */
export const DEFAULT_FUDGE_SECONDS = 300;

/** A key ready for signing: name and algorithm normalised, secret decoded and redacted. */
export interface TsigKey {
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  readonly secret: Redacted<Buffer>;
}

/** RFC 2104 §3 discourages HMAC keys shorter than the hash output; below 128 bits we refuse outright. */
const MIN_SECRET_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Checks a TSIG key config (ValidationError naming `<field>.<part>` and the rule); never prints the secret. */
export function assertValidTsig(tsig: unknown, field = 'tsig'): asserts tsig is Tsig {
  if (typeof tsig !== 'object' || tsig === null)
    throw new ValidationError(field, 'required', 'a TSIG key { name, algorithm, secret } is required');
  const { name, algorithm, secret, ...rest } = tsig as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new ValidationError(
      `${field}.${unknown[0]}`,
      'unknown-key',
      `unknown key "${unknown[0]}" (allowed: name, algorithm, secret)`,
    );
  if (typeof name !== 'string' || name.trim() === '')
    throw new ValidationError(`${field}.name`, 'required', 'the TSIG key name is required');
  if (typeof algorithm !== 'string' || !Object.hasOwn(TSIG_ALGORITHMS, algorithm)) {
    throw new ValidationError(
      `${field}.algorithm`,
      'tsig-algorithm',
      `algorithm ${String(algorithm)} is not one of ${Object.keys(TSIG_ALGORITHMS).join(', ')}`,
    );
  }
  const value = typeof secret === 'string' ? secret : secret instanceof Redacted ? secret.reveal() : undefined;
  if (typeof value !== 'string' || value === '')
    throw new ValidationError(`${field}.secret`, 'required', 'the TSIG secret (base64) is required');
  if (!BASE64.test(value) || value.length % 4 !== 0)
    throw new ValidationError(`${field}.secret`, 'base64', 'the TSIG secret is not valid base64');
  if (Buffer.from(value, 'base64').length < MIN_SECRET_BYTES) {
    throw new ValidationError(
      `${field}.secret`,
      'secret-length',
      `the TSIG secret is shorter than ${MIN_SECRET_BYTES} bytes`,
    );
  }
}

export function toTsigKey(tsig: Tsig): TsigKey {
  const secret = typeof tsig.secret === 'string' ? tsig.secret : tsig.secret.reveal();
  return {
    name: tsig.name.toLowerCase().replace(/\.$/, ''),
    algorithm: tsig.algorithm,
    secret: redact(Buffer.from(secret, 'base64')),
  };
}

/** The fields of a TSIG RR that enter the MAC besides the message itself. */
interface TsigFields {
  readonly keyName: string;
  readonly algorithm: string;
  readonly timeSigned: number;
  readonly fudge: number;
  readonly error: number;
  readonly otherData: Buffer;
}

/** RFC 8945 §4.3.3 "TSIG Variables", in canonical form. */
export function encodeTsigVariables(fields: TsigFields): Buffer {
  const classTtl = Buffer.alloc(6);
  classTtl.writeUInt16BE(RecordClass.ANY, 0);
  classTtl.writeUInt32BE(0, 2);
  const tail = Buffer.alloc(10);
  writeUInt48(tail, fields.timeSigned, 0);
  tail.writeUInt16BE(fields.fudge, 6);
  tail.writeUInt16BE(fields.error, 8);
  const otherLen = Buffer.alloc(2);
  otherLen.writeUInt16BE(fields.otherData.length, 0);
  return Buffer.concat([
    encodeCanonicalName(fields.keyName),
    classTtl,
    encodeCanonicalName(fields.algorithm),
    tail,
    otherLen,
    fields.otherData,
  ]);
}

function mac(key: TsigKey, parts: readonly Buffer[]): Buffer {
  const hmac = createHmac(TSIG_ALGORITHMS[key.algorithm].hash, key.secret.reveal());
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

function encodeTsigRecord(fields: TsigFields, macValue: Buffer, originalId: number): Buffer {
  const middle = Buffer.alloc(10);
  writeUInt48(middle, fields.timeSigned, 0);
  middle.writeUInt16BE(fields.fudge, 6);
  middle.writeUInt16BE(macValue.length, 8);
  const tail = Buffer.alloc(6);
  tail.writeUInt16BE(originalId, 0);
  tail.writeUInt16BE(fields.error, 2);
  tail.writeUInt16BE(fields.otherData.length, 4);
  const rdata = Buffer.concat([encodeName(fields.algorithm), middle, macValue, tail, fields.otherData]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(RecordType.TSIG, 0);
  fixed.writeUInt16BE(RecordClass.ANY, 2);
  fixed.writeUInt32BE(0, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(fields.keyName), fixed, rdata]);
}

/**
 * Signs a request (RFC 8945 §4.3.1, without a request MAC): MAC over the message as it is + TSIG variables, then
 * the TSIG RR appended as the last additional record. Returns the signed message and the MAC (needed to verify
 * the response).
 */
export function signRequest(
  message: Buffer,
  key: TsigKey,
  options: { timeSigned: number; fudge?: number },
): { message: Buffer; mac: Buffer } {
  const fields: TsigFields = {
    keyName: key.name,
    algorithm: TSIG_ALGORITHMS[key.algorithm].wireName,
    timeSigned: options.timeSigned,
    fudge: options.fudge ?? DEFAULT_FUDGE_SECONDS,
    error: 0,
    otherData: Buffer.alloc(0),
  };
  const macValue = mac(key, [message, encodeTsigVariables(fields)]);
  const signed = Buffer.concat([message, encodeTsigRecord(fields, macValue, message.readUInt16BE(0))]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { message: signed, mac: macValue };
}

/** The TSIG RR of a message, parsed, with the message bytes the MAC covers. */
export interface ParsedTsig extends TsigFields {
  readonly mac: Buffer;
  readonly originalId: number;
  /** The message without its TSIG RR, ARCOUNT decremented and the original ID restored (RFC 8945 §4.3.2). */
  readonly unsignedMessage: Buffer;
}

/** Finds and parses the TSIG RR (which must be the last additional record); undefined when the message has none. */
export function parseTsig(message: Buffer): ParsedTsig | undefined {
  const layout = walkMessage(message);
  const last = layout.additionals.at(-1);
  if (last === undefined || last.type !== RecordType.TSIG) return undefined;
  let offset = last.rdataOffset;
  const algorithm = decodeName(message, offset);
  offset += algorithm.length;
  const timeSigned = readUInt48(message, offset);
  const fudge = message.readUInt16BE(offset + 6);
  const macSize = message.readUInt16BE(offset + 8);
  offset += 10;
  const macValue = Buffer.from(message.subarray(offset, offset + macSize));
  offset += macSize;
  const originalId = message.readUInt16BE(offset);
  const error = message.readUInt16BE(offset + 2);
  const otherLen = message.readUInt16BE(offset + 4);
  offset += 6;
  const otherData = Buffer.from(message.subarray(offset, offset + otherLen));
  if (offset + otherLen !== last.end) throw new Error('TSIG record length does not match its fields');
  const unsignedMessage = Buffer.from(message.subarray(0, last.offset));
  unsignedMessage.writeUInt16BE(originalId, 0);
  unsignedMessage.writeUInt16BE(layout.additionals.length - 1, 10);
  return {
    keyName: last.name.toLowerCase(),
    algorithm: algorithm.name.toLowerCase(),
    timeSigned,
    fudge,
    error,
    otherData,
    mac: macValue,
    originalId,
    unsignedMessage,
  };
}

export type TsigVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: string; readonly tsigError?: string };

/**
 * Verifies a response to a request we signed (RFC 8945 §5.3): the response must carry a TSIG RR with our key and
 * algorithm, no TSIG error, a full-length MAC over (request MAC, response, TSIG variables), and a time within its
 * fudge of our clock. Anything else is a failure: an unsigned answer to a signed request cannot be trusted.
 */
export function verifyResponse(response: Buffer, key: TsigKey, requestMac: Buffer, nowSeconds: number): TsigVerdict {
  let tsig: ParsedTsig | undefined;
  try {
    tsig = parseTsig(response);
  } catch (error) {
    return { ok: false, problem: `malformed TSIG record in the response (${(error as Error).message})` };
  }
  if (tsig === undefined) return { ok: false, problem: 'the response carries no TSIG signature' };
  const errorName = TSIG_ERROR_NAMES[tsig.error];
  if (tsig.error !== 0) {
    const serverTime = tsig.error === 18 && tsig.otherData.length === 6 ? readUInt48(tsig.otherData, 0) : undefined;
    const clock =
      serverTime === undefined
        ? ''
        : ` (server clock ${serverTime}, ours ${nowSeconds}: off by ${nowSeconds - serverTime} s)`;
    const name = errorName ?? `TSIG error ${tsig.error}`;
    return { ok: false, problem: `server rejected our TSIG signature with ${name}${clock}`, tsigError: name };
  }
  const expectedAlgorithm = TSIG_ALGORITHMS[key.algorithm].wireName;
  if (tsig.keyName !== key.name || tsig.algorithm !== expectedAlgorithm) {
    return {
      ok: false,
      problem: `response signed with key ${tsig.keyName} (${tsig.algorithm}), expected ${key.name} (${expectedAlgorithm})`,
    };
  }
  const requestMacSize = Buffer.alloc(2);
  requestMacSize.writeUInt16BE(requestMac.length, 0);
  const expected = mac(key, [requestMacSize, requestMac, tsig.unsignedMessage, encodeTsigVariables(tsig)]);
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) {
    return { ok: false, problem: 'the response MAC does not verify (BADSIG)', tsigError: 'BADSIG' };
  }
  if (Math.abs(nowSeconds - tsig.timeSigned) > tsig.fudge) {
    return {
      ok: false,
      problem: `the response was signed at ${tsig.timeSigned}, more than ${tsig.fudge} s from our clock ${nowSeconds} (BADTIME)`,
      tsigError: 'BADTIME',
    };
  }
  return { ok: true };
}

function writeUInt48(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt16BE(Math.floor(value / 2 ** 32) & 0xffff, offset);
  buf.writeUInt32BE(value % 2 ** 32, offset + 2);
}

function readUInt48(buf: Buffer, offset: number): number {
  return buf.readUInt16BE(offset) * 2 ** 32 + buf.readUInt32BE(offset + 2);
}
