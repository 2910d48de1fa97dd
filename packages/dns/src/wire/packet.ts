/**
 * Typed access to the parts of dns-packet we build on, and the few DNS constants it lacks.
 *
 * dns-packet encodes names and rdata well, but its message encoder only knows classes IN/CS/CH/HS/ANY (no NONE =
 * 254, which RFC 2136 deletes need) and has no TSIG rdata, so UPDATE messages are assembled here from its name and
 * rdata encoders (`name.encode`, `record(type).encode`), which the package exports but its type definitions omit.
 */
import * as dnsPacket from 'dns-packet';

interface LengthPrefixedCodec {
  /** Returns the encoded rdata preceded by its 16-bit RDLENGTH. */
  encode(data: unknown): Buffer;
  decode(buf: Buffer, offset: number): unknown;
}
interface NameCodec {
  encode(name: string): Buffer;
  decode(buf: Buffer, offset: number): string;
}
interface DnsPacketInternals {
  readonly name: NameCodec & { decode: { bytes: number } };
  record(type: string): LengthPrefixedCodec;
}

const internals = dnsPacket as unknown as DnsPacketInternals;

/** RR type numbers we use directly (IANA "Resource Record (RR) TYPEs"). */
export const RecordType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
  TSIG: 250,
  ANY: 255,
  CAA: 257,
} as const;
export type RecordTypeName = keyof typeof RecordType;

/** RR classes; NONE and ANY carry the RFC 2136 §2.5 delete semantics. */
export const RecordClass = {
  IN: 1,
  /** RFC 2136 §2.5.4: delete this one RR (name, type, rdata) from the RRset. */
  NONE: 254,
  /** RFC 2136 §2.5.2/2.5.3: with an empty rdata, delete the whole RRset (or every RRset with type ANY). */
  ANY: 255,
} as const;

export const Opcode = { QUERY: 0, UPDATE: 5 } as const;

/** Header flag bits (second 16-bit word). */
export const HeaderFlag = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100 } as const;

/** Uncompressed wire form of a name, lower-cased (the canonical form TSIG requires, RFC 8945 §4.3.3). */
export function encodeCanonicalName(name: string): Buffer {
  return internals.name.encode(name.toLowerCase());
}

/** Wire form of a name as given (case kept). */
export function encodeName(name: string): Buffer {
  return internals.name.encode(name);
}

/** Decodes a (possibly compressed) name at `offset`; returns it and the bytes it occupies at `offset`. */
export function decodeName(buf: Buffer, offset: number): { name: string; length: number } {
  const name = internals.name.decode(buf, offset);
  return { name, length: internals.name.decode.bytes };
}

/** RDLENGTH + RDATA for `data` in dns-packet's shape for `type` (TXT: string or string[]; CAA: {flags,tag,value}). */
export function encodeRdata(type: string, data: unknown): Buffer {
  // dns-packet's TXT encoder replaces strings by Buffers inside the array it is given: hand it a copy.
  const copy = Array.isArray(data) ? [...data] : data;
  return internals.record(type).encode(copy);
}

/** One resource record: owner, type, class, TTL, then RDLENGTH + RDATA (already encoded). */
export function encodeRecord(init: { name: string; type: number; klass: number; ttl: number; rdata: Buffer }): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16BE(init.type, 0);
  fixed.writeUInt16BE(init.klass, 2);
  fixed.writeUInt32BE(init.ttl, 4);
  return Buffer.concat([encodeName(init.name), fixed, init.rdata]);
}

/** The 12-byte header. */
export function encodeHeader(init: {
  id: number;
  flags: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(init.id, 0);
  header.writeUInt16BE(init.flags, 2);
  header.writeUInt16BE(init.qdcount, 4);
  header.writeUInt16BE(init.ancount, 6);
  header.writeUInt16BE(init.nscount, 8);
  header.writeUInt16BE(init.arcount, 10);
  return header;
}

export const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
};

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

/** Location of one resource record inside a message, as found by `walkMessage`. */
export interface RecordLocation {
  /** Offset of the owner name (start of the RR). */
  readonly offset: number;
  readonly name: string;
  readonly type: number;
  readonly klass: number;
  readonly ttl: number;
  /** Offset of the RDATA (after RDLENGTH). */
  readonly rdataOffset: number;
  readonly rdlength: number;
  /** Offset just past the RR. */
  readonly end: number;
}

export interface MessageLayout {
  readonly id: number;
  readonly flags: number;
  readonly rcode: number;
  readonly questions: number;
  readonly answers: readonly RecordLocation[];
  readonly authorities: readonly RecordLocation[];
  readonly additionals: readonly RecordLocation[];
}

/**
 * Walks a message and returns where every RR sits. TSIG verification needs the exact byte offset of the last
 * additional record, which dns-packet's decoder does not expose. Throws on a truncated or malformed message.
 */
export function walkMessage(buf: Buffer): MessageLayout {
  if (buf.length < 12) throw new Error(`message of ${buf.length} bytes is shorter than a header`);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  let offset = 12;
  for (let i = 0; i < counts[0]; i++) {
    offset += decodeName(buf, offset).length + 4;
    if (offset > buf.length) throw new Error('question section runs past the end of the message');
  }
  const sections: RecordLocation[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    const count = counts[s + 1] ?? 0;
    for (let i = 0; i < count; i++) {
      const start = offset;
      const { name, length } = decodeName(buf, offset);
      offset += length;
      if (offset + 10 > buf.length) throw new Error('resource record header runs past the end of the message');
      const type = buf.readUInt16BE(offset);
      const klass = buf.readUInt16BE(offset + 2);
      const ttl = buf.readUInt32BE(offset + 4);
      const rdlength = buf.readUInt16BE(offset + 8);
      const rdataOffset = offset + 10;
      offset = rdataOffset + rdlength;
      if (offset > buf.length) throw new Error('resource record data runs past the end of the message');
      sections[s]?.push({ offset: start, name, type, klass, ttl, rdataOffset, rdlength, end: offset });
    }
  }
  const flags = buf.readUInt16BE(2);
  return {
    id: buf.readUInt16BE(0),
    flags,
    rcode: flags & 0x000f,
    questions: counts[0],
    answers: sections[0] ?? [],
    authorities: sections[1] ?? [],
    additionals: sections[2] ?? [],
  };
}
