/**
 * Step 4, present, in two calls so that the intent is always on record before anything is written:
 * 1. plan: read the order's authorizations, pick a challenge each, compute the responses and (dns-01) where each
 *    TXT value must go after CNAME delegation; record all of it (authorizations + planned records or tokens).
 * 2. present: write every planned DNS-01 record in ONE provider call (the provider makes one change per zone), or
 *    store every HTTP-01 token; record what the provider reports (zones, change ids) for propagation and cleanup.
 * Authorizations the CA already holds as valid (reuse) need nothing; when all are valid, presenting is skipped.
 */
import { ValidationError } from '../../errors.js';
import { challengeRecordName } from '../../issuance/record-name.js';
import { type AcmeAuthorization, type ChallengeType, selectChallenge } from '../../ports/acme-client.js';
import type { TxtRecord } from '../../ports/dns-provider.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { failIssuance } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing } from '../status.js';
import type { IssuanceAuthorization } from '../types.js';

function requireIssuer(ctx: StepContext) {
  if (ctx.issuer === undefined) throw new Error(`lifecycle: issuer ${ctx.record.spec.issuer} is not configured`);
  return ctx.issuer;
}

function reduce(authorization: AcmeAuthorization, challenge: ChallengeType): IssuanceAuthorization {
  const base = {
    url: authorization.url,
    identifier: authorization.identifier.value,
    identifierType: authorization.identifier.type,
    wildcard: authorization.wildcard,
    status: authorization.status,
  };
  if (authorization.status !== 'pending') return base;
  const selected = selectChallenge(authorization, challenge);
  return { ...base, challengeUrl: selected.url, challengeType: selected.type as ChallengeType, token: selected.token };
}

export async function planPresentation(ctx: StepContext): Promise<StepOutcome> {
  const { record, deps, now } = ctx;
  const issuance = inFlight(record.status);
  const acme = requireIssuer(ctx).acme;
  const order = await acme.getOrder(issuance.orderUrl as string);
  if (order.status === 'invalid') {
    return failIssuance(ctx, {
      reason: LifecycleReason.OrderFailed,
      message: `the CA marked order ${order.url} invalid${order.error?.detail ? `: ${order.error.detail}` : ''}`,
      ...(order.error === undefined
        ? {}
        : { problem: { type: order.error.type, ...(order.error.detail ? { detail: order.error.detail } : {}) } }),
    });
  }
  const authorizations = (await acme.getAuthorizations(order)).map((a) => reduce(a, record.spec.challenge));
  const unusable = authorizations.find((a) => a.status !== 'pending' && a.status !== 'valid');
  if (unusable !== undefined) {
    return failIssuance(ctx, {
      reason: LifecycleReason.OrderFailed,
      message: `authorization for ${unusable.identifier} is ${unusable.status}`,
    });
  }
  const pending = authorizations.filter((a) => a.status === 'pending');
  if (pending.length === 0) {
    const next = advance(issuance, { phase: 'Finalizing', authorizations });
    return {
      status: issuing(
        { ...record.status, issuance: next },
        true,
        LifecycleReason.Finalizing,
        'all authorizations reused',
        now,
      ),
      requeueAfterSeconds: 0,
      reason: LifecycleReason.Finalizing,
      message: 'every authorization is already valid; nothing to present',
    };
  }

  let presentation: { plannedRecords: TxtRecord[] } | { http01Tokens: string[] };
  if (record.spec.challenge === 'dns-01') {
    const resolver = deps.dns?.resolver;
    if (resolver === undefined)
      throw new ValidationError('challenge', 'dns-provider-required', 'dns-01 needs a DNS provider and a resolver');
    const plannedRecords: TxtRecord[] = [];
    for (const a of pending) {
      const response = await acme.challengeResponse(challengeOf(a));
      if (response.type !== 'dns-01') throw new Error(`lifecycle: expected a dns-01 response for ${a.identifier}`);
      const fqdn = await resolver.followCnames(challengeRecordName(a.identifier));
      plannedRecords.push({ fqdn, value: response.txtValue });
    }
    presentation = { plannedRecords };
  } else {
    presentation = { http01Tokens: pending.map((a) => a.token as string) };
  }
  const next = advance(issuance, { authorizations, presentation });
  const count = pending.length;
  return {
    status: issuing(
      { ...record.status, issuance: next },
      true,
      LifecycleReason.Presenting,
      `presenting ${count} challenge(s)`,
      now,
    ),
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Presenting,
    message: `${count} of ${authorizations.length} authorization(s) need ${record.spec.challenge}`,
  };
}

export async function present(ctx: StepContext): Promise<StepOutcome> {
  const { record, deps, now } = ctx;
  const issuance = inFlight(record.status);
  const planned = issuance.presentation ?? {};
  if (record.spec.challenge === 'dns-01' && planned.plannedRecords !== undefined) {
    const provider = deps.dns?.provider;
    if (provider === undefined)
      throw new ValidationError('challenge', 'dns-provider-required', 'dns-01 needs a DNS provider');
    const dns = await provider.present(planned.plannedRecords);
    const next = advance(issuance, { phase: 'Propagating', presentation: { ...planned, dns }, presentedAt: now });
    const zones = dns.zones.map((z) => z.zone).join(', ');
    return {
      status: issuing(
        { ...record.status, issuance: next },
        true,
        LifecycleReason.Propagating,
        'waiting for every authoritative nameserver',
        now,
      ),
      requeueAfterSeconds: 0,
      reason: LifecycleReason.Presenting,
      message: `${planned.plannedRecords.length} TXT value(s) written by ${provider.name} in ${dns.zones.length} change(s) (${zones})`,
    };
  }
  const store = deps.http01;
  if (store === undefined)
    throw new ValidationError('challenge', 'token-store-required', 'http-01 needs an HTTP-01 token store');
  const acme = requireIssuer(ctx).acme;
  const pending = (issuance.authorizations ?? []).filter((a) => a.status === 'pending');
  for (const a of pending) {
    const response = await acme.challengeResponse(challengeOf(a));
    if (response.type !== 'http-01') throw new Error(`lifecycle: expected an http-01 response for ${a.identifier}`);
    await store.put(response.token, response.keyAuthorization);
  }
  const next = advance(issuance, { phase: 'Validating', presentedAt: now });
  return {
    status: issuing(
      { ...record.status, issuance: next },
      true,
      LifecycleReason.Validating,
      'asking the CA to validate',
      now,
    ),
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Presenting,
    message: `${pending.length} HTTP-01 token(s) stored`,
  };
}

/** The challenge as the ACME port expects it, rebuilt from what was recorded. */
export function challengeOf(a: IssuanceAuthorization) {
  return {
    type: a.challengeType as string,
    url: a.challengeUrl as string,
    token: a.token as string,
    status: 'pending' as const,
  };
}
