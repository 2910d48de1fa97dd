/**
 * Restore a previous certificate version (runbook "restore a previous certificate version"):
 *   GET  /certificates/{id}/versions  → every stored certificate of the record, newest revision first;
 *   POST /certificates/{id}/restore {serial}  → records a `restoreRequest` (202 with the view); reconcile makes that
 *        certificate current again as a new revision and delivers it (core lifecycle/steps/restore.ts).
 * The serial is checked against the store here too, so a typo is a 409 at once rather than a refusal later; the
 * lifecycle checks again (state may change between the two), and its answer is `status.restore` in the view.
 */
import { normalizeSerial, type StoredCertificateInfo, ValidationError } from '@portcullis/core';
import * as z from 'zod/mini';
import { markCertificate, ownCertificate, refuseWhenDeleting } from './certificate-commands.js';
import type { ApiCertificateRecord, ApiDependencies } from './dependencies.js';
import { ApiError, ApiErrorCode, invalidRequest } from './errors.js';
import { idPathSchema } from './schemas.js';
import type { ApiHandler, ApiRequest, createRouteFactory } from './stack.js';
import type { Caller } from './tenants.js';
import { parseWith } from './validation.js';
import { certificateView } from './views.js';

/** 40 hex digits (RFC 5280's 20 octets) with a colon between each pair, plus room for blanks and `0x`. */
const MAX_SERIAL_INPUT = 64;

export const restoreSchema = z.strictObject({
  serial: z.string().check(z.minLength(1), z.maxLength(MAX_SERIAL_INPUT)),
});
export type RestoreBody = z.infer<typeof restoreSchema>;

/** `serialHex` form of the body's serial (`04:A1` → `4a1`), or a 400 naming `serial`. */
export function serialOf(body: RestoreBody): string {
  try {
    return normalizeSerial(body.serial, 'serial');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw invalidRequest([{ field: 'serial', rule: error.rule, message: error.message.replace(/^serial: /, '') }]);
  }
}

export interface VersionView {
  readonly revision: number;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** The certificate the record names as current (status.serial and status.revision). */
  readonly current: boolean;
}

function versionView(record: ApiCertificateRecord, version: StoredCertificateInfo): VersionView {
  return {
    revision: version.revision,
    serial: version.serial,
    notBefore: version.notBefore,
    notAfter: version.notAfter,
    current: version.revision === record.status.revision && version.serial === record.status.serial,
  };
}

export async function listVersions(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
): Promise<{ items: VersionView[] }> {
  const record = await ownCertificate(deps, caller, id);
  const versions = await deps.store.listVersions(record.id);
  return { items: versions.map((version) => versionView(record, version)) };
}

function conflict(message: string, field: string, rule: string): ApiError {
  return new ApiError(ApiErrorCode.Conflict, 409, message, [{ field, rule, message }]);
}

/**
 * Records the request (a repeat of a pending request for the same serial changes nothing). Refused with 409 when
 * the certificate is being deleted, or the serial is not a stored, unexpired certificate of this record.
 */
export async function requestRestore(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
  serial: string,
): Promise<ApiCertificateRecord> {
  const owned = await ownCertificate(deps, caller, id);
  refuseWhenDeleting(owned);
  const stored = (await deps.store.listVersions(owned.id)).find((version) => version.serial === serial);
  if (stored === undefined) {
    throw conflict(`serial ${serial} is not a certificate stored for ${id}`, 'serial', 'stored-serial');
  }
  return markCertificate(deps, caller, id, (record, now) => {
    refuseWhenDeleting(record);
    if (stored.notAfter <= now) throw conflict(`serial ${serial} expired at ${stored.notAfter}`, 'serial', 'unexpired');
    const pending = record.restoreRequest;
    const answered = record.status.restore;
    const unanswered =
      pending !== undefined && !(answered?.requestedAt === pending.at && answered.serial === pending.serial);
    if (unanswered && pending.serial === serial) return {};
    return { restoreRequest: { at: now, serial, by: caller.principal } };
  });
}

/** The two routes, built on the shared route factory (handlers.ts spreads them into `ApiHandlers`). */
export interface RestoreHandlers {
  readonly restoreCertificate: ApiHandler;
  readonly listCertificateVersions: ApiHandler;
}

const idOf = (request: ApiRequest) => parseWith(idPathSchema, request.path, 'path').id;

/** No query parameters on these routes: a typo must not be ignored. */
function noQuery(request: ApiRequest): void {
  const extra = Object.keys(request.query)[0];
  if (extra !== undefined) {
    throw invalidRequest([{ field: `query.${extra}`, rule: 'unknown-field', message: 'is not a known parameter' }]);
  }
}

export function createRestoreHandlers(
  deps: ApiDependencies,
  route: ReturnType<typeof createRouteFactory>,
): RestoreHandlers {
  return {
    restoreCertificate: route(
      {
        method: 'POST',
        path: '/certificates/{id}/restore',
        body: 'required',
        check: (request) => {
          idOf(request);
          noQuery(request);
          serialOf(parseWith(restoreSchema, request.body, ''));
        },
      },
      async (request) => {
        const serial = serialOf(parseWith(restoreSchema, request.body, ''));
        const record = await requestRestore(deps, request.caller, idOf(request), serial);
        return { status: 202, body: certificateView(record) };
      },
    ),
    listCertificateVersions: route(
      {
        method: 'GET',
        path: '/certificates/{id}/versions',
        body: 'none',
        check: (request) => {
          idOf(request);
          noQuery(request);
        },
      },
      async (request) => ({ status: 200, body: await listVersions(deps, request.caller, idOf(request)) }),
    ),
  };
}
