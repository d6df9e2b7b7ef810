// In-memory implementations of docflow's ports, for use-case tests: real implementations of the port
// interfaces (same conditions, same conflicts), holding everything in maps. Not mocks: a test that wants a
// fault injects it explicitly (`failNextCommits`).
import { createHash } from 'node:crypto';
import { compactVerify, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type {
  AdministrationEntry,
  AdministrationHead,
  PositionRequest,
} from '../../lambdas/core/domain/administration';
import type { Delegation } from '../../lambdas/core/domain/capacity';
import type { Directory, Person } from '../../lambdas/core/domain/directory';
import type { InboxPlace } from '../../lambdas/core/domain/inbox';
import type { IncomingRecord } from '../../lambdas/core/domain/incoming';
import type { NumberingSeries } from '../../lambdas/core/domain/numbering';
import type { OutgoingDocument } from '../../lambdas/core/domain/outgoing';
import type { RegisterKind } from '../../lambdas/core/domain/registers';
import type { SignatureImage } from '../../lambdas/core/domain/signature-image';
import { DomainError } from '../../lambdas/core/errors';
import { documentFilesError } from '../../lambdas/core/i18n/document-files';
import type { ChainHead } from '../../lambdas/core/log/chain';
import type { PreparedChange } from '../../lambdas/core/log/change';
import type { CirculationEvent } from '../../lambdas/core/log/event';
import type { ActivationClaims, SignatureRequest } from '../../lambdas/core/signing/authorization';
import type {
  Authenticators,
  Challenges,
  Passkey,
  PendingChallenge,
  TotpEnrolment,
} from '../../lambdas/ports/authenticators';
import type { AdministrationChange, Departure, DirectoryRepository } from '../../lambdas/ports/directory';
import {
  Conflict,
  type DocumentRepository,
  type DocumentSnapshot,
  type InboxEntry,
  type InboxPage,
  type IssuedFile,
  type IssuedFiles,
  type IssueReservation,
  type Leases,
  type PendingUpload,
} from '../../lambdas/ports/documents';
import type { DocumentFiles, UploadTarget } from '../../lambdas/ports/files';
import type {
  ActivationIssuer,
  ActivationStore,
  AuthorizationRecord,
  AuthorizationRecords,
  HolderKeys,
  SignatureRequests,
  SignatureValues,
} from '../../lambdas/ports/signature-authorization';
import type { DocumentSigning, SignatureCheck, SignedPdf } from '../../lambdas/ports/signing';
import type { ActivationPorts } from '../../lambdas/use-cases/authorization/activation';
import { type SignerPorts, signDigest } from '../../lambdas/use-cases/authorization/signer';
import type { SigningPorts } from '../../lambdas/use-cases/context';

interface StoredDocument {
  head?: ChainHead;
  document?: OutgoingDocument;
  upload?: PendingUpload;
  reservation?: IssueReservation;
  incoming: Map<string, IncomingRecord>;
  /** Where the sender's document and each recipient's record appear in the inboxes. */
  outgoingPlace?: InboxPlace;
  coIssuerPlaces?: readonly InboxPlace[];
  incomingPlaces: Map<string, InboxPlace>;
  assignments: Map<string, { partition: string; sort: string; record: IncomingRecord }>;
  log: CirculationEvent[];
}

interface InboxRow {
  readonly partition: string;
  readonly sort: string;
  readonly entry: InboxEntry;
}

const clone = <T>(value: T): T => structuredClone(value);

/** The documents port in memory, with DynamoDB's conditions: versions, chain head, series, new items. */
export class MemoryDocumentRepository implements DocumentRepository, IssuedFiles {
  readonly docs = new Map<string, StoredDocument>();
  readonly series = new Map<string, NumberingSeries>();
  readonly registers = new Map<string, Map<string, Record<string, unknown>>>();
  readonly issued = new Map<string, IssuedFile>();
  /** Every change committed, in order (what a test inspects for batching). */
  readonly commits: PreparedChange[] = [];
  private failures = 0;

  /** The next `n` commits fail with a Conflict after checking their conditions (a concurrent writer). */
  failNextCommits(n: number): void {
    this.failures = n;
  }

  private doc(id: string): StoredDocument {
    let doc = this.docs.get(id);
    if (!doc) {
      doc = { incoming: new Map(), incomingPlaces: new Map(), assignments: new Map(), log: [] };
      this.docs.set(id, doc);
    }
    return doc;
  }

  async read(id: string): Promise<DocumentSnapshot> {
    const doc = this.docs.get(id);
    if (!doc) return { incoming: [] };
    return clone({
      head: doc.head,
      document: doc.document,
      upload: doc.upload,
      reservation: doc.reservation,
      incoming: [...doc.incoming.values()],
    });
  }

  async readLog(id: string): Promise<CirculationEvent[]> {
    return clone(this.docs.get(id)?.log ?? []);
  }

  async commit(change: PreparedChange): Promise<void> {
    const doc = this.doc(change.documentId);
    const reasons: string[] = [];
    if (change.events.length > 0 && (doc.head?.seq ?? undefined) !== change.head?.seq) reasons.push('head');
    if (change.outgoing && doc.document?.version !== change.outgoing.before?.version)
      reasons.push('outgoing');
    for (const { before, after } of change.incoming) {
      if (doc.incoming.get(after.orgId)?.version !== before?.version) reasons.push(`incoming ${after.orgId}`);
    }
    if (change.series) {
      const stored = this.series.get(change.series.after.key);
      const sameSeries = change.series.before?.key === change.series.after.key;
      if (sameSeries ? stored?.lastNumber !== change.series.before?.lastNumber : stored)
        reasons.push('series');
    }
    for (const entry of change.registerEntries ?? []) {
      if (this.registers.get(registerKey(entry.register, entry.orgId, entry.year))?.has(registerSort(entry)))
        reasons.push('register');
    }
    for (const entry of change.registerUpdates ?? []) {
      const row = this.registers
        .get(registerKey(entry.register, entry.orgId, entry.year))
        ?.get(registerSort(entry));
      if (row?.documentId !== entry.documentId) reasons.push('register update');
    }
    if (change.consumeReservation && !doc.reservation) reasons.push('reservation');
    if (reasons.length === 0 && this.failures > 0) {
      this.failures -= 1;
      reasons.push('injected');
    }
    if (reasons.length > 0) throw new Conflict(reasons);

    doc.log.push(...clone(change.events));
    if (change.events.length > 0) doc.head = change.newHead;
    if (change.outgoing) {
      doc.document = clone(change.outgoing.after);
      doc.outgoingPlace = change.outgoing.place;
      doc.coIssuerPlaces = change.outgoing.coIssuerPlaces;
    }
    for (const { after, place, assignments, unassigned } of change.incoming) {
      doc.incoming.set(after.orgId, clone(after));
      doc.incomingPlaces.set(after.orgId, place);
      for (const a of assignments)
        doc.assignments.set(`${after.orgId}#${a.assigneeKey}`, { ...a, record: clone(after) });
      for (const key of unassigned) doc.assignments.delete(`${after.orgId}#${key}`);
    }
    if (change.series) this.series.set(change.series.after.key, clone(change.series.after));
    for (const entry of change.registerEntries ?? []) {
      const key = registerKey(entry.register, entry.orgId, entry.year);
      const register = this.registers.get(key) ?? new Map();
      register.set(registerSort(entry), { number: entry.number, documentId: entry.documentId, ...entry.row });
      this.registers.set(key, register);
      if (entry.sealedSha256)
        this.issued.set(entry.sealedSha256, { documentId: entry.documentId, orgId: entry.orgId });
    }
    for (const entry of change.registerUpdates ?? [])
      this.registers
        .get(registerKey(entry.register, entry.orgId, entry.year))
        ?.set(registerSort(entry), { number: entry.number, documentId: entry.documentId, ...entry.row });
    if (change.consumeUpload) doc.upload = undefined;
    if (change.consumeReservation) doc.reservation = undefined;
    this.commits.push(clone(change));
  }

  async savePendingUpload(upload: PendingUpload): Promise<void> {
    const doc = this.doc(upload.documentId);
    if (doc.upload || doc.document) throw new Error(`document ${upload.documentId} exists`);
    doc.upload = clone(upload);
  }

  async readSeries(key: string): Promise<NumberingSeries | undefined> {
    return clone(this.series.get(key));
  }

  async reserveNumber(args: {
    document: OutgoingDocument;
    series: { before: NumberingSeries | undefined; after: NumberingSeries };
    reservation: IssueReservation;
  }): Promise<void> {
    const doc = this.doc(args.document.id);
    const stored = this.series.get(args.series.after.key);
    const sameSeries = args.series.before?.key === args.series.after.key;
    const reasons: string[] = [];
    if (sameSeries ? stored?.lastNumber !== args.series.before?.lastNumber : stored) reasons.push('series');
    if (doc.reservation) reasons.push('reservation');
    if (doc.document?.version !== args.document.version) reasons.push('outgoing');
    if (reasons.length > 0) throw new Conflict(reasons);
    this.series.set(args.series.after.key, clone(args.series.after));
    doc.reservation = clone(args.reservation);
  }

  private inboxRows(): InboxRow[] {
    const rows: InboxRow[] = [];
    for (const doc of this.docs.values()) {
      if (doc.document && doc.outgoingPlace)
        rows.push({ ...doc.outgoingPlace, entry: { kind: 'outgoing', doc: doc.document } });
      if (doc.document)
        for (const co of doc.coIssuerPlaces ?? [])
          rows.push({
            partition: co.partition,
            sort: co.sort,
            entry: { kind: 'outgoing', doc: doc.document },
          });
      for (const record of doc.incoming.values()) {
        const place = doc.incomingPlaces.get(record.orgId);
        if (place) rows.push({ ...place, entry: { kind: 'incoming', record } });
      }
      for (const a of doc.assignments.values())
        rows.push({ partition: a.partition, sort: a.sort, entry: { kind: 'incoming', record: a.record } });
    }
    return rows;
  }

  async listInbox(partition: string, limit: number, cursor?: string): Promise<InboxPage> {
    const rows = this.inboxRows()
      .filter((r) => r.partition === partition)
      .sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));
    const start = cursor ? rows.findIndex((r) => r.sort === cursor) + 1 : 0;
    const page = rows.slice(start, start + limit);
    const last = page.at(-1);
    return {
      items: clone(page.map((r) => r.entry)),
      cursor: last && start + limit < rows.length ? last.sort : undefined,
    };
  }

  async countInbox(partition: string): Promise<number> {
    return this.inboxRows().filter((r) => r.partition === partition).length;
  }

  async findIssued(sha256: string): Promise<IssuedFile | undefined> {
    return clone(this.issued.get(sha256));
  }

  async readRegister(
    register: RegisterKind,
    orgId: string,
    year: number,
  ): Promise<Record<string, unknown>[]> {
    const rows = this.registers.get(registerKey(register, orgId, year)) ?? new Map();
    return clone([...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row));
  }
}

