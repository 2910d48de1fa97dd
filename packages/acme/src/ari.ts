/**
 * ACME Renewal Information (RFC 9773), which acme-client 5.4.0 does not implement.
 *
 * The certID needs two values in their DER form: the Authority Key Identifier's keyIdentifier and the serial
 * number's INTEGER content bytes (with the leading 0x00 a positive serial gets when its top bit is set). node:crypto's
 * X509Certificate exposes neither (its serial is a hex number without that byte), and @peculiar/x509 2.x needs a
 * process-wide reflect polyfill at every entry point, so the few DER steps are walked here by hand.
 */
import type { Agent } from 'node:https';
import type { RenewalInfo } from '@portcullis/core';
import axios from 'axios';
import { AcmeProblemError, AcmeProtocolError, AcmeTransportError } from './errors.js';
import { describeNetworkError, parseProblem, parseRetryAfter } from './transport.js';

/** When Retry-After is absent: Let's Encrypt sends 6 h, and its integration guide asks for a check twice a day. */
export const DEFAULT_ARI_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;
/**
 * RFC 9773 asks clients to put reasonable limits on the polling interval and gives "under one minute counts as one
 * minute, over one day counts as one day" as the example: a CA bug must neither make us hammer it nor forget it.
 */
const MIN_ARI_RETRY_AFTER_MS = 60 * 1000;
const MAX_ARI_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

const AKI_OID = '2.5.29.35';

/**
 * The RFC 9773 §4.1 certID: base64url(AKI keyIdentifier) "." base64url(serial DER content bytes).
 * Throws `AcmeProtocolError` when the certificate has no AKI keyIdentifier (every CA-issued leaf has one).
 */
export function computeCertId(certificatePem: string): string {
  const der = firstPemBlock(certificatePem);
  const certificate = readTlv(der, 0, 'Certificate');
  const tbs = readTlv(der, certificate.contentStart, 'TBSCertificate');
  let cursor = tbs.contentStart;
  let element = readTlv(der, cursor, 'TBSCertificate.version/serial');
  if (element.tag === 0xa0) {
    cursor = element.end;
    element = readTlv(der, cursor, 'TBSCertificate.serialNumber');
  }
  if (element.tag !== 0x02) throw new AcmeProtocolError('ari: certificate serialNumber is not an INTEGER');
  const serial = der.subarray(element.contentStart, element.end);
  const keyIdentifier = findAuthorityKeyIdentifier(der, element.end, tbs.end);
  return `${keyIdentifier.toString('base64url')}.${serial.toString('base64url')}`;
}

function findAuthorityKeyIdentifier(der: Buffer, from: number, to: number): Buffer {
  // TBSCertificate: ... subjectPublicKeyInfo, [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions.
  for (let cursor = from; cursor < to; ) {
    const element = readTlv(der, cursor, 'TBSCertificate field');
    cursor = element.end;
    if (element.tag !== 0xa3) continue;
    const extensions = readTlv(der, element.contentStart, 'Extensions');
    for (let at = extensions.contentStart; at < extensions.end; ) {
      const extension = readTlv(der, at, 'Extension');
      at = extension.end;
      const oid = readTlv(der, extension.contentStart, 'Extension.extnID');
      if (decodeOid(der.subarray(oid.contentStart, oid.end)) !== AKI_OID) continue;
      let value = readTlv(der, oid.end, 'Extension.critical/extnValue');
      if (value.tag === 0x01) value = readTlv(der, value.end, 'Extension.extnValue');
      const aki = readTlv(der, value.contentStart, 'AuthorityKeyIdentifier');
      for (let field = aki.contentStart; field < aki.end; ) {
        const part = readTlv(der, field, 'AuthorityKeyIdentifier field');
        field = part.end;
        if (part.tag === 0x80) return der.subarray(part.contentStart, part.end);
      }
    }
  }
  throw new AcmeProtocolError('ari: certificate has no Authority Key Identifier keyIdentifier, so it has no certID');
}

interface Tlv {
  readonly tag: number;
  readonly contentStart: number;
  readonly end: number;
}

