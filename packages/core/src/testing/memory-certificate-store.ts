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
    if (secret.current !== undefined) secret.previous = secret.current;
    secret.current = pending;
  }

  async describeCurrent(certificateId: string): Promise<StoredCertificateInfo | undefined> {
    const current = this.#secrets.get(certificateId)?.current;
    return current === undefined ? undefined : info(certificateId, current);
  }

  async getCurrent(certificateId: string): Promise<CertificateMaterial | undefined> {
    const current = this.#secrets.get(certificateId)?.current;
    return current === undefined ? undefined : { ...info(certificateId, current), key: new Redacted(current.key) };
  }

  async getPrevious(certificateId: string): Promise<CertificateMaterial | undefined> {
    const previous = this.#secrets.get(certificateId)?.previous;
    return previous === undefined ? undefined : { ...info(certificateId, previous), key: new Redacted(previous.key) };
  }

  async delete(certificateId: string): Promise<void> {
    this.#secrets.delete(certificateId);
  }

  /** Test support: revisions with a pending (not yet promoted) key. */
  pendingRevisions(certificateId: string): number[] {
    return [...(this.#secrets.get(certificateId)?.pending.keys() ?? [])];
  }

  #secret(certificateId: string): Secret {
    let secret = this.#secrets.get(certificateId);
    if (secret === undefined) {
      secret = { pending: new Map() };
      this.#secrets.set(certificateId, secret);
    }
    return secret;
  }
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
