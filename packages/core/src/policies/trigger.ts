/**
 * Does this certificate need a (new) issuance, and why? (cert-manager's trigger controller.) The chain is ordered
 * by priority: the first violation is the reason recorded on the issuance and in events.
 */
import type { CertificateRecord, IsoTime } from '../lifecycle/types.js';
import { type Check, evaluate, type Violation } from './check.js';
import { specHash } from './spec-hash.js';

export const TriggerReason = {
  /** Nothing has been issued for this certificate yet. */
  NotIssued: 'NotIssued',
  /** Status says a certificate was issued, but the certificate store holds no current key/chain for it. */
  KeyMissing: 'KeyMissing',
  /** Names, key type, profile or issuer differ from what the current certificate was issued for (spec hash). */
  SpecChanged: 'SpecChanged',
  /** The current certificate is past its notAfter. */
  Expired: 'Expired',
  /** Someone asked for a renewal (`POST /certificates/{id}/renew`) after the last issuance started. */
  ManualRenew: 'ManualRenew',
  /** The renewal point chosen in the CA's ARI window has been reached (or the CA moved the window to "now"). */
  AriRenewNow: 'AriRenewNow',
  /** The lifetime-based renewal time (1/3 of the lifetime left, 1/2 under 10 days) has been reached. */
  RenewalDue: 'RenewalDue',
} as const;
export type TriggerReason = (typeof TriggerReason)[keyof typeof TriggerReason];

export interface TriggerInput {
  readonly record: CertificateRecord;
  readonly now: IsoTime;
  /** What the certificate store holds as current (`describeCurrent`), undefined when nothing. */
  readonly stored: { readonly revision: number; readonly serial: string } | undefined;
}

type TriggerCheck = Check<TriggerInput, TriggerReason>;

const notIssued: TriggerCheck = ({ record }) =>
  record.status.revision === 0
    ? { reason: TriggerReason.NotIssued, message: 'no certificate has been issued yet' }
    : undefined;

const keyMissing: TriggerCheck = ({ record, stored }) =>
  stored === undefined || stored.revision !== record.status.revision || stored.serial !== record.status.serial
    ? {
        reason: TriggerReason.KeyMissing,
        message: `the certificate store holds no current key and chain for revision ${record.status.revision}`,
      }
    : undefined;

const specChanged: TriggerCheck = ({ record }) =>
  record.status.specHash !== specHash(record.spec)
    ? {
        reason: TriggerReason.SpecChanged,
        message: 'names, key type, profile or issuer changed since the current certificate was issued',
      }
    : undefined;

const expired: TriggerCheck = ({ record, now }) =>
  record.status.notAfter !== undefined && record.status.notAfter <= now
    ? { reason: TriggerReason.Expired, message: `the current certificate expired at ${record.status.notAfter}` }
    : undefined;

const manualRenew: TriggerCheck = ({ record }) => {
  const requested = record.renewRequestedAt;
  const handled = record.status.renewRequestHandledAt;
  return requested !== undefined && (handled === undefined || requested > handled)
    ? { reason: TriggerReason.ManualRenew, message: `a renewal was requested at ${requested}` }
    : undefined;
};

const ariRenewNow: TriggerCheck = ({ record, now }) => {
  const renewal = record.status.renewal;
  return renewal?.source === 'ari' && renewal.at <= now
    ? {
        reason: TriggerReason.AriRenewNow,
        message: `the renewal time ${renewal.at} chosen in the CA's ARI window is reached`,
      }
    : undefined;
};

const renewalDue: TriggerCheck = ({ record, now }) => {
  const renewal = record.status.renewal;
  return renewal?.source === 'lifetime' && renewal.at <= now
    ? { reason: TriggerReason.RenewalDue, message: `the renewal time ${renewal.at} is reached` }
    : undefined;
};

/** Ordered: a missing certificate first, then broken or outdated ones, then the scheduled renewals. */
export const triggerChain: readonly TriggerCheck[] = [
  notIssued,
  keyMissing,
  specChanged,
  expired,
  manualRenew,
  ariRenewNow,
  renewalDue,
];

export function evaluateTrigger(input: TriggerInput): Violation<TriggerReason> | undefined {
  return evaluate(triggerChain, input);
}
