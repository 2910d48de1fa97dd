/**
 * TEST SUPPORT ONLY (not exported from the package). An in-memory Route53 behind a real `Route53Client`: a
 * middleware answers each command before it is serialized. It follows AWS's documented semantics where moto does
 * not (facts.md): a DELETE must match the current set exactly and a CREATE of an existing set fails, both with
 * InvalidChangeBatch; batch limits are enforced; GetChange can stay PENDING; failures (Throttling,
 * PriorRequestNotComplete, 5xx, a concurrent writer) can be injected. Integration tests use moto instead.
 */

import {
  type Change,
  InvalidChangeBatch,
  NoSuchHostedZone,
  type ResourceRecordSet,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { ROUTE53_BATCH_LIMITS } from './change-batch.js';
import { decodeRoute53Name } from './record-values.js';

interface FakeZone {
  readonly id: string;
  readonly name: string;
  readonly privateZone: boolean;
  readonly sets: Map<string, ResourceRecordSet>;
}

export interface FakeCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

const key = (name: string, type: string): string => `${decodeRoute53Name(name)}|${type}`;
/** Route53 lists names in DNS order: labels compared from the right. */
const order = (name: string): string => decodeRoute53Name(name).split('.').reverse().join('\u0001');
const sameSet = (a: ResourceRecordSet, b: ResourceRecordSet): boolean =>
  a.TTL === b.TTL &&
  JSON.stringify((a.ResourceRecords ?? []).map((r) => r.Value).sort()) ===
    JSON.stringify((b.ResourceRecords ?? []).map((r) => r.Value).sort());

/** An AWS-shaped service error (for codes the SDK does not model, such as Route53's `Throttling`). */
export function awsError(name: string, message: string, httpStatusCode = 400): Route53ServiceException {
  return new Route53ServiceException({
    name,
    message,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}

export class FakeRoute53 {
  readonly client: Route53Client;
  readonly calls: FakeCall[] = [];
  readonly zones = new Map<string, FakeZone>();
  /** Hosted zones per `ListHostedZones` page (AWS: 100). */
  pageSize = 100;
  /** How many `GetChange` polls of a change answer PENDING before INSYNC. */
  pendingPolls = 0;
  /** Runs before a change batch is applied: lets a test play a concurrent writer. */
  beforeChange: ((zone: FakeZone) => void) | undefined;
  readonly #failures: { command: string; error: Error }[] = [];
  readonly #polls = new Map<string, number>();
  #serial = 0;

  constructor() {
    this.client = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    this.client.middlewareStack.add(
      (_next, context) => async (args) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        this.calls.push({ command, input });
        const failure = this.#failures.findIndex((f) => f.command === command);
        if (failure !== -1) throw this.#failures.splice(failure, 1)[0]?.error;
        return { output: { $metadata: {}, ...this.#answer(command, input) }, response: {} };
      },
      { step: 'initialize', name: 'fake-route53' },
    );
  }

  addZone(name: string, options: { privateZone?: boolean; id?: string } = {}): string {
    const id = options.id ?? `Z${String(++this.#serial).padStart(6, '0')}FAKE`;
    this.zones.set(id, {
      id,
      name: decodeRoute53Name(name),
      privateZone: options.privateZone ?? false,
      sets: new Map(),
    });
    return id;
  }

  /** Writes a TXT set directly (another writer's values), as Route53 would store it. */
  putTxt(zoneId: string, name: string, values: string[], ttl = 300): void {
    this.#zone(zoneId).sets.set(key(name, 'TXT'), {
      Name: `${decodeRoute53Name(name)}.`,
      Type: 'TXT',
      TTL: ttl,
      ResourceRecords: values.map((Value) => ({ Value })),
    });
  }

  txt(zoneId: string, name: string): ResourceRecordSet | undefined {
    return this.#zone(zoneId).sets.get(key(name, 'TXT'));
  }

  /** The next call(s) of `command` fail with `error`. */
  failNext(command: string, error: Error, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ command, error });
  }

  count(command: string): number {
    return this.calls.filter((call) => call.command === command).length;
  }

  #zone(id: string): FakeZone {
    const zone = this.zones.get(id.replace(/^\/hostedzone\//, ''));
    if (zone === undefined)
      throw new NoSuchHostedZone({ message: `No hosted zone found with ID: ${id}`, $metadata: {} });
    return zone;
  }

  #answer(command: string, input: Record<string, unknown>): object {
    switch (command) {
      case 'ListHostedZones': {
        const all = [...this.zones.values()];
        const start = input.Marker === undefined ? 0 : all.findIndex((zone) => zone.id === input.Marker);
        const page = all.slice(start, start + this.pageSize);
        const next = all[start + this.pageSize];
        return {
          HostedZones: page.map((zone) => ({
            Id: `/hostedzone/${zone.id}`,
            Name: `${zone.name}.`,
            CallerReference: zone.id,
            Config: { PrivateZone: zone.privateZone },
          })),
          IsTruncated: next !== undefined,
          ...(next === undefined ? {} : { NextMarker: next.id }),
          MaxItems: this.pageSize,
        };
      }
      case 'ListResourceRecordSets': {
        const zone = this.#zone(String(input.HostedZoneId));
        const sets = [...zone.sets.values()].sort((a, b) =>
          `${order(a.Name ?? '')}|${a.Type}`.localeCompare(`${order(b.Name ?? '')}|${b.Type}`),
        );
        const from = `${order(String(input.StartRecordName ?? ''))}|${String(input.StartRecordType ?? '')}`;
        const rest = sets.filter((set) => `${order(set.Name ?? '')}|${set.Type}` >= from);
        const max = Number(input.MaxItems ?? 300);
        const escapeWildcard = (set: ResourceRecordSet) => ({ ...set, Name: set.Name?.replace(/^\*/, '\\052') });
        return {
          ResourceRecordSets: rest.slice(0, max).map(escapeWildcard),
          IsTruncated: rest.length > max,
          MaxItems: max,
        };
      }
      case 'ChangeResourceRecordSets':
        return this.#change(String(input.HostedZoneId), (input.ChangeBatch as { Changes: Change[] }).Changes);
      case 'GetChange': {
        const id = String(input.Id).replace(/^\/change\//, '');
        const polls = (this.#polls.get(id) ?? 0) + 1;
        this.#polls.set(id, polls);
        return { ChangeInfo: { Id: `/change/${id}`, Status: polls > this.pendingPolls ? 'INSYNC' : 'PENDING' } };
      }
      default:
        throw new Error(`fake route53: ${command} is not faked`);
    }
  }

  #change(zoneId: string, changes: Change[]): object {
    const zone = this.#zone(zoneId);
    this.beforeChange?.(zone);
    const refuse = (message: string) => new InvalidChangeBatch({ message, messages: [message], $metadata: {} });
    const records = changes.flatMap((c) => c.ResourceRecordSet?.ResourceRecords ?? []);
    const chars = records.reduce((sum, r) => sum + (r.Value?.length ?? 0), 0);
    if (changes.length > ROUTE53_BATCH_LIMITS.changes || records.length > ROUTE53_BATCH_LIMITS.records) {
      throw refuse('Number of records limit exceeded');
    }
    if (chars > ROUTE53_BATCH_LIMITS.valueChars) throw refuse('Number of characters limit exceeded');
    const next = new Map(zone.sets); // atomic: applied to a copy, committed only if every change passes
    for (const { Action, ResourceRecordSet: set } of changes) {
      if (set?.Name === undefined || set.Type === undefined) throw refuse('missing name or type');
      const name = decodeRoute53Name(set.Name);
      if (name !== zone.name && !name.endsWith(`.${zone.name}`)) throw refuse(`${name} is not in zone ${zone.name}`);
      const k = key(set.Name, set.Type);
      const what = `[name='${name}.', type='${set.Type}']`;
      const existing = next.get(k);
      if (Action === 'DELETE') {
        if (existing === undefined) throw refuse(`Tried to delete resource record set ${what} but it was not found`);
        if (!sameSet(existing, set)) {
          throw refuse(
            `Tried to delete resource record set ${what} but the values provided do not match the current values`,
          );
        }
        next.delete(k);
      } else if (Action === 'CREATE') {
        if (existing !== undefined) throw refuse(`Tried to create resource record set ${what} but it already exists`);
        next.set(k, { ...set, Name: `${name}.` });
      } else {
        next.set(k, { ...set, Name: `${name}.` });
      }
    }
    zone.sets.clear();
    for (const [k, set] of next) zone.sets.set(k, set);
    return { ChangeInfo: { Id: `/change/C${String(++this.#serial).padStart(8, '0')}`, Status: 'PENDING' } };
  }
}

/** A clock that only moves when someone sleeps on it; records every sleep (tests assert waits, not timings). */
export function manualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
