/**
 * Builders of API views for the views' and the report's unit tests (plain data as `GET /certificates/{id}` and
 * `GET /alerts` answer it). Test-only; kept beside the code it feeds.
 */
import type { AlertView, ObservationView } from '../runtime/api-client.js';
import type { MonitoredView } from './view-types.js';

export const FIXED_NOW = new Date('2026-06-01T12:00:00Z');
const DAY_MS = 86_400_000;

/** ISO time `days` from FIXED_NOW (negative: before). */
export function daysFromNow(days: number): string {
  return new Date(FIXED_NOW.getTime() + days * DAY_MS).toISOString();
}

export interface TargetShape {
  readonly id: string;
  readonly type: string;
  /** Serial delivered there; absent = not delivered yet. */
  readonly deployed?: string | undefined;
  readonly state?: string;
  readonly location?: string;
}

export interface ViewShape {
  readonly id?: string;
  readonly names?: readonly string[];
  /** Validity relative to FIXED_NOW in days; absent = not issued yet. */
  readonly validity?: { readonly from: number; readonly to: number };
  readonly serial?: string;
  readonly targets?: readonly TargetShape[];
  readonly endpoints?: readonly { host: string; port: number; serverName?: string }[];
  readonly observations?: readonly ObservationView[];
  readonly failures?: { count: number; reason: string; message?: string; backoffUntil?: string };
  readonly renewalAt?: number;
  readonly renewalSource?: 'ari' | 'lifetime';
}

export function certificateView(shape: ViewShape = {}): MonitoredView {
  const id = shape.id ?? 'cert-1';
  const serial = shape.validity === undefined ? undefined : (shape.serial ?? 'a1b2c3');
  const targets: readonly TargetShape[] = shape.targets ?? [{ id: 'acm', type: 'acm', deployed: serial }];
  return {
    id,
    tenant: 'team-a',
    version: 3,
    createdAt: daysFromNow(-100),
    spec: {
      names: [...(shape.names ?? [`${id}.example.test`])],
      keyType: 'ec-p256',
      challenge: 'dns-01',
      issuer: 'pebble',
      targets: targets.map((t) => ({ id: t.id, type: t.type })),
      endpoints: [...(shape.endpoints ?? [])],
    },
    status: {
      ready: serial === undefined ? 'False' : 'True',
      conditions: [{ type: 'Ready', status: serial === undefined ? 'False' : 'True', reason: 'UpToDate' }],
      revision: serial === undefined ? 0 : 1,
      ...(serial === undefined ? {} : { serial }),
      ...(shape.validity === undefined
        ? {}
        : { notBefore: daysFromNow(shape.validity.from), notAfter: daysFromNow(shape.validity.to) }),
      ...(shape.renewalAt === undefined ? {} : { renewalAt: daysFromNow(shape.renewalAt) }),
      ...(shape.renewalSource === undefined ? {} : { renewalSource: shape.renewalSource }),
      ...(shape.failures === undefined ? {} : { failures: shape.failures }),
      deliveries: Object.fromEntries(
        targets
          .filter((t) => t.deployed !== undefined)
          .map((t) => [
            t.id,
            {
              state: t.state ?? 'delivered',
              revision: 1,
              serial: t.deployed as string,
              location: t.location ?? `arn:aws:acm:us-east-1:000000000000:certificate/${id}`,
            },
          ]),
      ),
    },
    requests: {},
    ...(shape.observations === undefined ? {} : { observations: shape.observations }),
  };
}

/** An open warning `expiring` alert; an override of `undefined` removes the field. */
export function alertView(overrides: { [K in keyof AlertView]?: AlertView[K] | undefined } = {}): AlertView {
  const merged = {
    key: 'expiring:cert-1',
    kind: 'expiring',
    severity: 'warning',
    state: 'open',
    certificateId: 'cert-1',
    subject: 'cert-1',
    names: ['cert-1.example.test'],
    threshold: '7d',
    summary: 'cert-1 expires in 6 days',
    details: { daysLeft: '6' },
    runbook: 'docs/runbooks/expiring.md',
    fingerprint: 'f1',
    openedAt: daysFromNow(-1),
    lastSeenAt: daysFromNow(0),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as unknown as AlertView;
}
