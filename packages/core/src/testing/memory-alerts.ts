import { ConflictError } from '../errors.js';
import type { AlertRecord, Observation } from '../monitoring/types.js';
import type { Page, PageRequest } from '../ports/certificate-repository.js';
import type { AlertFilter, AlertRepository, ObservationStore } from '../ports/monitoring.js';
import { copy, pageOf } from './pages.js';

/** In-memory `AlertRepository`; same contract as the DynamoDB adapter (test/conformance/alert-repository.suite.ts). */
export class MemoryAlertRepository implements AlertRepository {
  readonly #records = new Map<string, AlertRecord>();
  /** Successful writes (tests check that an unchanged run writes what it should and no more). */
  writes = 0;

  async get(key: string): Promise<AlertRecord | undefined> {
    const record = this.#records.get(key);
    return record === undefined ? undefined : copy(record);
  }

  async put(record: AlertRecord): Promise<AlertRecord> {
    const stored = this.#records.get(record.key);
    const storedVersion = stored?.version ?? 0;
    if (storedVersion !== record.version) {
      throw new ConflictError(
        `memory: alert ${record.key} is at version ${storedVersion}, the write expected ${record.version}`,
      );
    }
    const next = copy({ ...record, version: record.version + 1 });
    this.#records.set(record.key, next);
    this.writes += 1;
    return copy(next);
  }

  async list(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>> {
    const matching = [...this.#records.values()].filter((r) => matches(r, filter));
    const result = pageOf(matching, (r) => r.key, page);
    return { ...result, items: result.items.map(copy) };
  }

  /** Test support: every record, by key. */
  all(): readonly AlertRecord[] {
    return [...this.#records.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map(copy);
  }
}

function matches(record: AlertRecord, filter: AlertFilter): boolean {
  if (filter.state !== undefined && record.state !== filter.state) return false;
  if (filter.kind !== undefined && record.kind !== filter.kind) return false;
  if (filter.certificateId !== undefined && record.certificateId !== filter.certificateId) return false;
  if (filter.tenant === null) return record.tenant === undefined;
  if (filter.tenant !== undefined && record.tenant !== filter.tenant) return false;
  return true;
}

/** In-memory `ObservationStore`; same contract as the DynamoDB adapter (observation-store.suite.ts). */
export class MemoryObservationStore implements ObservationStore {
  readonly #observations = new Map<string, readonly Observation[]>();

  async put(certificateId: string, observations: readonly Observation[]): Promise<void> {
    this.#observations.set(certificateId, copy(observations));
  }

  async get(certificateId: string): Promise<readonly Observation[]> {
    return copy(this.#observations.get(certificateId) ?? []);
  }
}
