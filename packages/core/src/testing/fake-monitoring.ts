/**
 * Fakes of the monitor's outward ports (notifications, TLS probes, the ACM inventory, the dead-letter queue), for
 * unit tests of the monitor and for failure paths the real services cannot be made to produce on demand.
 */
import { PortcullisError } from '../errors.js';
import type { AcmCertificateSummary, Alert } from '../monitoring/types.js';
import type {
  AcmInventory,
  AlertTransition,
  DeadLetterQueue,
  EndpointProber,
  Notifier,
  ProbeResult,
} from '../ports/monitoring.js';
import { copy } from './pages.js';

/** Records notifications; `failNext` / `failWhen` make sends throw (SNS outage, throttling). */
export class RecordingNotifier implements Notifier {
  readonly sent: { alert: Alert; transition: AlertTransition }[] = [];
  #failures = 0;
  #failWhen: ((alert: Alert, transition: AlertTransition) => boolean) | undefined;

  async notify(alert: Alert, transition: AlertTransition): Promise<void> {
    if (this.#failures > 0 || this.#failWhen?.(alert, transition) === true) {
      this.#failures = Math.max(0, this.#failures - 1);
      throw new PortcullisError('NotifyFailed', `sns: publishing alert ${alert.key} failed`, { retryable: true });
    }
    this.sent.push({ alert: copy(alert), transition });
  }

  /** The next `count` sends throw. */
  failNext(count = 1): void {
    this.#failures += count;
  }

  /** Every send matching `predicate` throws until called again with undefined. */
  failWhen(predicate: ((alert: Alert, transition: AlertTransition) => boolean) | undefined): void {
    this.#failWhen = predicate;
  }

  /** `<transition> <key>` of every send, in order (compact assertions). */
  get log(): string[] {
    return this.sent.map((s) => `${s.transition} ${s.alert.key}`);
  }
}

type ProbeRequest = Parameters<EndpointProber['probe']>[0];

/** Answers probes from a table of `host:port`; an unknown endpoint refuses the connection. */
export class FakeEndpointProber implements EndpointProber {
  readonly #answers = new Map<string, ProbeResult | Error>();
  readonly probes: ProbeRequest[] = [];

  /** What `host:port` serves (or the error its handshake ends with). */
  serve(host: string, port: number, answer: ProbeResult | Error): void {
    this.#answers.set(`${host}:${port}`, answer);
  }

  async probe(endpoint: ProbeRequest): Promise<ProbeResult> {
    this.probes.push({ ...endpoint });
    const answer = this.#answers.get(`${endpoint.host}:${endpoint.port}`);
    if (answer === undefined) {
      throw new PortcullisError('ProbeFailed', `tls: ${endpoint.host}:${endpoint.port}: connection refused`, {
        retryable: true,
      });
    }
    if (answer instanceof Error) throw answer;
    return copy(answer);
  }
}

/** ACM certificates per region; `fail(region)` makes listing that region throw. */
export class FakeAcmInventory implements AcmInventory {
  readonly #regions = new Map<string, AcmCertificateSummary[]>();
  readonly #failing = new Map<string, Error>();
  /** Regions listed, in order. */
  readonly listed: string[] = [];

  add(summary: AcmCertificateSummary): void {
    const list = this.#regions.get(summary.region) ?? [];
    this.#regions.set(summary.region, [...list.filter((s) => s.arn !== summary.arn), copy(summary)]);
  }

  fail(region: string, error: Error = new PortcullisError('Throttled', `acm: ${region}: throttled`)): void {
    this.#failing.set(region, error);
  }

  async list(region: string): Promise<readonly AcmCertificateSummary[]> {
    this.listed.push(region);
    const failure = this.#failing.get(region);
    if (failure !== undefined) throw failure;
    return copy(this.#regions.get(region) ?? []);
  }
}

/** A dead-letter queue whose depth the test sets; `fail()` makes `depth` throw. */
export class FakeDeadLetterQueue implements DeadLetterQueue {
  readonly name: string;
  messages = 0;
  #failure: Error | undefined;

  constructor(name = 'portcullis-reconcile-dlq') {
    this.name = name;
  }

  fail(error: Error | undefined = new PortcullisError('Throttled', `sqs: ${this.name}: throttled`)): void {
    this.#failure = error;
  }

  async depth(): Promise<number> {
    if (this.#failure !== undefined) throw this.#failure;
    return this.messages;
  }
}
