import { ConflictError, NotFoundError } from '../errors.js';
import type {
  CertificateFacts,
  CertificateMaterial,
  CertificateStore,
  StoredCertificateInfo,
} from '../ports/certificate-store.js';
import { Redacted } from '../redacted.js';

interface Version {
  readonly revision: number;
  readonly key: string;
  chainPem?: string;
  facts?: CertificateFacts;
}

interface Secret {
  pending: Map<number, Version>;
  current?: Version;
  previous?: Version;
  /** Every promoted version, in promotion order (nothing is ever dropped here, unlike Secrets Manager past ~100). */
  promoted: Version[];
}

/**
 * In-memory `CertificateStore` with Secrets Manager's staging semantics (pending → current → previous).
 * `keysStored` counts distinct keys ever stored (a crash-safety test expects one per revision).
 */
export class MemoryCertificateStore implements CertificateStore {
  readonly #secrets = new Map<string, Secret>();
  keysStored = 0;

  async putPending(certificateId: string, revision: number, key: Redacted<string>): Promise<Redacted<string>> {
    const secret = this.#secret(certificateId);
    if (secret.current !== undefined && revision <= secret.current.revision) {
      throw new ConflictError(
        `memory: certificate store ${certificateId}: revision ${revision} is not newer than current ${secret.current.revision}`,
      );
    }
    const existing = secret.pending.get(revision);
    if (existing !== undefined) return new Redacted(existing.key);
    secret.pending.set(revision, { revision, key: key.reveal() });
    this.keysStored += 1;
    return new Redacted(key.reveal());
  }

  async promote(certificateId: string, revision: number, chainPem: string, facts: CertificateFacts): Promise<void> {
    const secret = this.#secret(certificateId);
    if (secret.current?.revision === revision) return;
    const pending = secret.pending.get(revision);
    if (pending === undefined) {
      throw new NotFoundError(`memory: certificate store ${certificateId}: no pending key for revision ${revision}`);
    }
    pending.chainPem = chainPem;
    pending.facts = { ...facts, names: [...facts.names] };
    secret.pending.delete(revision);
    this.#makeCurrent(secret, pending);
  }

  async promoteExisting(certificateId: string, revision: number, serial: string): Promise<StoredCertificateInfo> {
    const secret = this.#secret(certificateId);
    const current = secret.current;
    if (current?.revision === revision) {
      if (current.facts?.serial === serial) return info(certificateId, current);
      throw new ConflictError(
        `memory: certificate store ${certificateId}: revision ${revision} is current with serial ${current.facts?.serial}, not ${serial}`,
      );
    }
    if (current !== undefined && revision <= current.revision) {
      throw new ConflictError(
        `memory: certificate store ${certificateId}: revision ${revision} is not newer than current ${current.revision}`,
      );
    }
    const source = newestWithSerial(secret, serial);
    if (source === undefined) {
      throw new NotFoundError(
        `memory: certificate store ${certificateId}: no stored certificate with serial ${serial}`,
      );
    }
    const copy: Version = {
      revision,
      key: source.key,
      chainPem: source.chainPem as string,
      facts: { ...(source.facts as CertificateFacts) },
    };
    this.#makeCurrent(secret, copy);
    return info(certificateId, copy);
  }

  async describeCurrent(certificateId: string): Promise<StoredCertificateInfo | undefined> {
    const current = this.#secrets.get(certificateId)?.current;
    return current === undefined ? undefined : info(certificateId, current);
  }

  async getCurrent(certificateId: string): Promise<CertificateMaterial | undefined> {
    const current = this.#secrets.get(certificateId)?.current;
    return current === undefined ? undefined : material(certificateId, current);
  }

  async getPrevious(certificateId: string): Promise<CertificateMaterial | undefined> {
    const previous = this.#secrets.get(certificateId)?.previous;
    return previous === undefined ? undefined : material(certificateId, previous);
  }

  async listVersions(certificateId: string): Promise<readonly StoredCertificateInfo[]> {
    const promoted = this.#secrets.get(certificateId)?.promoted ?? [];
    return [...promoted].sort((a, b) => b.revision - a.revision).map((version) => info(certificateId, version));
  }

  async getBySerial(certificateId: string, serial: string): Promise<CertificateMaterial | undefined> {
    const secret = this.#secrets.get(certificateId);
    const found = secret === undefined ? undefined : newestWithSerial(secret, serial);
    return found === undefined ? undefined : material(certificateId, found);
  }

  async delete(certificateId: string): Promise<void> {
    this.#secrets.delete(certificateId);
  }

  /** Test support: revisions with a pending (not yet promoted) key. */
  pendingRevisions(certificateId: string): number[] {
    return [...(this.#secrets.get(certificateId)?.pending.keys() ?? [])];
  }

  #makeCurrent(secret: Secret, version: Version): void {
    if (secret.current !== undefined) secret.previous = secret.current;
    secret.current = version;
    secret.promoted.push(version);
  }

  #secret(certificateId: string): Secret {
    let secret = this.#secrets.get(certificateId);
    if (secret === undefined) {
      secret = { pending: new Map(), promoted: [] };
      this.#secrets.set(certificateId, secret);
    }
    return secret;
  }
}

function newestWithSerial(secret: Secret, serial: string): Version | undefined {
  return [...secret.promoted].sort((a, b) => b.revision - a.revision).find((v) => v.facts?.serial === serial);
}

function info(certificateId: string, version: Version): StoredCertificateInfo {
  const facts = version.facts as CertificateFacts;
  return {
    certificateId,
    revision: version.revision,
    chainPem: version.chainPem ?? '',
    serial: facts.serial,
    names: [...facts.names],
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
  };
}

function material(certificateId: string, version: Version): CertificateMaterial {
  return { ...info(certificateId, version), key: new Redacted(version.key) };
}
