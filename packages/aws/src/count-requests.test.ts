import { Readable } from 'node:stream';
import { GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { countAwsRequests } from './count-requests.js';

// Unit test: a request handler answers in-process with real Route53 XML, so the whole SDK stack (retries
// included) runs without network. The benchmark and the integration tests use the counter against moto.

const INSYNC = `<?xml version="1.0"?>
<GetChangeResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C1</Id>
<Status>INSYNC</Status><SubmittedAt>2026-01-01T00:00:00Z</SubmittedAt></ChangeInfo></GetChangeResponse>`;
const UNAVAILABLE = `<?xml version="1.0"?>
<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>try again</Message></Error></ErrorResponse>`;

function clientAnswering(statuses: number[], maxAttempts: number): Route53Client {
  let call = 0;
  return new Route53Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts,
    requestHandler: {
      handle: async () => {
        const statusCode = statuses[Math.min(call++, statuses.length - 1)] ?? 200;
        const body = statusCode === 200 ? INSYNC : UNAVAILABLE;
        return {
          response: { statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) },
        };
      },
    },
  });
}

describe('countAwsRequests', () => {
  it('counts requests per command', async () => {
    const client = clientAnswering([200], 1);
    const counter = countAwsRequests(client);
    await client.send(new GetChangeCommand({ Id: 'C1' }));
    await client.send(new GetChangeCommand({ Id: 'C1' }));
    expect(counter.byCommand()).toEqual({ GetChangeCommand: 2 });
    expect(counter.total).toBe(2);
    expect(counter.count('ListHostedZonesCommand')).toBe(0);
  });

  it('counts each attempt of an SDK-internal retry, as AWS sees them', async () => {
    const client = clientAnswering([503, 200], 2);
    const counter = countAwsRequests(client);
    await client.send(new GetChangeCommand({ Id: 'C1' }));
    expect(counter.count('GetChangeCommand')).toBe(2);
  });

  it('starts again after reset and stops after detach', async () => {
    const client = clientAnswering([200], 1);
    const counter = countAwsRequests(client);
    await client.send(new GetChangeCommand({ Id: 'C1' }));
    counter.reset();
    expect(counter.total).toBe(0);
    counter.detach();
    await client.send(new GetChangeCommand({ Id: 'C1' }));
    expect(counter.total).toBe(0);
  });
});
