/**
 * The EventBridge rule for ACM's `ACM Certificate Approaching Expiration` event (source `aws.acm`), which ACM sends
 * daily from 45 days before expiry — best effort, and for imported certificates too. A certificate Portcullis manages
 * (tag `portcullis:certificate-id`) is renewed now: ACM says it is close to expiry, so whatever the renewal time
 * says, something went wrong; an unmanaged one raises `unmanaged-expiring` (`handleAcmExpiry` in core decides).
 *
 * The event is validated before anything is read: a rule misconfigured to send other events fails with the field
 * named, instead of renewing or alerting on a guess.
 */
import { type AcmExpiryOutcome, handleAcmExpiry, ValidationError } from '@portcullis/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { getMonitorWiring, type MonitorWiring } from '../wiring/monitor-wiring.js';

export const ACM_EVENT_SOURCE = 'aws.acm';
export const ACM_EXPIRY_DETAIL_TYPE = 'ACM Certificate Approaching Expiration';

/** What ACM puts in `detail` (documented fields; `DaysToExpiry` is a number). */
export interface AcmExpiryDetail {
  readonly DaysToExpiry?: number;
  readonly CommonName?: string;
}

export type AcmExpiryEvent = EventBridgeEvent<typeof ACM_EXPIRY_DETAIL_TYPE, AcmExpiryDetail>;

export interface AcmExpiryInput {
  readonly arn: string;
  readonly region: string;
  readonly daysToExpiry?: number;
}

const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]{1,128}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Checks the event's shape and takes out what the handler needs; throws `ValidationError` naming the field. */
export function parseAcmExpiryEvent(event: unknown): AcmExpiryInput {
  if (typeof event !== 'object' || event === null) {
    throw new ValidationError('event', 'object', 'EventBridge: the event is not an object');
  }
  const e = event as Record<string, unknown>;
  if (e.source !== ACM_EVENT_SOURCE) {
    throw new ValidationError(
      'event.source',
      'one-of',
      `must be "${ACM_EVENT_SOURCE}", got ${JSON.stringify(e.source)}`,
    );
  }
  if (e['detail-type'] !== ACM_EXPIRY_DETAIL_TYPE) {
    throw new ValidationError(
      'event.detail-type',
      'one-of',
      `must be "${ACM_EXPIRY_DETAIL_TYPE}", got ${JSON.stringify(e['detail-type'])}`,
    );
  }
  if (typeof e.region !== 'string' || !REGION.test(e.region)) {
    throw new ValidationError('event.region', 'region', `must be an AWS region, got ${JSON.stringify(e.region)}`);
  }
  const resources = e.resources;
  if (!Array.isArray(resources) || resources.length !== 1) {
    throw new ValidationError(
      'event.resources',
      'one-arn',
      `must hold exactly one ACM certificate ARN, got ${JSON.stringify(resources)}`,
    );
  }
  const arn = resources[0];
  const match = typeof arn === 'string' ? ACM_ARN.exec(arn) : null;
  if (match === null) {
    throw new ValidationError(
      'event.resources[0]',
      'acm-arn',
      `must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got ${JSON.stringify(arn)}`,
    );
  }
  if (match[1] !== e.region) {
    throw new ValidationError(
      'event.resources[0]',
      'same-region',
      `names region ${match[1]} but the event came from ${e.region}`,
    );
  }
  const detail = e.detail;
  if (typeof detail !== 'object' || detail === null) {
    throw new ValidationError('event.detail', 'object', `must be an object, got ${JSON.stringify(detail)}`);
  }
  const days = (detail as Record<string, unknown>).DaysToExpiry;
  if (days !== undefined && (typeof days !== 'number' || !Number.isFinite(days))) {
    throw new ValidationError('event.detail.DaysToExpiry', 'number', `must be a number, got ${JSON.stringify(days)}`);
  }
  return { arn: arn as string, region: e.region, ...(days === undefined ? {} : { daysToExpiry: days as number }) };
}

/** Runs the rule's decision for one event (the handler's body; `portcullis` tools call it directly). */
export async function acmExpiry(current: MonitorWiring, event: unknown): Promise<AcmExpiryOutcome> {
  const input = parseAcmExpiryEvent(event);
  const outcome = await handleAcmExpiry({ ...current.deps, queue: current.wiring.queue }, input);
  current.wiring.logger.info('acm expiry event handled', {
    arn: input.arn,
    ...(input.daysToExpiry === undefined ? {} : { daysToExpiry: input.daysToExpiry }),
    action: outcome.action,
    ...(outcome.certificateId === undefined ? {} : { certificateId: outcome.certificateId }),
  });
  return outcome;
}

export function createAcmExpiryHandler(wiring: () => MonitorWiring) {
  return async (event: AcmExpiryEvent, _context: Context): Promise<AcmExpiryOutcome> => {
    const current = wiring();
    try {
      return await acmExpiry(current, event);
    } finally {
      current.wiring.metrics.flush();
    }
  };
}

export const handler = createAcmExpiryHandler(getMonitorWiring);
