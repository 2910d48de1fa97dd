/**
 * Failures as the real API server reports them: a `metav1.Status` body with `reason`, `code` and `details`, and
 * the same message wording where clients or people match on it (`... not found`, `... already exists`,
 * `the object has been modified`, `too old resource version`).
 */
import { qualifiedPlural, type ResourceType } from './resources.js';

export const StatusReason = {
  /** 404: the object or path does not exist. */
  NotFound: 'NotFound',
  /** 409 on create: an object with this name exists. */
  AlreadyExists: 'AlreadyExists',
  /** 409: resourceVersion/uid precondition failed, or server-side apply found conflicting field managers. */
  Conflict: 'Conflict',
  /** 422: the object fails validation. */
  Invalid: 'Invalid',
  /** 400: the request itself is malformed. */
  BadRequest: 'BadRequest',
  /** 410: the resourceVersion or continue token is older than the retained window. */
  Expired: 'Expired',
  /** 405 */
  MethodNotAllowed: 'MethodNotAllowed',
  /** 415: e.g. strategic merge patch on a custom resource. */
  UnsupportedMediaType: 'UnsupportedMediaType',
  /** 401 */
  Unauthorized: 'Unauthorized',
  /** 413 */
  RequestEntityTooLarge: 'RequestEntityTooLarge',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** Thrown by handlers; the server turns it into a Status response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): object {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function detailsFor(resource: ResourceType, name: string, causes?: StatusCause[]): StatusDetails {
  return {
    name,
    ...(resource.group ? { group: resource.group } : {}),
    kind: resource.plural,
    ...(causes ? { causes } : {}),
  };
}

export function notFound(resource: ResourceType, name: string): ApiError {
  return new ApiError(
    404,
    StatusReason.NotFound,
    `${qualifiedPlural(resource)} "${name}" not found`,
    detailsFor(resource, name),
  );
}

export function namespaceNotFound(namespace: string): ApiError {
  return new ApiError(404, StatusReason.NotFound, `namespaces "${namespace}" not found`, {
    name: namespace,
    kind: 'namespaces',
  });
}

export function alreadyExists(resource: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    StatusReason.AlreadyExists,
    `${qualifiedPlural(resource)} "${name}" already exists`,
    detailsFor(resource, name),
  );
}

/** The optimistic-concurrency failure (resourceVersion or uid precondition). */
export function modifiedConflict(resource: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    StatusReason.Conflict,
    `Operation cannot be fulfilled on ${qualifiedPlural(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsFor(resource, name),
  );
}

export interface FieldConflict {
  manager: string;
  /** Field path in the `.data.tls.crt` form used by server-side apply messages. */
  field: string;
}

/** Server-side apply conflicts, worded like the real server (`Apply failed with 1 conflict: conflict with "x": .data.a`). */
export function applyConflict(resource: ResourceType, name: string, conflicts: FieldConflict[]): ApiError {
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  const lines = conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`);
  return new ApiError(
    409,
    StatusReason.Conflict,
    `Apply failed with ${count}: ${lines.join('\n')}`,
    detailsFor(
      resource,
      name,
      conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${c.manager}"`,
        field: c.field,
      })),
    ),
  );
}

export function invalid(resource: ResourceType, name: string, causes: StatusCause[]): ApiError {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new ApiError(
    422,
    StatusReason.Invalid,
    `${resource.kind} "${name}" is invalid: ${text}`,
    detailsFor(
      resource,
      name,
      causes.map((c) => ({ ...c, reason: c.reason })),
    ),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, StatusReason.BadRequest, message);
}

export function tooOldResourceVersion(requested: number, oldest: number): ApiError {
  return new ApiError(410, StatusReason.Expired, `too old resource version: ${requested} (${oldest})`);
}

export function expiredContinue(): ApiError {
  return new ApiError(
    410,
    StatusReason.Expired,
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
  );
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(
    405,
    StatusReason.MethodNotAllowed,
    `the server does not allow this method on the requested resource: ${method}`,
  );
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    StatusReason.UnsupportedMediaType,
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );
}

export function unauthorized(): ApiError {
  return new ApiError(401, StatusReason.Unauthorized, 'Unauthorized');
}
