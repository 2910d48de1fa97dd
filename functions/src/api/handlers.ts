/**
 * The API's Lambda handlers, one per route, all over the shared stack (stack.ts). Each one checks its input (before
 * any write, also before an Idempotency-Key is stored), calls one use case and maps the result: nothing else.
 */
import { ChallengeType } from '@portcullis/core';
import { listAlerts } from './alert-queries.js';
import {
  ownCertificate,
  requestCertificate,
  requestDeletion,
  requestRenewal,
  requestRevocation,
} from './certificate-commands.js';
import { listCertificates, listEvents, preflightName } from './certificate-queries.js';
import { createRestoreHandlers, type RestoreHandlers } from './certificate-restore.js';
import { refuseImmutableFields, updateCertificate } from './certificate-update.js';
import type { ApiDependencies } from './dependencies.js';
import { invalidRequest } from './errors.js';
import { ownedIdentifiers } from './request-names.js';
import {
  alertsQuerySchema,
  createCertificateSchema,
  deleteQuerySchema,
  idPathSchema,
  listQuerySchema,
  pageQuerySchema,
  preflightSchema,
  renewSchema,
  revokeSchema,
  updateCertificateSchema,
} from './schemas.js';
import { type ApiHandler, type ApiRequest, createRouteFactory } from './stack.js';
import { parseWith } from './validation.js';
import { certificateView } from './views.js';

export interface ApiHandlers extends RestoreHandlers {
  readonly createCertificate: ApiHandler;
  readonly getCertificate: ApiHandler;
  readonly updateCertificate: ApiHandler;
  readonly listAlerts: ApiHandler;
  readonly listCertificates: ApiHandler;
  readonly renewCertificate: ApiHandler;
  readonly revokeCertificate: ApiHandler;
  readonly deleteCertificate: ApiHandler;
  readonly listCertificateEvents: ApiHandler;
  readonly preflight: ApiHandler;
}

const idOf = (request: ApiRequest) => parseWith(idPathSchema, request.path, 'path').id;

/** Routes without query parameters refuse any (a typo like `?revoke=true` on POST must not be ignored). */
function noQuery(request: ApiRequest): void {
  const extra = Object.keys(request.query)[0];
  if (extra !== undefined) {
    throw invalidRequest([{ field: `query.${extra}`, rule: 'unknown-field', message: 'is not a known parameter' }]);
  }
}

function deleteQueryOf(request: ApiRequest) {
  const query = parseWith(deleteQuerySchema, request.query, 'query');
  const revoke = query.revoke === 'true';
  if (query.reason !== undefined && !revoke) {
    throw invalidRequest([
      { field: 'query.reason', rule: 'requires-revoke', message: 'is only allowed with revoke=true' },
    ]);
  }
  return { revoke, reason: query.reason };
}

export function createApiHandlers(deps: ApiDependencies): ApiHandlers {
  const route = createRouteFactory(deps);
  const ownedNames = (request: ApiRequest) => {
    const body = parseWith(createCertificateSchema, request.body, '');
    const challenge = body.challenge ?? ChallengeType.Dns01;
    ownedIdentifiers(deps.tenants, request.caller.tenant, body.names, challenge, (i) => `names[${i}]`, 'names');
  };
  const ownedPreflightName = (request: ApiRequest) => {
    const body = parseWith(preflightSchema, request.body, '');
    const challenge = body.challenge ?? ChallengeType.Dns01;
    ownedIdentifiers(deps.tenants, request.caller.tenant, [body.name], challenge, () => 'name', 'name');
  };
  return {
    ...createRestoreHandlers(deps, route),
    createCertificate: route(
      {
        method: 'POST',
        path: '/certificates',
        body: 'required',
        check: (request) => {
          noQuery(request);
          ownedNames(request);
        },
      },
      async (request) => {
        const body = parseWith(createCertificateSchema, request.body, '');
        const record = await requestCertificate(deps, request.caller, body);
        return { status: 201, body: certificateView(record), headers: { location: `/certificates/${record.id}` } };
      },
    ),
    getCertificate: route(
      {
        method: 'GET',
        path: '/certificates/{id}',
        body: 'none',
        check: (request) => {
          idOf(request);
          noQuery(request);
        },
      },
      async (request) => {
        const record = await ownCertificate(deps, request.caller, idOf(request));
        return { status: 200, body: certificateView(record, await deps.observations.get(record.id)) };
      },
    ),
    updateCertificate: route(
      {
        method: 'PATCH',
        path: '/certificates/{id}',
        body: 'required',
        check: (request) => {
          idOf(request);
          noQuery(request);
          refuseImmutableFields(request.body);
          parseWith(updateCertificateSchema, request.body, '');
        },
      },
      async (request) => {
        const patch = parseWith(updateCertificateSchema, request.body, '');
        return {
          status: 200,
          body: certificateView(await updateCertificate(deps, request.caller, idOf(request), patch)),
        };
      },
    ),
    listAlerts: route({ method: 'GET', path: '/alerts', body: 'none' }, async (request) => {
      const query = parseWith(alertsQuerySchema, request.query, 'query');
      return { status: 200, body: await listAlerts(deps, request.caller, query) };
    }),
    listCertificates: route({ method: 'GET', path: '/certificates', body: 'none' }, async (request) => {
      const query = parseWith(listQuerySchema, request.query, 'query');
      return { status: 200, body: await listCertificates(deps, request.caller, query) };
    }),
    renewCertificate: route(
      {
        method: 'POST',
        path: '/certificates/{id}/renew',
        body: 'optional',
        check: (request) => {
          idOf(request);
          noQuery(request);
          parseWith(renewSchema, request.body ?? {}, '');
        },
      },
      async (request) => ({
        status: 202,
        body: certificateView(await requestRenewal(deps, request.caller, idOf(request))),
      }),
    ),
    revokeCertificate: route(
      {
        method: 'POST',
        path: '/certificates/{id}/revoke',
        body: 'required',
        check: (request) => {
          idOf(request);
          noQuery(request);
          parseWith(revokeSchema, request.body, '');
        },
      },
      async (request) => {
        const { reason } = parseWith(revokeSchema, request.body, '');
        return {
          status: 202,
          body: certificateView(await requestRevocation(deps, request.caller, idOf(request), reason)),
        };
      },
    ),
    deleteCertificate: route(
      {
        method: 'DELETE',
        path: '/certificates/{id}',
        body: 'none',
        check: (request) => {
          idOf(request);
          deleteQueryOf(request);
        },
      },
      async (request) => {
        const { revoke, reason } = deleteQueryOf(request);
        const record = await requestDeletion(deps, request.caller, idOf(request), revoke, reason);
        return { status: 202, body: certificateView(record) };
      },
    ),
    listCertificateEvents: route(
      { method: 'GET', path: '/certificates/{id}/events', body: 'none' },
      async (request) => {
        const id = idOf(request);
        const query = parseWith(pageQuerySchema, request.query, 'query');
        return { status: 200, body: await listEvents(deps, request.caller, id, query) };
      },
    ),
    preflight: route(
      {
        method: 'POST',
        path: '/preflight',
        body: 'required',
        check: (request) => {
          noQuery(request);
          ownedPreflightName(request);
        },
      },
      async (request) => {
        const body = parseWith(preflightSchema, request.body, '');
        return { status: 200, body: await preflightName(deps, request.caller, body) };
      },
    ),
  };
}
