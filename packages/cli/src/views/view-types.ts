/**
 * The certificate view as the view commands read it: `CertificateView` plus the monitoring fields of issue #4
 * (renewal source, backoff until), optional so an API that leaves them out still renders.
 */
import type { AlertView, CertificateView, EndpointView, ObservationView } from '../runtime/api-client.js';

export type MonitoredView = CertificateView & {
  /** Older APIs (before #4) leave `endpoints` out. */
  readonly spec: { readonly endpoints?: readonly EndpointView[] };
  readonly status: {
    /** `ari` | `lifetime` (status.renewal.source) when the API exposes it. */
    readonly renewalSource?: 'ari' | 'lifetime';
    readonly failures?: { readonly backoffUntil?: string };
  };
};

/** `GET /alerts` items: the stored alert without its version. */
export type AlertRow = AlertView;

/** `endpoint:<host>:<port>`, the observation location of a live endpoint (IPv6 hosts in brackets). */
export function endpointLocation(endpoint: EndpointView): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `endpoint:${host}:${endpoint.port}`;
}

/** Serials compared as hex numbers: case and leading zeros differ between sources (ACM, x509, the record). */
export function sameSerial(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const normal = (s: string) =>
    s
      .toLowerCase()
      .replace(/:/g, '')
      .replace(/^0+(?=.)/, '');
  return normal(a) === normal(b);
}

export const ObservedMatch = {
  /** The monitor saw the current serial there. */
  Match: 'match',
  /** The monitor saw another serial than the current revision's. */
  Drift: 'DRIFT',
  /** The monitor looked and found nothing (deleted out of band, endpoint down): see the error. */
  Absent: 'absent',
  /** No observation yet. */
  Unobserved: '-',
} as const;
export type ObservedMatch = (typeof ObservedMatch)[keyof typeof ObservedMatch];

export function observedMatch(
  observation: ObservationView | undefined,
  currentSerial: string | undefined,
): ObservedMatch {
  if (observation === undefined) return ObservedMatch.Unobserved;
  if (observation.serial === undefined) return ObservedMatch.Absent;
  return sameSerial(observation.serial, currentSerial) ? ObservedMatch.Match : ObservedMatch.Drift;
}