function readTlv(der: Buffer, offset: number, what: string): Tlv {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw malformed(what);
  let contentStart = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw malformed(what);
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[contentStart + i];
      if (lengthByte === undefined) throw malformed(what);
      length = length * 256 + lengthByte;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw malformed(what);
  return { tag, contentStart, end };
}

function malformed(what: string): AcmeProtocolError {
  return new AcmeProtocolError(`ari: certificate DER is malformed at ${what}`);
}

function decodeOid(bytes: Buffer): string {
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function firstPemBlock(pem: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (match?.[1] === undefined) throw new AcmeProtocolError('ari: no PEM certificate given');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

export interface FetchRenewalInfoOptions {
  readonly renewalInfoUrl: string;
  readonly certificatePem: string;
  readonly now: Date;
  readonly httpsAgent?: Agent | undefined;
  readonly timeoutMs?: number;
}

/**
 * GET `{renewalInfo}/{certID}` (unauthenticated, RFC 9773 §4.2) and validate the answer: a `suggestedWindow` with
 * RFC 3339 `start` and `end`, end after start; optional `explanationURL`; Retry-After (seconds or HTTP date),
 * clamped to [1 min, 1 day], default 6 h. A non-200 answer becomes `AcmeProblemError` (404: unknown certificate).
 */
export async function fetchRenewalInfo(options: FetchRenewalInfoOptions): Promise<RenewalInfo> {
  const certId = computeCertId(options.certificatePem);
  const url = `${options.renewalInfoUrl.replace(/\/+$/, '')}/${certId}`;
  let response: { status: number; data: unknown; headers: Record<string, unknown> };
  try {
    response = await axios.request({
      url,
      method: 'get',
      responseType: 'text',
      validateStatus: null,
      timeout: options.timeoutMs ?? 30_000,
      ...(options.httpsAgent === undefined ? {} : { httpsAgent: options.httpsAgent }),
    });
  } catch (error) {
    throw new AcmeTransportError(`acme: renewalInfo GET ${url}: ${describeNetworkError(error)}`, error);
  }
  const retryHeader = response.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(typeof retryHeader === 'string' ? retryHeader : undefined, options.now);
  if (response.status !== 200) {
    throw new AcmeProblemError(parseProblem(response.data, response.status), {
      context: `renewalInfo ${certId}`,
      retryAfter: retryAfterMs === undefined ? undefined : new Date(options.now.getTime() + retryAfterMs),
    });
  }
  return {
    certId,
    ...parseRenewalInfoBody(response.data, url),
    retryAfterMs: clampRetryAfter(retryAfterMs),
  };
}

function clampRetryAfter(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_ARI_RETRY_AFTER_MS;
  if (ms < MIN_ARI_RETRY_AFTER_MS) return MIN_ARI_RETRY_AFTER_MS;
  if (ms > MAX_ARI_RETRY_AFTER_MS) return MAX_ARI_RETRY_AFTER_MS;
  return ms;
}

/** Validates an ARI response body; times are returned as ISO strings truncated to seconds. */
export function parseRenewalInfoBody(
  data: unknown,
  url: string,
): Pick<RenewalInfo, 'window'> & { explanationUrl?: string } {
  let body = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      throw new AcmeProtocolError(`acme: renewalInfo ${url}: answer is not JSON`);
    }
  }
  const window = (body as { suggestedWindow?: { start?: unknown; end?: unknown } } | null)?.suggestedWindow;
  const start = typeof window?.start === 'string' ? Date.parse(window.start) : Number.NaN;
  const end = typeof window?.end === 'string' ? Date.parse(window.end) : Number.NaN;
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new AcmeProtocolError(`acme: renewalInfo ${url}: suggestedWindow needs RFC 3339 start and end`);
  }
  if (end <= start) {
    throw new AcmeProtocolError(`acme: renewalInfo ${url}: suggestedWindow end must be after start`);
  }
  const explanation = (body as { explanationURL?: unknown }).explanationURL;
  return {
    // Start rounded down and end rounded up, so truncating to seconds never empties a short window.
    window: { start: isoSeconds(Math.floor(start / 1000) * 1000), end: isoSeconds(Math.ceil(end / 1000) * 1000) },
    ...(typeof explanation === 'string' ? { explanationUrl: explanation } : {}),
  };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
