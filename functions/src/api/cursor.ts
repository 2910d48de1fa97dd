/**
 * API cursors wrap the repository's cursor together with a fingerprint of the listing it belongs to (tenant,
 * filters, or certificate). A cursor replayed against another listing — another tenant's, or other filters — is a
 * 400, never a page that starts somewhere surprising.
 */
import { createHash } from 'node:crypto';
import { invalidRequest } from './errors.js';

function fingerprint(scope: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 16);
}

export function encodeApiCursor(scope: readonly string[], inner: string): string {
  return Buffer.from(JSON.stringify({ s: fingerprint(scope), c: inner }), 'utf8').toString('base64url');
}

export function decodeApiCursor(scope: readonly string[], cursor: string): string {
  const refuse = (message: string) => invalidRequest([{ field: 'query.cursor', rule: 'cursor', message }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse('is not a cursor returned by this API (not base64url)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a cursor returned by this API');
  }
  const { s, c } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { s?: unknown; c?: unknown };
  if (typeof s !== 'string' || typeof c !== 'string' || c === '') throw refuse('is not a cursor returned by this API');
  if (s !== fingerprint(scope)) throw refuse('belongs to another listing (other filters or another certificate)');
  return c;
}
