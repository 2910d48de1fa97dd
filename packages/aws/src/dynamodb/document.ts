/**
 * Shared plumbing of the DynamoDB adapters: the document client (lib-dynamodb marshalling), input checks for what
 * becomes a key (times, limits), opaque cursors, and stripping the derived attributes of `tables.ts` on read.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
import { type IsoTime, ValidationError } from '@portcullis/core';
import { DerivedAttribute } from './tables.js';

/**
 * One translate config for every adapter: lib-dynamodb stores it on the wrapped client's config, so two different
 * configs on one client would silently overwrite each other. `removeUndefinedValues`: optional fields may be
 * present-but-undefined in TypeScript objects; DynamoDB has no undefined. Numbers stay plain numbers (every stored
 * number is a small integer: versions, revisions, attempts, counts).
 */
const TRANSLATE_CONFIG: TranslateConfig = {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false, convertEmptyValues: false },
  unmarshallOptions: { wrapNumbers: false },
};

const documentClients = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

/** The document client over `client` (cached: wrapping is cheap, but one wrapper per client keeps it simple). */
export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  let document = documentClients.get(client);
  if (document === undefined) {
    document = DynamoDBDocumentClient.from(client, TRANSLATE_CONFIG);
    documentClients.set(client, document);
  }
  return document;
}

/** `IsoTime` as the lifecycle stores it: UTC, whole seconds, `Z`. Only this form sorts correctly as text. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Rejects a time that would become (part of) a key in another form: `...:00.000Z` sorts before `...:00Z`, so a
 * record could silently never come due. Callers produce times with `toIsoTime`.
 */
export function requireIsoTime(field: string, value: unknown): IsoTime {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ValidationError(
      field,
      'iso-time',
      `must be a UTC time truncated to seconds like 2026-05-01T12:00:00Z (toIsoTime), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Page and list limits of the ports: 1..1000. */
export function requireLimit(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw new ValidationError(field, 'range', `must be an integer from 1 to 1000, got ${String(value)}`);
  }
  return value;
}

/** A non-empty string that becomes part of a key (DynamoDB refuses empty key attributes). */
export function requireKeyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    throw new ValidationError(
      field,
      'key',
      `must be a non-empty string of at most 1024 characters, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A non-negative integer that becomes part of a key. */
export function requireCount(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new ValidationError(field, 'range', `must be an integer from 0 to ${max}, got ${String(value)}`);
  }
  return value;
}

const CURSOR_VERSION = 1;

/**
 * Cursors are base64url JSON of `{ v, kind, after }`: the last key a page returned. Opaque to callers, but not
 * secret (they only name ids the caller has already seen). `kind` keeps a cursor of one listing out of another.
 */
export function encodeCursor(kind: string, after: string): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, kind, after }), 'utf8').toString('base64url');
}

/** The `after` key of a cursor made by `encodeCursor(kind, ...)`; anything else is a ValidationError. */
export function decodeCursor(kind: string, cursor: unknown): string {
  const refuse = (): never => {
    throw new ValidationError(
      'page.cursor',
      'cursor',
      `is not a cursor of this listing (${kind}), got ${JSON.stringify(cursor)}`,
    );
  };
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 4096) return refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('v' in parsed) ||
    parsed.v !== CURSOR_VERSION ||
    !('kind' in parsed) ||
    parsed.kind !== kind ||
    !('after' in parsed) ||
    typeof parsed.after !== 'string' ||
    parsed.after.length === 0
  ) {
    return refuse();
  }
  return parsed.after;
}

const DERIVED = new Set<string>(Object.values(DerivedAttribute));

/** The stored item without the adapter's key/index attributes: the record as it was given. */
export function withoutDerived(item: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!DERIVED.has(key)) record[key] = value;
  return record;
}

/** Epoch seconds of an `IsoTime` plus `days` (TTL attribute values). */
export function expiryEpochSeconds(at: IsoTime, days: number): number {
  return Math.floor(Date.parse(at) / 1000) + Math.round(days * 86_400);
}

/** Days after which DynamoDB TTL may delete an item (1..3650), or undefined to keep items forever. */
export function requireRetentionDays(days: number | undefined): number | undefined {
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw new ValidationError('retentionDays', 'range', `must be an integer from 1 to 3650, got ${days}`);
  }
  return days;
}
