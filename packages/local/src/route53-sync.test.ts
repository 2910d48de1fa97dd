import { type ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import type { DnsProvider, Presentation, TxtRecord } from '@portcullis/core';
import type { Tsig, UpdateOperation } from '@portcullis/dns';
import { describe, expect, it } from 'vitest';
import { Route53SyncError, syncingRoute53Provider, syncRoute53ToBind } from './route53-sync.js';

// Unit tests: the Route53 client answers from an in-memory zone (middleware) and the update is captured instead of
// sent. test/dns/route53-sync.test.ts runs the same sync against real moto_server and bind9.

const TSIG: Tsig = { name: 'portcullis', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 1).toString('base64') };
const SERVER = { host: '127.0.0.1', port: 5353 };

/** A moto-like zone: a list of record sets, served by `ListResourceRecordSets` in pages of `pageSize`. */
function motoZone(sets: ResourceRecordSet[], pageSize = 100) {
  const client = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as { StartRecordName?: string };
      const start = input.StartRecordName === undefined ? 0 : Number(input.StartRecordName.replace('page-', ''));
      const next = start + pageSize;
      const output = {
        $metadata: {},
        ResourceRecordSets: sets.slice(start, next),
        IsTruncated: next < sets.length,
        ...(next < sets.length ? { NextRecordName: `page-${next}`, NextRecordType: 'TXT' } : {}),
      };
      return { output, response: {} };
    },
    { step: 'initialize', name: 'moto-zone' },
  );
  return { client, sets };
}

function captureUpdates() {
  const updates: { zone: string; operations: readonly UpdateOperation[] }[] = [];
  const send = async (_server: unknown, zone: string, _tsig: Tsig, operations: readonly UpdateOperation[]) => {
    updates.push({ zone, operations });
  };
  return { updates, send };
}

const txt = (name: string, values: string[], ttl = 60): ResourceRecordSet => ({
  Name: name,
  Type: 'TXT',
  TTL: ttl,
  ResourceRecords: values.map((Value) => ({ Value })),
});

const HARNESS: ResourceRecordSet[] = [
  {
    Name: 'example.test.',
    Type: 'SOA',
    TTL: 900,
    ResourceRecords: [{ Value: 'ns hostmaster 1 7200 900 1209600 86400' }],
  },
  { Name: 'example.test.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns.com' }] },
  { Name: 'www.example.test.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '127.0.0.1' }] },
];

