/**
 * `portcullis status <id>`: a summary (spec, revision, serial, expiry, renewal time and its source, failures with
 * backoff), the conditions with reasons, a table of targets (deployed serial from the delivery record, observed
 * serial from the monitor, days left, match/drift) and a table of live endpoints.
 */
import type { ObservationView } from '../runtime/api-client.js';
import { daysLeftCell } from './expiry.js';
import { renderTable } from './table.js';
import { type Colours, plainColours } from './terminal.js';
import { endpointLocation, type MonitoredView, ObservedMatch, observedMatch, sameSerial } from './view-types.js';

function matchCell(match: ObservedMatch, colours: Colours): string {
  if (match === ObservedMatch.Match) return colours.green(match);
  if (match === ObservedMatch.Drift) return colours.red(match);
  if (match === ObservedMatch.Absent) return colours.yellow(match);
  return match;
}

function summaryRows(view: MonitoredView, now: Date, colours: Colours): string[][] {
  const { spec, status } = view;
  const failures = status.failures;
  return [
    ['id', view.id],
    ['tenant', view.tenant],
    ['names', spec.names.join(', ')],
    ['key / challenge', `${spec.keyType} / ${spec.challenge}`],
    ['issuer', `${spec.issuer}${spec.profile === undefined ? '' : ` (profile ${spec.profile})`}`],
    ['ready', status.ready === 'True' ? colours.green(status.ready) : colours.yellow(status.ready)],
    ['revision', String(status.revision)],
    ['phase', status.phase ?? '-'],
    ['serial', status.serial ?? '-'],
    ['not before', status.notBefore ?? '-'],
    [
      'not after',
      status.notAfter === undefined ? '-' : `${status.notAfter} (${daysLeftCell(status, now, colours)} days left)`,
    ],
    [
      'renewal at',
      status.renewalAt === undefined
        ? '-'
        : `${status.renewalAt}${status.renewalSource === undefined ? '' : ` (${status.renewalSource})`}`,
    ],
    ...(view.requests.renewRequestedAt === undefined ? [] : [['renewal requested', view.requests.renewRequestedAt]]),
    ...(failures === undefined
      ? []
      : [
          [
            'failures',
            colours.red(
              `${failures.count} × ${failures.reason}${failures.message === undefined ? '' : `: ${failures.message}`}`,
            ),
          ],
          ['backoff until', failures.backoffUntil ?? '-'],
        ]),
  ];
}

function targetRows(view: MonitoredView, observations: ReadonlyMap<string, ObservationView>, now: Date, c: Colours) {
  const { status } = view;
  return view.spec.targets.map((target) => {
    const delivery = status.deliveries[target.id];
    const seen = observations.get(target.id);
    // Days left of what is deployed: the current certificate's when the serials agree, else the observed one's.
    const deployedDates = sameSerial(delivery?.serial, status.serial)
      ? status
      : sameSerial(delivery?.serial, seen?.serial) && seen !== undefined
        ? { notAfter: seen.notAfter }
        : {};
    return [
      target.id,
      target.type,
      delivery?.state ?? 'pending',
      delivery?.revision === undefined ? '-' : String(delivery.revision),
      delivery?.serial ?? '-',
      daysLeftCell(deployedDates, now, c),
      delivery?.location ?? '-',
      seen?.serial ?? '-',
      matchCell(observedMatch(seen, status.serial), c),
      seen?.error ?? '',
    ];
  });
}

function endpointRows(view: MonitoredView, observations: ReadonlyMap<string, ObservationView>, now: Date, c: Colours) {
  return (view.spec.endpoints ?? []).map((endpoint) => {
    const seen = observations.get(endpointLocation(endpoint));
    return [
      `${endpoint.host}:${endpoint.port}`,
      endpoint.serverName ?? '-',
      seen?.serial ?? '-',
      matchCell(observedMatch(seen, view.status.serial), c),
      daysLeftCell({ notAfter: seen?.notAfter }, now, c),
      seen?.observedAt ?? '-',
      seen?.error ?? '',
    ];
  });
}

export function formatStatus(view: MonitoredView, now: Date = new Date(), colours: Colours = plainColours): string {
  const observations = new Map((view.observations ?? []).map((o) => [o.location, o]));
  const sections = [
    renderTable(['FIELD', 'VALUE'], summaryRows(view, now, colours)),
    renderTable(
      ['CONDITION', 'STATUS', 'REASON', 'SINCE', 'MESSAGE'],
      view.status.conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionAt ?? '-', c.message ?? '']),
    ),
    // Column order keeps TARGET..LOCATION as before #4 (scripts grep it); what the monitor saw follows.
    renderTable(
      [
        'TARGET',
        'TYPE',
        'STATE',
        'REVISION',
        'DEPLOYED SERIAL',
        'DAYS LEFT',
        'LOCATION',
        'OBSERVED SERIAL',
        'MATCH',
        'ERROR',
      ],
      targetRows(view, observations, now, colours),
    ),
  ];
  const endpoints = endpointRows(view, observations, now, colours);
  if (endpoints.length > 0) {
    sections.push(
      renderTable(['ENDPOINT', 'SNI', 'OBSERVED SERIAL', 'MATCH', 'DAYS LEFT', 'OBSERVED AT', 'ERROR'], endpoints),
    );
  }
  return sections.join('\n\n');
}
