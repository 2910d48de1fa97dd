import { PriorRequestNotComplete } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { Route53Error, Route53ErrorCode } from './errors.js';
import { awsError, FakeRoute53, manualClock } from './fake-route53.js';
import { backoffDelay, DEFAULT_RETRY, Route53Api } from './route53-api.js';
import { TokenBucket } from './throttle.js';

// Unit tests with the in-memory fake: moto never throttles, never answers PriorRequestNotComplete or 5xx.

const ZONE = { zoneId: 'Z1', zone: 'example.test' };

function setup(options: { random?: number } = {}) {
  const fake = new FakeRoute53();
  fake.addZone('example.test', { id: 'Z1' });
  const clock = manualClock();
  const throttle = new TokenBucket({ ratePerSecond: 10, burst: 50, clock });
  const api = new Route53Api(fake.client, throttle, DEFAULT_RETRY, clock, () => options.random ?? 1);
  return { fake, clock, api };
}

describe('backoffDelay', () => {
  const cases: Record<string, { attempt: number; random: number; want: number }> = {
    'waits the full base delay on the first retry at the top of the jitter': { attempt: 1, random: 1, want: 200 },
    'waits half of it at the bottom of the jitter': { attempt: 1, random: 0, want: 100 },
    'doubles with each retry': { attempt: 3, random: 1, want: 800 },
    'stops growing at the cap': { attempt: 12, random: 1, want: 10_000 },
  };
  it.each(Object.entries(cases))('%s', (_name, { attempt, random, want }) => {
    expect(backoffDelay(attempt, DEFAULT_RETRY, () => random)).toBe(want);
  });
});

describe('Route53Api retries', () => {
  const transient: Record<string, Error> = {
    'Throttling (Rate exceeded)': awsError('Throttling', 'Rate exceeded'),
    'PriorRequestNotComplete while the previous change of the zone is in flight': new PriorRequestNotComplete({
      message: 'The request was rejected because Route 53 was still processing a prior request.',
      $metadata: { httpStatusCode: 400 },
    }),
    'a 503 from the service': awsError('ServiceUnavailable', 'try again', 503),
  };
  it.each(Object.entries(transient))('retries %s with growing waits, then succeeds', async (_name, error) => {
    const { fake, clock, api } = setup();
    fake.failNext('ListResourceRecordSets', error, 2);
    await expect(api.readTxtRecordSet(ZONE, '_acme-challenge.example.test')).resolves.toBeUndefined();
    expect(fake.count('ListResourceRecordSets')).toBe(3);
    expect(clock.sleeps).toEqual([200, 400]);
  });

  it('gives up after the bounded attempts with a retryable error naming zone, record and AWS code', async () => {
    const { fake, api } = setup();
    fake.failNext('ListResourceRecordSets', awsError('Throttling', 'Rate exceeded'), DEFAULT_RETRY.maxAttempts);
    const error = await api.readTxtRecordSet(ZONE, '_acme-challenge.example.test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Route53Error);
    expect(error).toMatchObject({ route53Code: Route53ErrorCode.Throttled, awsCode: 'Throttling', retryable: true });
    expect((error as Error).message).toBe(
      'route53: zone Z1 (example.test) record _acme-challenge.example.test: ListResourceRecordSets: Throttling: Rate exceeded (gave up after 6 attempts)',
    );
    expect(fake.count('ListResourceRecordSets')).toBe(DEFAULT_RETRY.maxAttempts);
  });

  it('does not retry a refusal such as AccessDenied', async () => {
    const { fake, clock, api } = setup();
    fake.failNext('ChangeResourceRecordSets', awsError('AccessDenied', 'not allowed', 403));
    const error = await api.changeRecordSets(ZONE, [], 'x').catch((e: unknown) => e);
    expect(error).toMatchObject({
      route53Code: Route53ErrorCode.RequestFailed,
      awsCode: 'AccessDenied',
      retryable: false,
    });
    expect(clock.sleeps).toEqual([]);
  });

  it('takes a token from the account bucket for every attempt, retries included', async () => {
    const fake = new FakeRoute53();
    // A frozen clock: the backoff sleeps do not refill the bucket, so the tokens left count the attempts.
    const clock = { now: () => new Date(0), sleep: async () => {} };
    const throttle = new TokenBucket({ ratePerSecond: 10, burst: 5, clock });
    const api = new Route53Api(fake.client, throttle, DEFAULT_RETRY, clock, () => 1);
    fake.failNext('GetChange', awsError('Throttling', 'Rate exceeded'), 2);
    await api.changeStatus(ZONE, 'C1');
    expect(fake.count('GetChange')).toBe(3);
    expect(throttle.available).toBe(2);
  });

  it('reads only the TXT set of exactly the name asked for', async () => {
    const { fake, api } = setup();
    fake.putTxt('Z1', '_acme-challenge.b.example.test', ['"next name"']);
    await expect(api.readTxtRecordSet(ZONE, '_acme-challenge.a.example.test')).resolves.toBeUndefined();
    await expect(api.readTxtRecordSet(ZONE, '_acme-challenge.b.example.test')).resolves.toEqual({
      name: '_acme-challenge.b.example.test.',
      ttl: 300,
      values: ['"next name"'],
    });
  });
});
