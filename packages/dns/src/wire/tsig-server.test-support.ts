/**
 * Test support: signs responses the way a TSIG server does (RFC 8945 §5.3), written independently of `tsig.ts`
 * (plain Buffer concatenation and node:crypto), so the client's signer and verifier are checked against a second
 * implementation rather than against themselves. Not exported from the package.
 */
import { createHmac } from 'node:crypto';

const HASH = { 'hmac-sha256': 'sha256', 'hmac-sha384': 'sha384', 'hmac-sha512': 'sha512' } as const;

/** Uncompressed wire name, lower case. */
export function wireName(name: string): Buffer {
  const labels = name
    .toLowerCase()
    .replace(/\.$/, '')
    .split('.')
    .filter((label) => label !== '');
  return Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])),
    Buffer.from([0]),
  ]);
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value, 0);
  return b;
}

function u48(value: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(Math.floor(value / 2 ** 32), 0);
  b.writeUInt32BE(value % 2 ** 32, 2);
  return b;
}

export interface ServerSignOptions {
  readonly keyName: string;
  readonly algorithm: keyof typeof HASH;
  readonly secret: Buffer;
  readonly timeSigned: number;
  readonly fudge?: number;
  readonly error?: number;
  readonly otherData?: Buffer;
  /** MAC to put in the record instead of the computed one (tampering, empty MAC of BADSIG/BADKEY answers). */
  readonly macOverride?: Buffer;
}

/** The MAC the server computes: request MAC (length-prefixed) when given, message, TSIG variables. */
export function serverMac(message: Buffer, requestMac: Buffer | undefined, options: ServerSignOptions): Buffer {
  const variables = Buffer.concat([
    wireName(options.keyName),
    u16(255),
    Buffer.from([0, 0, 0, 0]),
    wireName(options.algorithm),
    u48(options.timeSigned),
    u16(options.fudge ?? 300),
    u16(options.error ?? 0),
    u16(options.otherData?.length ?? 0),
    options.otherData ?? Buffer.alloc(0),
  ]);
  const hmac = createHmac(HASH[options.algorithm], options.secret);
  if (requestMac !== undefined) hmac.update(Buffer.concat([u16(requestMac.length), requestMac]));
  return hmac.update(message).update(variables).digest();
}

/** The TSIG RR bytes for `message` (whose ID is the original ID). */
export function tsigRecord(message: Buffer, mac: Buffer, options: ServerSignOptions): Buffer {
  const otherData = options.otherData ?? Buffer.alloc(0);
  const rdata = Buffer.concat([
    wireName(options.algorithm),
    u48(options.timeSigned),
    u16(options.fudge ?? 300),
    u16(mac.length),
    mac,
    u16(message.readUInt16BE(0)),
    u16(options.error ?? 0),
    u16(otherData.length),
    otherData,
  ]);
  return Buffer.concat([
    wireName(options.keyName),
    u16(250),
    u16(255),
    Buffer.from([0, 0, 0, 0]),
    u16(rdata.length),
    rdata,
  ]);
}

/** Appends a TSIG RR to an unsigned message and bumps ARCOUNT. */
export function signAsServer(message: Buffer, requestMac: Buffer | undefined, options: ServerSignOptions): Buffer {
  const mac = options.macOverride ?? serverMac(message, requestMac, options);
  const signed = Buffer.concat([message, tsigRecord(message, mac, options)]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return signed;
}

/** A minimal response to `request`: same ID, QR set, opcode copied, rcode, question/zone section echoed. */
export function responseTo(request: Buffer, rcode = 0): Buffer {
  const header = Buffer.from(request.subarray(0, 12));
  const opcode = request.readUInt16BE(2) & 0x7800;
  header.writeUInt16BE(0x8000 | opcode | rcode, 2);
  header.writeUInt16BE(0, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  // zone/question section: name + type + class right after the header
  let offset = 12;
  while (request[offset] !== 0) offset += (request[offset] as number) + 1;
  offset += 5;
  return Buffer.concat([header, request.subarray(12, offset)]);
}
