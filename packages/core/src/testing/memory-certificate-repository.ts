import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { CertificateRecord, IsoTime } from '../lifecycle/types.js';
import type {
  CertificateRepository,
  ListCertificatesFilter,
  OrderRecord,
  OrderRepository,
  Page,
  PageRequest,
} from '../ports/certificate-repository.js';
import { copy, pageOf } from './pages.js';

/**
 * In-memory `CertificateRepository` (tests, local experiments). Same contract as the DynamoDB adapter, checked by
 * the same conformance suite. `reads` counts records read, so tests and benchmarks can show that `listDue` reads
 * only what is due. `failNextUpdates` injects crashes (a write that never happens) for fault-injection tests.
 */
export class MemoryCertificateRepository implements CertificateRepository {
  readonly #records = new Map<string, CertificateRecord>();
  /** Records read by any call (a DynamoDB adapter would count items read). */
  reads = 0;
  /** Successful writes. */
  writes = 0;
  #beforeUpdate: ((record: CertificateRecord) => void) | undefined;

  async get(id: string): Promise<CertificateRecord | undefined> {
    const record = this.#records.get(id);
    if (record !== undefined) this.reads += 1;
    return record === undefined ? undefined : copy(record);
  }

  async create(record: CertificateRecord): Promise<void> {
    if (record.version !== 1) {
      throw new ValidationError('version', 'initial-version', `a new record has version 1, got ${record.version}`);
    }
    if (this.#records.has(record.id)) throw new ConflictError(`memory: certificate ${record.id} exists already`);
    this.#records.set(record.id, copy(record));
    this.writes += 1;
  }

  async update(record: CertificateRecord): Promise<CertificateRecord> {
    const stored = this.#records.get(record.id);
    if (stored === undefined) throw new NotFoundError(`memory: certificate ${record.id} does not exist`);
    if (stored.version !== record.version) {
      throw new ConflictError(
        `memory: certificate ${record.id} is at version ${stored.version}, the update expected ${record.version}`,
      );
    }
    this.#beforeUpdate?.(record);
    const next = copy({ ...record, version: record.version + 1 });
    this.#records.set(record.id, next);
    this.writes += 1;
    return copy(next);
  }

  async delete(id: string, version: number): Promise<void> {
    const stored = this.#records.get(id);
    if (stored === undefined) return;
    if (stored.version !== version) {
      throw new ConflictError(
        `memory: certificate ${id} is at version ${stored.version}, the delete expected ${version}`,
      );
    }
    this.#records.delete(id);
    this.writes += 1;
  }

  async listDue(now: IsoTime, limit: number): Promise<readonly CertificateRecord[]> {
    checkLimit(limit);
    // A sorted index would be used by a real store; the fake scans, but counts only the items a query would read.
    const due = [...this.#records.values()]
      .filter((r) => r.nextWakeAt !== undefined && r.nextWakeAt <= now)
      .sort((a, b) => ((a.nextWakeAt ?? '') < (b.nextWakeAt ?? '') ? -1 : a.nextWakeAt === b.nextWakeAt ? 0 : 1))
      .slice(0, limit);
    this.reads += due.length;
    return due.map(copy);
  }

  async list(filter: ListCertificatesFilter, page: PageRequest): Promise<Page<CertificateRecord>> {
    const matching = [...this.#records.values()].filter((r) => matches(r, filter));
    const result = pageOf(matching, (r) => r.id, page);
    this.reads += result.items.length;
    return { ...result, items: result.items.map(copy) };
  }

  /** Test support: the next update calls `hook` before writing (throw from it to simulate a crash/lost write). */
  onBeforeUpdate(hook: ((record: CertificateRecord) => void) | undefined): void {
    this.#beforeUpdate = hook;
  }

  /** Test support: how many records are stored. */
  get size(): number {
    return this.#records.size;
  }
}

function matches(record: CertificateRecord, filter: ListCertificatesFilter): boolean {
  if (filter.tenant !== undefined && record.spec.tenant !== filter.tenant) return false;
  if (filter.name !== undefined && !record.spec.names.includes(filter.name)) return false;
  if (filter.ready !== undefined) {
    const ready = record.status.conditions.find((c) => c.type === 'Ready')?.status === 'True' ? 'True' : 'False';
    if (ready !== filter.ready) return false;
  }
  return true;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new ValidationError('limit', 'range', `must be an integer from 1 to 1000, got ${limit}`);
  }
}

/** In-memory `OrderRepository`. */
export class MemoryOrderRepository implements OrderRepository {
  readonly #orders = new Map<string, OrderRecord>();

  async put(order: OrderRecord): Promise<void> {
    this.#orders.set(orderKey(order.certificateId, order.revision, order.attempt), copy(order));
  }

  async get(certificateId: string, revision: number, attempt: number): Promise<OrderRecord | undefined> {
    const order = this.#orders.get(orderKey(certificateId, revision, attempt));
    return order === undefined ? undefined : copy(order);
  }

  async list(certificateId: string, page: PageRequest): Promise<Page<OrderRecord>> {
    const own = [...this.#orders.values()].filter((o) => o.certificateId === certificateId);
    // Newest first: invert the numbers so that ascending key order is descending (revision, attempt).
    const result = pageOf(own, (o) => `${invert(o.revision)}.${invert(o.attempt)}`, page);
    return { ...result, items: result.items.map(copy) };
  }
}

function orderKey(certificateId: string, revision: number, attempt: number): string {
  return `${certificateId}/${revision}.${attempt}`;
}

function invert(n: number): string {
  return String(1e9 - n).padStart(10, '0');
}
