/**
 * Request schemas of the HTTP API (zod/mini: 13 KiB in a Lambda bundle instead of 443 KiB). Objects are strict:
 * an unknown field is refused, never ignored — a typo (`keytype`) must not silently fall back to a default.
 * Names are only shape-checked here; `normalizeIdentifiers` (core) applies the DNS rules after parsing.
 * openapi.yaml describes the same shapes; test/api checks the two agree on every answer.
 */
import { isIP } from 'node:net';
import { AlertKind, ChallengeType, KeyType, MAX_ENDPOINTS, RevocationReason, TargetType } from '@portcullis/core';
import * as z from 'zod/mini';

/** Certificate ids the API assigns (`CertificateRecord.id`). */
export const CERTIFICATE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest name accepted before normalization (253 plus room for a trailing dot and IDN input). */
const MAX_NAME_INPUT = 300;

const keyTypes = Object.values(KeyType) as [KeyType, ...KeyType[]];
const challengeTypes = Object.values(ChallengeType) as [ChallengeType, ...ChallengeType[]];
const targetTypes = Object.values(TargetType) as [TargetType, ...TargetType[]];
export const revocationReasons = Object.keys(RevocationReason) as [
  keyof typeof RevocationReason,
  ...(keyof typeof RevocationReason)[],
];

const nameInput = z.string().check(z.minLength(1), z.maxLength(MAX_NAME_INPUT));
const token = (pattern: RegExp) => z.string().check(z.regex(pattern));

export const targetSchema = z.strictObject({
  id: token(/^[a-z0-9-]{1,64}$/),
  type: z.enum(targetTypes),
  options: z.optional(
    z.record(token(/^[A-Za-z][A-Za-z0-9]{0,31}$/), z.string().check(z.minLength(1), z.maxLength(1024))),
  ),
});

/** A DNS host name (no wildcard, no trailing dot); core's `validateSpec` applies the same rule to stored specs. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const hostName = z
  .string()
  .check(z.refine((value) => HOST_NAME.test(value), { error: 'must be a DNS name', params: { rule: 'host' } }));

/** A live TLS endpoint the monitor checks (core `EndpointSpec`): host name or IP literal, port, optional SNI. */
export const endpointSchema = z.strictObject({
  host: z.string().check(
    z.refine((value) => isIP(value) !== 0 || HOST_NAME.test(value), {
      error: 'must be a DNS name or an IP address (no scheme, no port, no brackets)',
      params: { rule: 'host' },
    }),
  ),
  port: z._default(z.number().check(z.int(), z.gte(1), z.lte(65_535)), 443),
  serverName: z.optional(hostName),
});
const endpointsSchema = z.array(endpointSchema).check(z.maxLength(MAX_ENDPOINTS));

const issuerId = token(/^[a-z0-9-]{1,64}$/);
const profileName = token(/^[a-z0-9-]{1,32}$/);
const renewalSchema = z.strictObject({
  // At least an hour (anything shorter renews in a loop), at most 90 days (a whole Let's Encrypt lifetime).
  renewBeforeSeconds: z.number().check(z.int(), z.gte(3600), z.lte(90 * 86_400)),
});
const preferredChain = z.string().check(z.minLength(1), z.maxLength(200));
const targetsSchema = z.array(targetSchema).check(z.maxLength(10));

export const createCertificateSchema = z.strictObject({
  names: z.array(nameInput).check(z.minLength(1), z.maxLength(100)),
  keyType: z.optional(z.enum(keyTypes)),
  challenge: z.optional(z.enum(challengeTypes)),
  issuer: z.optional(issuerId),
  profile: z.optional(profileName),
  targets: z.optional(targetsSchema),
  endpoints: z.optional(endpointsSchema),
  renewal: z.optional(renewalSchema),
  preferredChain: z.optional(preferredChain),
});
export type CreateCertificateBody = z.infer<typeof createCertificateSchema>;

/**
 * `PATCH /certificates/{id}`, JSON merge patch (RFC 7396): an absent field keeps its value, `null` clears an
 * optional one (profile, endpoints, renewal, preferredChain). Required spec fields (issuer, keyType, targets) take
 * no null. `names`, `tenant` and `challenge` are refused before this schema with a rule of their own (immutable).
 */
export const updateCertificateSchema = z.strictObject({
  issuer: z.optional(issuerId),
  profile: z.optional(z.nullable(profileName)),
  keyType: z.optional(z.enum(keyTypes)),
  targets: z.optional(targetsSchema),
  endpoints: z.optional(z.nullable(endpointsSchema)),
  renewal: z.optional(z.nullable(renewalSchema)),
  preferredChain: z.optional(z.nullable(preferredChain)),
});
export type UpdateCertificateBody = z.infer<typeof updateCertificateSchema>;

/** `POST /certificates/{id}/renew`: an empty object (or no body at all). */
export const renewSchema = z.strictObject({});

export const revokeSchema = z.strictObject({ reason: z.enum(revocationReasons) });
export type RevokeBody = z.infer<typeof revokeSchema>;

export const preflightSchema = z.strictObject({ name: nameInput, challenge: z.optional(z.enum(challengeTypes)) });
export type PreflightBody = z.infer<typeof preflightSchema>;

const limitParam = z.optional(token(/^[0-9]{1,4}$/));
const cursorParam = z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));

export const listQuerySchema = z.strictObject({
  name: z.optional(nameInput),
  ready: z.optional(z.enum(['true', 'false'])),
  limit: limitParam,
  cursor: cursorParam,
});

export const pageQuerySchema = z.strictObject({ limit: limitParam, cursor: cursorParam });

export const deleteQuerySchema = z.strictObject({
  revoke: z.optional(z.enum(['true', 'false'])),
  reason: z.optional(z.enum(revocationReasons)),
});

const alertKinds = Object.values(AlertKind) as [AlertKind, ...AlertKind[]];

export const alertsQuerySchema = z.strictObject({
  state: z.optional(z.enum(['open', 'resolved'])),
  kind: z.optional(z.enum(alertKinds)),
  certificateId: z.optional(token(CERTIFICATE_ID)),
  limit: limitParam,
  cursor: cursorParam,
});
export type AlertsQuery = z.infer<typeof alertsQuerySchema>;

export const idPathSchema = z.strictObject({ id: token(CERTIFICATE_ID) });