/** As the store sorts register rows: the number, then a joint document's lead. */
const registerSort = (entry: { number: number; leadOrgId?: string }) =>
  `${String(entry.number).padStart(8, '0')}${entry.leadOrgId ? `#${entry.leadOrgId}` : ''}`;
const registerKey = (register: RegisterKind, orgId: string, year: number) => `${register}#${orgId}#${year}`;

/** Leases in memory: exclusive per name, waiting as the DynamoDB lease does, expiring after their TTL. */
export class MemoryLeases implements Leases {
  private readonly held = new Map<string, number>();
  /** The names leased, in order (a test checks which work ran under which lease). */
  readonly taken: string[] = [];

  async withLease<T>(
    name: string,
    work: () => Promise<T>,
    options: { ttlMs?: number; waitMs?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + (options.waitMs ?? 60_000);
    for (;;) {
      const expires = this.held.get(name);
      if (expires === undefined || expires < Date.now()) break;
      if (Date.now() > deadline) throw new DomainError('busy', 503);
      await new Promise((r) => setTimeout(r, 1));
    }
    this.held.set(name, Date.now() + (options.ttlMs ?? 30_000));
    this.taken.push(name);
    try {
      return await work();
    } finally {
      this.held.delete(name);
    }
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Files in memory: uploads by key, revisions by document and SHA-256. */
export class MemoryFiles implements DocumentFiles {
  readonly uploads = new Map<string, Uint8Array>();
  readonly revisions = new Map<string, Uint8Array>();

  async presignUpload(key: string): Promise<UploadTarget> {
    return {
      url: `memory://upload/${key}`,
      method: 'POST',
      fields: { key, 'Content-Type': 'application/pdf' },
      maxBytes: 1024,
      expiresInSeconds: 900,
    };
  }
  async readUpload(key: string): Promise<Uint8Array> {
    const bytes = this.uploads.get(key);
    if (!bytes) throw new DomainError('upload_missing', 409);
    return bytes;
  }
  async putRevision(documentId: string, bytes: Uint8Array): Promise<string> {
    const sha = sha256(bytes);
    this.revisions.set(`${documentId}/${sha}`, bytes);
    return sha;
  }
  async readRevision(documentId: string, sha: string): Promise<Uint8Array> {
    const bytes = this.revisions.get(`${documentId}/${sha}`);
    if (!bytes) throw Object.assign(new Error(`no revision ${sha}`), { name: 'NoSuchKey' });
    return bytes;
  }
  async presignRevisionDownload(documentId: string, sha: string, fileName: string): Promise<string> {
    return `memory://revision/${documentId}/${sha}/${fileName}`;
  }
}

/** The directory in memory. */
export class MemoryDirectory implements DirectoryRepository {
  readonly people = new Map<string, Person>();
  readonly images = new Map<string, SignatureImage | undefined>();

  constructor(
    private readonly directory: Directory,
    people: readonly Person[],
  ) {
    for (const p of people) this.people.set(p.id, p);
  }
  async loadDirectory() {
    return this.directory;
  }
  async findPerson(id: string) {
    return this.people.get(id);
  }
  async listPeople() {
    return [...this.people.values()];
  }
  async savePeople(people: readonly Person[]) {
    for (const p of people) this.people.set(p.id, p);
  }
  async currentSignatureImage(personId: string) {
    return this.images.get(personId);
  }
  async recordSignatureImage(personId: string, image: SignatureImage) {
    this.images.set(personId, image);
  }
  async recordSignatureImageRemoval(personId: string) {
    this.images.set(personId, undefined);
  }

  /** The administration log, its head and the position requests, with DynamoDB's conditions. */
  readonly log: AdministrationEntry[] = [];
  head: AdministrationHead | undefined;
  readonly requests = new Map<string, PositionRequest>();

  async readAdministrationLog() {
    return { entries: clone(this.log) as unknown[], head: this.head && { ...this.head } };
  }
  async readAdministrationHead() {
    return this.head && { ...this.head };
  }
  async commitAdministration(change: AdministrationChange) {
    const reasons: string[] = [];
    if (this.head?.seq !== change.head?.seq) reasons.push('head');
    const { request } = change;
    if (request) {
      const stored = this.requests.get(request.after.id);
      if (request.before ? stored?.status !== request.before.status : stored) reasons.push('request');
    }
    if (change.delegation) {
      const stored = this.delegations.get(change.delegation.after.id);
      if (change.delegation.before ? !stored || stored.revokedAt : stored) reasons.push('delegation');
    }
    for (const p of change.added ?? [])
      if (this.people.has(p.id) || this.departures.has(p.id)) reasons.push('added');
    for (const d of change.departures ?? [])
      if (!this.people.has(d.person.id) || this.departures.has(d.person.id)) reasons.push('departure');
    if (reasons.length > 0) throw new Conflict(reasons);
    const last = change.entries.at(-1);
    if (!last) throw new Error('an administration change without a log entry');
    this.log.push(...clone(change.entries));
    this.head = { seq: last.seq, hash: last.hash };
    for (const p of change.people) this.people.set(p.id, clone(p));
    for (const p of change.added ?? []) this.people.set(p.id, clone(p));
    for (const d of change.departures ?? []) {
      this.people.delete(d.person.id);
      this.departures.set(d.person.id, clone(d));
    }
    if (request) this.requests.set(request.after.id, clone(request.after));
    if (change.delegation) this.delegations.set(change.delegation.after.id, clone(change.delegation.after));
  }
  readonly delegations = new Map<string, Delegation>();
  async listDelegations(filter: { readonly orgId?: string; readonly delegateId?: string }) {
    return clone(
      [...this.delegations.values()].filter(
        (d) =>
          (!filter.orgId || d.orgId === filter.orgId) &&
          (!filter.delegateId || d.delegateId === filter.delegateId),
      ),
    );
  }
  async findDelegation(id: string) {
    return clone(this.delegations.get(id));
  }
  async findPositionRequest(id: string) {
    return clone(this.requests.get(id));
  }
  async listPositionRequests() {
    return clone([...this.requests.values()]);
  }
  readonly departures = new Map<string, Departure>();
  async findDeparture(personId: string) {
    return clone(this.departures.get(personId));
  }
}

/**
 * The signing side without PDFs: a "signature" appends a line naming the signer to the bytes, so each step
 * yields a new version with a new hash, and every call is counted (what a lease must keep at one).
 */
export class MemorySigning implements DocumentSigning {
  readonly calls: { step: 'prepare' | 'personal' | 'seal' | 'verify'; by?: string }[] = [];
  valid = true;

  async prepareDraft(pdf: Uint8Array) {
    this.calls.push({ step: 'prepare' });
    return { pdf: append(pdf, 'fields'), pageCount: 1 };
  }
  async signPersonal(input: Parameters<DocumentSigning['signPersonal']>[0]): Promise<SignedPdf> {
    // The digest depends on everything signed, as the CMS signed attributes do: the same inputs, the same digest.
    const digest = createHash('sha256')
      .update(input.pdf)
      .update(`${input.signer.id}|${input.capacityMark}|${input.reason}|${input.at.toISOString()}`)
      .digest();
    const value = await input.value(digest);
    this.calls.push({ step: 'personal', by: input.signer.id });
    return {
      pdf: append(input.pdf, `signed by ${input.signer.id}: ${Buffer.from(value).toString('base64')}`),
      certificateSha256: sha256(Buffer.from(input.signer.id)),
    };
  }
  async issueAndSeal(input: Parameters<DocumentSigning['issueAndSeal']>[0]): Promise<SignedPdf> {
    const digest = createHash('sha256')
      .update(input.pdf)
      .update(`${input.org.id}|${input.symbol}|${input.dateLine}|${input.at.toISOString()}`)
      .digest();
    const value = await input.value(digest);
    this.calls.push({ step: 'seal', by: input.clerk.id });
    return {
      pdf: append(input.pdf, `sealed ${input.symbol}: ${Buffer.from(value).toString('base64')}`),
      certificateSha256: sha256(Buffer.from(input.org.id)),
    };
  }
  async checkAttachmentPdf(pdf: Uint8Array) {
    if (!Buffer.from(pdf.subarray(0, 5)).toString('latin1').startsWith('%PDF')) throw new Error('not a PDF');
    return { pageCount: 1 };
  }
  async sealAttachment(input: Parameters<DocumentSigning['sealAttachment']>[0]) {
    const digest = createHash('sha256')
      .update(input.file)
      .update(`${input.org.id}|${input.numberSymbol}|${input.at.toISOString()}`)
      .digest();
    const value = Buffer.from(await input.value(digest)).toString('base64');
    this.calls.push({ step: 'seal', by: input.org.id });
    const certificateSha256 = sha256(Buffer.from(input.org.id));
    return input.format === 'pdf'
      ? { file: append(input.file, `sealed ${input.numberSymbol}: ${value}`), certificateSha256 }
      : { file: input.file, signature: new Uint8Array(Buffer.from(`p7s ${value}`)), certificateSha256 };
  }
  async verify(): Promise<SignatureCheck> {
    this.calls.push({ step: 'verify' });
    return this.valid
      ? { valid: true, signatures: [] }
      : { valid: false, detail: { vi: 'chữ ký bị thay đổi', en: 'a signature was altered' }, signatures: [] };
  }
}

const append = (bytes: Uint8Array, line: string) =>
  new Uint8Array(Buffer.concat([Buffer.from(bytes), Buffer.from(`\n%${line}`)]));

export interface MemoryPorts extends SigningPorts {
  readonly requests: MemorySignatureRequests;
  readonly records: MemoryAuthorizationRecords;
  /** The activation function's ports, sharing the requests and records. */
  readonly activation: ActivationPorts & {
    readonly authenticators: MemoryAuthenticators;
    readonly activations: MemoryActivations;
  };
  /** The signer function's ports: what `signatures` calls. */
  readonly signer: SignerPorts & { readonly keys: MemoryHolderKeys };
  readonly documents: MemoryDocumentRepository;
  readonly leases: MemoryLeases;
  readonly files: MemoryFiles;
  readonly directory: MemoryDirectory;
  readonly signing: MemorySigning;
}

/** Every port of the circulation in memory, with a clock a test can move. */
export async function memoryPorts(
  directory: Directory,
  people: readonly Person[],
  start: Date,
): Promise<MemoryPorts & { advance(minutes: number): void }> {
  let time = start.getTime();
  const now = () => new Date(time);
  const requests = new MemorySignatureRequests();
  const records = new MemoryAuthorizationRecords();
  const issuer = await memoryIssuer();
  const activations = new MemoryActivations();
  const signer = { activations, issuer, keys: new MemoryHolderKeys(issuer), now };
  const signatures: SignatureValues = { sign: (command) => signDigest(signer, command) };
  const directoryPort = new MemoryDirectory(directory, people);
  return {
    documents: new MemoryDocumentRepository(),
    leases: new MemoryLeases(),
    files: new MemoryFiles(),
    directory: directoryPort,
    signing: new MemorySigning(),
    // Word drafts convert only with LibreOffice (test/integration/document-files.test.ts): none in memory.
    conversion: { toPdf: () => Promise.reject(documentFilesError('word_converter_unavailable', 503)) },
    requests,
    records,
    signatures,
    signer,
    activation: {
      directory: directoryPort,
      authenticators: new MemoryAuthenticators(),
      challenges: new MemoryChallenges(),
      requests,
      records,
      activations,
      issuer,
      webOrigins: ['https://docflow.test'],
      rpId: 'docflow.test',
      now,
    },
    now,
    advance(minutes: number) {
      time += minutes * 60_000;
    },
  };
}

// --- Sole control of signatures -------------------------------------------------------------------------

/** Prepared signatures in memory, with the store's condition: authorized once. */
export class MemorySignatureRequests implements SignatureRequests {
  readonly items = new Map<string, SignatureRequest>();
  async save(request: SignatureRequest) {
    if (this.items.has(request.id)) throw new Error(`request ${request.id} exists`);
    this.items.set(request.id, clone(request));
  }
  async get(id: string) {
    return clone(this.items.get(id));
  }
  async authorize(ids: readonly string[], authorizationId: string) {
    if (ids.some((id) => !this.items.has(id) || this.items.get(id)?.authorizationId))
      throw new Conflict(['authorized']);
    for (const id of ids) {
      const request = this.items.get(id) as SignatureRequest;
      this.items.set(id, { ...request, authorizationId });
    }
  }
  async markUsed(id: string, at: string) {
    const request = this.items.get(id);
    if (request) this.items.set(id, { ...request, usedAt: at });
  }
}

export class MemoryAuthorizationRecords implements AuthorizationRecords {
  readonly items = new Map<string, AuthorizationRecord>();
  async save(record: AuthorizationRecord) {
    this.items.set(record.id, clone(record));
  }
  async get(id: string) {
    return clone(this.items.get(id));
  }
}

export class MemoryAuthenticators implements Authenticators {
  readonly passkeyItems = new Map<string, Passkey[]>();
  readonly totps = new Map<string, TotpEnrolment>();
  readonly lastSteps = new Map<string, number>();
  async passkeys(personId: string) {
    return clone(this.passkeyItems.get(personId) ?? []);
  }
  async addPasskey(personId: string, passkey: Passkey) {
    this.passkeyItems.set(personId, [...(this.passkeyItems.get(personId) ?? []), clone(passkey)]);
  }
  async removePasskey(personId: string, credentialId: string) {
    this.passkeyItems.set(
      personId,
      (this.passkeyItems.get(personId) ?? []).filter((p) => p.credentialId !== credentialId),
    );
  }
  async setCounter(personId: string, credentialId: string, counter: number) {
    this.passkeyItems.set(
      personId,
      (this.passkeyItems.get(personId) ?? []).map((p) =>
        p.credentialId === credentialId ? { ...p, counter } : p,
      ),
    );
  }
  async totp(personId: string) {
    return clone(this.totps.get(personId));
  }
  async saveTotp(personId: string, enrolment: TotpEnrolment) {
    this.totps.set(personId, clone(enrolment));
  }
  async removeTotp(personId: string) {
    this.totps.delete(personId);
  }
  async spendTotpStep(personId: string, step: number) {
    const last = this.lastSteps.get(personId);
    if (last !== undefined && last >= step) return false;
    this.lastSteps.set(personId, step);
    return true;
  }
}

export class MemoryChallenges implements Challenges {
  readonly items = new Map<string, PendingChallenge>();
  async save(challenge: PendingChallenge) {
    this.items.set(challenge.id, clone(challenge));
  }
  async take(id: string) {
    const challenge = this.items.get(id);
    this.items.delete(id);
    return challenge;
  }
}

export class MemoryActivations implements ActivationStore {
  readonly tokens = new Map<string, string>();
  readonly signed = new Map<string, Uint8Array>();
  async save(activation: { id: string; token: string }) {
    this.tokens.set(activation.id, activation.token);
  }
  async token(id: string) {
    return this.tokens.get(id);
  }
  async signatureOf(id: string, digest: string) {
    return this.signed.get(`${id}#${digest}`);
  }
  async keep(id: string, digest: string, signature: Uint8Array) {
    const key = `${id}#${digest}`;
    const first = this.signed.get(key);
    if (first) return first;
    this.signed.set(key, signature);
    return signature;
  }
}

/** The activation key in memory: an ES256 key pair, JWTs signed and checked with jose. */
export async function memoryIssuer(
  issuer = 'https://docflow.test/api/signature-activation',
): Promise<ActivationIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return {
    issuer,
    sign: (claims: ActivationClaims) =>
      new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(privateKey),
    // The signature only, as the real issuer's verify: the use case judges the expiry against its clock.
    verify: async (token: string) =>
      JSON.parse(new TextDecoder().decode((await compactVerify(token, publicKey)).payload)) as unknown,
    jwks: async () => ({ keys: [await exportJWK(publicKey)] }),
  };
}

/**
 * Holders' keys in memory: what KMS and STS do together, in one place. It signs only for a token the
 * issuer verifies whose holder tag is the key's, the rule the key policies make KMS enforce.
 */
export class MemoryHolderKeys implements HolderKeys {
  readonly signed: { holder: string; sessionName: string; digest: string }[] = [];
  constructor(private readonly issuer: ActivationIssuer) {}
  async sign(args: { token: string; sessionName: string; holder: string; digest: Uint8Array }) {
    const claims = (await this.issuer.verify(args.token)) as ActivationClaims;
    const tag = claims['https://aws.amazon.com/tags'].principal_tags['docflow:holder']?.[0];
    if (tag !== args.holder)
      throw Object.assign(new Error('AccessDenied'), { name: 'AccessDeniedException' });
    this.signed.push({
      holder: args.holder,
      sessionName: args.sessionName,
      digest: Buffer.from(args.digest).toString('hex'),
    });
    return new Uint8Array(
      Buffer.from(`signature of ${Buffer.from(args.digest).toString('hex')} by ${args.holder}`),
    );
  }
}
