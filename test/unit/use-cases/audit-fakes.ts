// In-memory implementations of the audit ports (not a test file itself): they keep what they are given and
// enforce the ports' conditions as the DynamoDB and S3 adapters do, so the use cases run on them unchanged.
import type { EvidencePackage } from '../../../lambdas/core/audit/evidence-package';
import type { StoredLogItem } from '../../../lambdas/core/audit/stored-log';
import type { RegisterEntry, RegisterKind } from '../../../lambdas/core/domain/registers';
import { DomainError } from '../../../lambdas/core/errors';
import { sha256Hex } from '../../../lambdas/core/io/hash';
import { canonicalize } from '../../../lambdas/core/log/canonical-json';
import type { ChainHead } from '../../../lambdas/core/log/chain';
import { pemEncode } from '../../../lambdas/core/pki/asn1';
import { pageOf } from '../../../lambdas/core/transparency/paged-tree';
import type { SignedTreeHead } from '../../../lambdas/core/transparency/tree-head';
import type { EvidenceStore, StoredLog } from '../../../lambdas/ports/audit';
import { Conflict, type DocumentRepository, type DocumentSnapshot } from '../../../lambdas/ports/documents';
import type { AuditFiles, UploadTarget } from '../../../lambdas/ports/files';
import type { TrustMaterial } from '../../../lambdas/ports/pki';
import {
  type EventRef,
  eventKey,
  type LogEntry,
  type Sequenced,
  type TransparencyKey,
  type TransparencyLogRepository,
} from '../../../lambdas/ports/transparency';
import type { AuditPorts } from '../../../lambdas/use-cases/audit/context';
import type { Identity } from '../../support/pki-fixtures';

/** Documents as stored (snapshots, the log's items, registers): what the audit use cases read. */
export class MemoryDocuments implements Pick<DocumentRepository, 'read' | 'readRegister'> {
  readonly snapshots = new Map<string, DocumentSnapshot>();
  readonly logs = new Map<string, StoredLogItem[]>();
  readonly registers: RegisterEntry[] = [];

  /** Stores a document with its log (each event's canonical JSON, as the log table keeps it). */
  store(id: string, snapshot: DocumentSnapshot, events: readonly { seq: number }[]): void {
    this.snapshots.set(id, snapshot);
    this.logs.set(
      id,
      events.map((e) => ({ seq: e.seq, text: canonicalize(e) })),
    );
  }

  async read(id: string): Promise<DocumentSnapshot> {
    return this.snapshots.get(id) ?? { incoming: [] };
  }

  async readRegister(register: RegisterKind, orgId: string, year: number) {
    return this.registers
      .filter((r) => r.register === register && r.orgId === orgId && r.year === year)
      .map((r) => ({ number: r.number, documentId: r.documentId, ...r.row }));
  }

  /** The log's items, for the StoredLog port. */
  async readLog(documentId: string): Promise<StoredLogItem[]> {
    return [...(this.logs.get(documentId) ?? [])];
  }
}

/** The archive (versions by document and SHA-256) and the intake bucket (uploads by key). */
export class MemoryFiles implements AuditFiles {
  readonly revisions = new Map<string, Uint8Array>();
  readonly uploads = new Map<string, Uint8Array>();

  putRevision(documentId: string, bytes: Uint8Array, name = sha256Hex(bytes)): void {
    this.revisions.set(`${documentId}/${name}`, bytes);
  }

  async presignUpload(key: string): Promise<UploadTarget> {
    return {
      url: `memory://intake/${key}`,
      method: 'POST',
      fields: { key, 'Content-Type': 'application/pdf' },
      maxBytes: 64 * 1024 * 1024,
      expiresInSeconds: 900,
    };
  }

  async readUpload(key: string): Promise<Uint8Array> {
    const bytes = this.uploads.get(key);
    if (!bytes) throw new DomainError('upload_missing', 409);
    return bytes;
  }

  async findRevision(documentId: string, sha256: string): Promise<Uint8Array | undefined> {
    return this.revisions.get(`${documentId}/${sha256}`);
  }

  async deleteUpload(key: string): Promise<void> {
    this.uploads.delete(key);
  }
}

/**
 * The transparency log in memory, with the conditions of the DynamoDB one: an append moves the size from n
 * to n + k only if it is still n and none of the events has a leaf (else `Conflict`), and a head of a size
 * is published once.
 */
export class MemoryTransparencyLog implements TransparencyLogRepository {
  readonly logId = 'docflow/test';
  readonly leaves: Sequenced[] = [];
  readonly byEvent = new Map<string, Sequenced>();
  readonly pages = new Map<number, Uint8Array>();
  readonly heads = new Map<number, SignedTreeHead>();
  /** Every append attempted, with its outcome: how the tests see batching and retries. */
  readonly appends: { size: number; events: number; ok: boolean }[] = [];