describe('syncRoute53ToBind', () => {
  it('publishes TXT and CNAME records and leaves every other type alone', async () => {
    const moto = motoZone([
      ...HARNESS,
      txt('_acme-challenge.example.test.', ['"apex"', '"wildcard"']),
      txt('long.example.test.', [`"${'a'.repeat(255)}" "tail"`], 300),
      {
        Name: '_acme-challenge.www.example.test.',
        Type: 'CNAME',
        TTL: 60,
        ResourceRecords: [{ Value: 'www.acme.delegated.test.' }],
      },
      { Name: 'example.test.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'apex-cname-is-not-allowed.test' }] },
      txt('_acme-challenge.example.other.', ['"outside the bind zone"']),
    ]);
    const { updates, send } = captureUpdates();
    const result = await syncRoute53ToBind({
      route53: moto.client,
      zoneId: 'Z1',
      bind: { server: SERVER, zone: 'example.test', tsig: TSIG },
      send,
    });
    expect(updates).toEqual([
      {
        zone: 'example.test',
        operations: [
          { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: ['apex'] },
          { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: ['wildcard'] },
          { op: 'add', name: 'long.example.test', type: 'TXT', ttl: 300, data: ['a'.repeat(255), 'tail'] },
          {
            op: 'add',
            name: '_acme-challenge.www.example.test',
            type: 'CNAME',
            ttl: 60,
            data: 'www.acme.delegated.test',
          },
        ],
      },
    ]);
    expect(result).toMatchObject({ added: 4, deleted: 0 });
  });

  it('sends nothing when bind already holds what moto holds', async () => {
    const moto = motoZone([...HARNESS, txt('_acme-challenge.example.test.', ['"v"'])]);
    const { updates, send } = captureUpdates();
    const bind = { server: SERVER, zone: 'example.test', tsig: TSIG };
    const first = await syncRoute53ToBind({ route53: moto.client, zoneId: 'Z1', bind, send });
    const second = await syncRoute53ToBind({
      route53: moto.client,
      zoneId: 'Z1',
      bind,
      send,
      published: first.published,
    });
    expect(updates).toHaveLength(1);
    expect(second).toMatchObject({ added: 0, deleted: 0, published: first.published });
  });

  it('deletes exactly the values it published that are gone from moto, before adding new ones', async () => {
    const moto = motoZone([txt('_acme-challenge.example.test.', ['"foreign"', '"ours"'])]);
    const { updates, send } = captureUpdates();
    const bind = { server: SERVER, zone: 'example.test', tsig: TSIG };
    const first = await syncRoute53ToBind({ route53: moto.client, zoneId: 'Z1', bind, send });
    moto.sets.splice(
      0,
      1,
      txt('_acme-challenge.example.test.', ['"foreign"']),
      txt('_acme-challenge.b.example.test.', ['"new"']),
    );
    const second = await syncRoute53ToBind({
      route53: moto.client,
      zoneId: 'Z1',
      bind,
      send,
      published: first.published,
    });
    expect(updates[1]?.operations).toEqual([
      { op: 'delete', name: '_acme-challenge.example.test', type: 'TXT', data: ['ours'] },
      { op: 'add', name: '_acme-challenge.b.example.test', type: 'TXT', ttl: 60, data: ['new'] },
    ]);
    expect(second).toMatchObject({ added: 1, deleted: 1 });
  });

  it('reads every page of the hosted zone', async () => {
    const names = Array.from({ length: 5 }, (_, i) => txt(`n${i}.example.test.`, [`"${i}"`]));
    const moto = motoZone(names, 2);
    const { updates, send } = captureUpdates();
    await syncRoute53ToBind({
      route53: moto.client,
      zoneId: 'Z1',
      bind: { server: SERVER, zone: 'example.test', tsig: TSIG },
      send,
    });
    expect(updates[0]?.operations).toHaveLength(5);
  });
});

describe('syncingRoute53Provider', () => {
  /** A provider that writes into the moto-like zone, as the Route53 provider would. */
  function innerProvider(sets: ResourceRecordSet[], zone: string, zoneId: string): DnsProvider {
    const write = (records: readonly TxtRecord[], add: boolean) => {
      for (const { fqdn, value } of records) {
        const existing = sets.find((set) => set.Name === `${fqdn}.` && set.Type === 'TXT');
        const values = new Set((existing?.ResourceRecords ?? []).map((r) => r.Value ?? ''));
        if (add) values.add(`"${value}"`);
        else values.delete(`"${value}"`);
        if (existing !== undefined) sets.splice(sets.indexOf(existing), 1);
        if (values.size > 0) sets.push(txt(`${fqdn}.`, [...values]));
      }
    };
    return {
      name: 'route53',
      present: async (records) => {
        write(records, true);
        return { provider: 'route53', zones: [{ zone, zoneId, records: [...records], changeId: 'C1' }] };
      },
      cleanup: async (presentation: Presentation) =>
        write(
          presentation.zones.flatMap((z) => z.records),
          false,
        ),
      isCommitted: async () => true,
    };
  }

  it('publishes right after present and removes right after cleanup, in the longest enclosing bind zone', async () => {
    const moto = motoZone([]);
    const { updates, send } = captureUpdates();
    const bind = { host: '127.0.0.1', port: 5353, zones: ['test', 'example.test'], tsig: TSIG };
    const provider = syncingRoute53Provider(innerProvider(moto.sets, 'sub.example.test', 'Z2'), {
      route53: moto.client,
      bind,
      send,
    });
    const presentation = await provider.present([{ fqdn: '_acme-challenge.sub.example.test', value: 'v' }]);
    expect(updates).toEqual([
      {
        zone: 'example.test',
        operations: [{ op: 'add', name: '_acme-challenge.sub.example.test', type: 'TXT', ttl: 60, data: ['v'] }],
      },
    ]);
    await provider.cleanup(presentation);
    expect(updates[1]?.operations).toEqual([
      { op: 'delete', name: '_acme-challenge.sub.example.test', type: 'TXT', data: ['v'] },
    ]);
    await expect(provider.isCommitted?.(presentation)).resolves.toBe(true);
  });

  it('fails naming the hosted zone when no bind zone encloses it', async () => {
    const moto = motoZone([]);
    const { send } = captureUpdates();
    const bind = { host: '127.0.0.1', port: 5353, zones: ['example.test'], tsig: TSIG };
    const provider = syncingRoute53Provider(innerProvider(moto.sets, 'other.test', 'Z3'), {
      route53: moto.client,
      bind,
      send,
    });
    const error = await provider.present([{ fqdn: '_acme-challenge.other.test', value: 'v' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Route53SyncError);
    expect((error as Error).message).toBe("bind: hosted zone other.test is in none of bind's zones (example.test)");
  });
});
