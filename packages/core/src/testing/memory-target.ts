import { PortcullisError } from '../errors.js';
import type { TargetSpec, TargetType } from '../lifecycle/types.js';
import type { CertificateMaterial } from '../ports/certificate-store.js';
import type { DeliveryContext, DeliveryResult, ObservedDeployment, Target, TargetFactory } from '../ports/target.js';

interface Deployment {
  location: string;
  certificateId: string;
  targetId: string;
  serial: string;
  notAfter: string;
  keyPem: string;
}

/**
 * In-memory target shaped like ACM: locations are ARN-like, a first publish "imports" (creates a location tagged
 * with certificate and target id), a later one re-imports in place. `imports` counts import calls (quota use).
 * `failNext(error)` makes the next publish throw (throttling, outage) for failure-path tests.
 */
export class MemoryTarget implements Target {
  readonly type: TargetType;
  readonly quotaScope?: string;
  readonly #deployments = new Map<string, Deployment>();
  #next = 0;
  #failures: Error[] = [];
  imports = 0;

  constructor(options: { type?: TargetType; quotaScope?: string; name?: string } = {}) {
    this.type = options.type ?? 'acm';
    if (options.quotaScope !== undefined) this.quotaScope = options.quotaScope;
    this.#name = options.name ?? 'memory';
  }

  readonly #name: string;

  async publish(material: CertificateMaterial, context: DeliveryContext): Promise<DeliveryResult> {
    const failure = this.#failures.shift();
    if (failure !== undefined) throw failure;
    const existing =
      (context.location === undefined ? undefined : this.#deployments.get(context.location)) ??
      this.#findTagged(context);
    if (existing !== undefined && existing.serial === material.serial) {
      return { location: existing.location, serial: existing.serial, supersededLocations: [], imported: false };
    }
    this.imports += 1;
    const location = existing?.location ?? `arn:${this.#name}:certificate/${++this.#next}`;
    this.#deployments.set(location, {
      location,
      certificateId: context.certificateId,
      targetId: context.targetId,
      serial: material.serial,
      notAfter: material.notAfter,
      keyPem: material.key.reveal(),
    });
    return { location, serial: material.serial, supersededLocations: [], imported: true };
  }

  async observe(context: DeliveryContext): Promise<ObservedDeployment | undefined> {
    const found =
      (context.location === undefined ? undefined : this.#deployments.get(context.location)) ??
      this.#findTagged(context);
    return found === undefined
      ? undefined
      : { location: found.location, serial: found.serial, notAfter: found.notAfter };
  }

  /** Test support: the next publish throws `error` (default: a retryable throttling error). */
  failNext(error: Error = new PortcullisError('Throttled', `${this.#name}: throttled`, { retryable: true })): void {
    this.#failures.push(error);
  }

  /** Test support: how many distinct locations exist. */
  get locations(): number {
    return this.#deployments.size;
  }

  /** Test support: remove a deployment out of band (drift). */
  removeAll(): void {
    this.#deployments.clear();
  }

  #findTagged(context: DeliveryContext): Deployment | undefined {
    return [...this.#deployments.values()].find(
      (d) => d.certificateId === context.certificateId && d.targetId === context.targetId,
    );
  }
}

/** One `MemoryTarget` per target id, created on first use. */
export class MemoryTargetFactory implements TargetFactory {
  readonly targets = new Map<string, MemoryTarget>();

  forSpec(target: TargetSpec): MemoryTarget {
    let found = this.targets.get(target.id);
    if (found === undefined) {
      const region = target.options.region;
      found = new MemoryTarget({
        type: target.type,
        name: target.id,
        ...(target.type === 'acm' ? { quotaScope: `acm:${region ?? 'local'}` } : {}),
      });
      this.targets.set(target.id, found);
    }
    return found;
  }

  /** Total imports over every target. */
  get imports(): number {
    return [...this.targets.values()].reduce((sum, t) => sum + t.imports, 0);
  }
}