  constructor(readonly batchLimit = 45) {}

  async findLeaves(events: readonly EventRef[]): Promise<Map<string, Sequenced>> {
    const found = new Map<string, Sequenced>();
    for (const e of events) {
      const leaf = this.byEvent.get(eventKey(e));
      if (leaf) found.set(eventKey(e), leaf);
    }
    return found;
  }

  async treeSize(): Promise<number> {
    return this.leaves.length;
  }

  async appendLeaves(size: number, batch: readonly LogEntry[]): Promise<void> {
    if (batch.length > this.batchLimit) throw new Error(`${batch.length} events in one append`);
    const taken = batch.filter((e) => this.byEvent.has(eventKey(e)));
    const ok = size === this.leaves.length && taken.length === 0;
    this.appends.push({ size, events: batch.length, ok });
    if (!ok) throw new Conflict(['ConditionalCheckFailed']);
    batch.forEach((e, i) => {
      const leaf = { documentId: e.documentId, seq: e.seq, hash: e.hash, leafIndex: size + i };
      this.leaves.push(leaf);
      this.byEvent.set(eventKey(e), leaf);
    });
  }

  async pageEventHashes(page: number): Promise<string[]> {
    return this.leaves.filter((l) => pageOf(l.leafIndex) === page).map((l) => l.hash);
  }

  async pageHashes(): Promise<Map<number, Uint8Array>> {
    return new Map(this.pages);
  }

  async savePageHash(page: number, hash: Uint8Array): Promise<void> {
    this.pages.set(page, hash);
  }

  async readHead(treeSize: number): Promise<SignedTreeHead | undefined> {
    return this.heads.get(treeSize);
  }

  async putHead(head: SignedTreeHead): Promise<void> {
    if (this.heads.has(head.treeSize)) throw new Conflict([`head ${head.treeSize}`]);
    this.heads.set(head.treeSize, head);
  }
}

/** The transparency log's key: an in-memory key certified by the test city's CA. */
export class MemoryTransparencyKey implements TransparencyKey {
  uses = 0;
  constructor(private readonly identity: Identity) {}

  async credential() {
    this.uses += 1;
    return { signer: this.identity.signer, chain: this.identity.chain };
  }
}

export class MemoryTrust implements TrustMaterial {
  constructor(
    private readonly root: Uint8Array,
    private readonly crl: Uint8Array,
  ) {}

  async trustAnchorsPem(): Promise<string> {
    return pemEncode('CERTIFICATE', this.root);
  }

  async currentCrl(): Promise<Uint8Array> {
    return this.crl;
  }
}

export class MemoryEvidenceStore implements EvidenceStore {
  readonly published = new Map<string, EvidencePackage>();

  async publish(documentId: string, pkg: EvidencePackage): Promise<string> {
    const url = `memory://evidence/${documentId}/${pkg.sha256}.zip`;
    this.published.set(url, pkg);
    return url;
  }
}

export interface MemoryAudit {
  readonly ports: AuditPorts;
  readonly documents: MemoryDocuments;
  readonly files: MemoryFiles;
  readonly transparency: MemoryTransparencyLog;
  readonly key: MemoryTransparencyKey;
  readonly evidence: MemoryEvidenceStore;
  /** Moves the clock the use cases read. */
  setNow(at: Date): void;
}

export function memoryAudit(options: {
  logKey: Identity;
  root: Uint8Array;
  crl: Uint8Array;
  now: Date;
  batchLimit?: number;
}): MemoryAudit {
  const documents = new MemoryDocuments();
  const files = new MemoryFiles();
  const transparency = new MemoryTransparencyLog(options.batchLimit);
  const key = new MemoryTransparencyKey(options.logKey);
  const evidence = new MemoryEvidenceStore();
  const log: StoredLog = { read: (id) => documents.readLog(id) };
  let now = options.now;
  const ports: AuditPorts = {
    documents,
    log,
    files,
    trust: new MemoryTrust(options.root, options.crl),
    transparency,
    transparencyKey: key,
    evidence,
    now: () => now,
  };
  return {
    ports,
    documents,
    files,
    transparency,
    key,
    evidence,
    setNow: (at) => {
      now = at;
    },
  };
}

/** The chain head of a log: its last event's seq and hash. */
export const headOf = (events: readonly { seq: number; hash: string }[]): ChainHead | undefined => {
  const last = events.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : undefined;
};
