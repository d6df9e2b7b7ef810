import { type BucketName, buckets, type TableName, tables } from '../lambdas/deployment/resources';
import type { FunctionName, InternalFunctionName } from '../lambdas/routes';
import type { StreamConsumerName } from './stream-consumers';

/*
 * What each Lambda function may touch, in one place. Adding a function to lambdas/routes.ts does not compile
 * until it has a line here, and a function without a line gets no data permissions at all: least privilege
 * is a decision made per function, never a default.
 */

/**
 * - `read`: GetItem, BatchGetItem, Query (table and its indexes). No Scan: nothing needs a full-table read.
 * - `put`: PutItem only: the append-only circulation log (no update or delete of a past event), and
 *   conditional puts elsewhere.
 * - `write`: PutItem, UpdateItem, DeleteItem, BatchWriteItem.
 * - `describe`: DescribeTable, for health probes.
 */
export type TableAccess = 'read' | 'put' | 'write' | 'describe';

/**
 * - `read`: GetObject, GetObjectVersion. `write`: PutObject (also what a presigned PUT is signed with).
 * - `delete`: DeleteObject (the intake bucket's drafts; Object Lock refuses it on the archive anyway).
 * - `list`: ListBucket, which is also what HeadBucket needs.
 */
export type BucketAccess = 'read' | 'write' | 'delete' | 'list';

/**
 * Keys a function may sign with: the stack's root CA key (the issuing CA's certificates, the root CRL),
 * issuing CA key (every other certificate, its CRL), TSA key (timestamps) and transparency-log key (signed
 * tree heads), or the organisation seal and per-official keys the provisioning function creates at run time.
 */
export type SigningKeyGroup = 'ca' | 'issuing' | 'tsa' | 'transparency' | 'activation' | 'seal' | 'official';

export interface FunctionPermissions {
  readonly tables?: Readonly<Partial<Record<TableName, readonly TableAccess[]>>>;
  readonly buckets?: Readonly<Partial<Record<BucketName, readonly BucketAccess[]>>>;
  /** `kms:Sign` (DIGEST, one algorithm) on these keys only. */
  readonly signWith?: readonly SigningKeyGroup[];
  /** `kms:GetPublicKey`/`DescribeKey` only: to certify or verify a key without signing with it. */
  readonly publicKeysOf?: readonly SigningKeyGroup[];
  /** `kms:CreateKey`/`CreateAlias`/`TagResource` for seal and official keys of this stage, nothing else. */
  readonly provisionKeys?: boolean;
  /** `kms:ListAliases`, an account-level read that health probes use to reach KMS. */
  readonly listKeyAliases?: boolean;
  /** `cloudtrail:LookupEvents` (account-wide, no resource): the key service's record of kms:Sign calls. */
  readonly lookupKeyEvents?: boolean;
  /** `lambda:InvokeFunction` on these internal functions (lambdas/routes.ts `internalFunctions`) only. */
  readonly invoke?: readonly InternalFunctionName[];
  /**
   * `ses:SendEmail`/`ses:SendRawEmail` from the stage's verified SES identity only (`sesFromAddress` in
   * lib/config.ts); without one configured, nothing is granted and the function sends no e-mail.
   */
  readonly sendEmail?: boolean;
  /** `execute-api:ManageConnections` on the live inbox's WebSocket stage: messages to open inboxes. */
  readonly manageConnections?: boolean;
  /**
   * `cognito-idp:ListUsers`, `AdminDisableUser`, `AdminUserGlobalSignOut` on the stage's user pool, whose id
   * it gets in DOCFLOW_USER_POOL_ID: a departure disables the person's sign-in.
   */
  readonly manageSignIn?: boolean;
  /**
   * Webhook signing secrets (issue 16) with the stage's webhook key, directly (no kms:ViaService), only with
   * the encryption context the secrets are sealed under: `seal` is kms:Encrypt, `open` kms:Decrypt.
   */
  readonly webhookSecrets?: 'seal' | 'open';
}

/** The map as the stack reads it: any function name, possibly without an entry. */
export type PermissionMap = Readonly<Record<string, FunctionPermissions>>;

const everyTable = (access: readonly TableAccess[]) =>
  Object.fromEntries(Object.keys(tables).map((name) => [name, access])) as Record<TableName, typeof access>;
const everyBucket = (access: readonly BucketAccess[]) =>
  Object.fromEntries(Object.keys(buckets).map((name) => [name, access])) as Record<BucketName, typeof access>;

export const permissions = {
  /** Health probes every table, bucket and KMS, without reading any item, object or key. */
  system: { tables: everyTable(['describe']), buckets: everyBucket(['list']), listKeyAliases: true },
  /**
   * Reads organisations and people; administrators change positions (people written back in a batch,
   * the old certificate's revocation recorded in the same table), idempotently. Officials register their
   * signature images: intake `write` only to presign the PNG's upload and `read` to check it (no `delete`:
   * the intake lifecycle expires uploads); archive `write` to keep each image under its hash and `read` to
   * presign its download (no `delete`, and Object Lock would refuse it). A departure (issue 19) hands the
   * person's pending documents to their successor, an event in each one's log (`put`) and its views, and
   * disables their sign-in in the user pool (`manageSignIn`); a person added gets their account there.
   */
  directory: {
    tables: {
      directory: ['read', 'write'],
      idempotency: ['read', 'write'],
      log: ['read', 'put'],
      views: ['read', 'write'],
    },
    buckets: { intake: ['read', 'write'], archive: ['read', 'write'] },
    manageSignIn: true,
  },
  /**
   * The circulation steps without PDF work: appends to the log, writes views and idempotency records,
   * hands out presigned uploads (intake) and presigned reads of revisions (archive). No key at all.
   */
  documents: {
    tables: {
      directory: ['read'],
      log: ['read', 'put'],
      views: ['read', 'write'],
      idempotency: ['read', 'write'],
    },
    buckets: { intake: ['write'], archive: ['read'] },
  },
  /**
   * The steps that read and write PDFs: takes uploads from intake, writes signed revisions to the archive,
   * appends to the log, keeps prepared signatures (views), and timestamps with the TSA key. It holds no
   * personal or seal key: it reads their public keys and asks the signer function for each signature value,
   * which needs the holder's own authorization (docs/SECURITY.md). It cannot make a certificate or a key: it
   * asks the certificate authority for them.
   */
  signing: {
    tables: {
      directory: ['read'],
      log: ['read', 'put'],
      views: ['read', 'write'],
      idempotency: ['read', 'write'],
    },
    buckets: { intake: ['read', 'write'], archive: ['read', 'write'] },
    signWith: ['tsa'],
    publicKeysOf: ['seal', 'official'],
    invoke: ['certificateAuthority', 'signer', 'wordConverter'],
  },
  /**
   * Signers' passkeys and authenticator apps and the authorization of prepared signatures: reads the
   * directory (who the caller is), marks prepared signatures authorized and keeps the authorization records
   * (views), writes its own table (authenticators, challenges, activation data), and signs activation data
   * with the activation key alone.
   */
  signatureActivation: {
    tables: {
      directory: ['read'],
      views: ['read', 'write'],
      activation: ['read', 'write'],
      idempotency: ['read', 'write'],
    },
    signWith: ['activation'],
  },
  /**
   * The signer: reads activation data and records each digest signed with it (conditional puts), reads the
   * activation key's public key to check them. Its role may sign with nothing: it signs only with the
   * holder-tagged session STS gives it for a valid activation.
   */
  /**
   * The reconciliation: reads CloudTrail's record of kms:Sign calls, the holder keys' credentials
   * (directory) and the authorizations (views), and keeps where it stopped (views, a conditional-free put).
   */
  signatureReconciler: {
    tables: { directory: ['read'], views: ['read', 'put'] },
    lookupKeyEvents: true,
  },
  signer: {
    tables: { activation: ['read', 'put'] },
    publicKeysOf: ['activation'],
  },
  /**
   * The Word converter: reads the uploaded draft from intake and puts its PDF beside it. No table, no key,
   * nothing of the archive: LibreOffice parses files from outside, so it gets the least of all.
   */
  wordConverter: { buckets: { intake: ['read', 'write'] } },
  /** Inbox folders and registers: reads views and who the caller is, writes nothing. */
  inbox: { tables: { directory: ['read'], views: ['read'] } },
  /**
   * Public trust anchors and CRL, read from the directory table; a stale CRL and an administrator's
   * certificate import are the authority's to do.
   */
  pki: {
    tables: { directory: ['read'], idempotency: ['read', 'write'] },
    invoke: ['certificateAuthority'],
  },
  /**
   * Verification, evidence packages, the transparency log and auditor search. Not read-only in storage
   * terms: it appends to the transparency log (views), and uses intake for uploaded files to verify
   * (deleted after) and for evidence packages too large to answer inline (expire after a day). It reads
   * the archive and never writes it. It signs tree heads with the transparency key.
   */
  audit: {
    tables: { directory: ['read'], log: ['read'], views: ['read', 'put'] },
    buckets: { archive: ['read'], intake: ['read', 'write', 'delete'] },
    signWith: ['transparency'],
    invoke: ['certificateAuthority'],
  },
  /**
   * The city CA, invoked by the functions above: signs certificates and CRLs with the root key, creates
   * seal and official keys (with a key policy naming `signing` as their only user) and reads public keys to
   * certify them; stores certificates and CRLs in the directory table and publishes the root and CRL.
   */
  /**
   * Signs the transparency log's head on a schedule: reads the log's leaves and pages and stores the head
   * (views, conditional puts), signs with the transparency key only, and asks the authority for that key's
   * certificate on a stage's first start.
   */
  treeHeadPublisher: {
    tables: { views: ['read', 'put'], directory: ['read'] },
    signWith: ['transparency'],
    invoke: ['certificateAuthority'],
  },
  /**
   * The archive's renewal sweep (use-cases/archiving.ts): reads an archived file, adds a document timestamp
   * with the TSA key and writes the new revision (archive), records it in the log (put) and the document's
   * view and the renewal schedule (views); reads who the organisation's clerks are; asks the authority for
   * a fresh CRL. The same as `signing`'s archive step, with nothing else of `signing`.
   */
  archiveRenewer: {
    tables: { directory: ['read'], log: ['read', 'put'], views: ['read', 'write'] },
    buckets: { archive: ['read', 'write'] },
    signWith: ['tsa'],
    invoke: ['certificateAuthority'],
  },
  certificateAuthority: {
    tables: { directory: ['read', 'put'] },
    buckets: { pki: ['write'] },
    signWith: ['ca', 'issuing'],
    publicKeysOf: ['tsa', 'transparency', 'seal', 'official'],
    provisionKeys: true,
  },
  /**
   * Consumes the circulation log's stream (the event source grants reading the stream, nothing else of
   * the log) and appends leaves to the transparency log kept in the views table: conditional puts only.
   */
  transparencySequencer: { tables: { views: ['read', 'put'] } },
  /**
   * Finishes sends and recalls from the log's stream: the steps of `signing`'s send without any key of its
   * own (arrivals are checked with public material only): the log and views written, the signed file read.
   */
  deliveryCompleter: {
    tables: { directory: ['read'], log: ['read', 'put'], views: ['read', 'write'] },
    buckets: { archive: ['read'] },
    invoke: ['certificateAuthority'],
  },
  /**
   * Tells people of the log's events (lib/stream-consumers.ts): reads who is who (directory) and the
   * document's metadata (views), writes people's notifications and e-mail records, sends e-mail.
   */
  notifier: {
    tables: { directory: ['read'], views: ['read'], notifications: ['read', 'write'] },
    sendEmail: true,
    manageConnections: true,
  },
  /** The live inbox's connections: who connects (directory), kept and forgotten in the notifications table. */
  live: { tables: { directory: ['read'], notifications: ['read', 'write'] } },
  /** Checks ID tokens against the user pool's public keys: no data at all. */
  liveAuthorizer: {},
  /**
   * Reminders of deadlines (scheduled): reads the documents' metadata (views) and who holds which position,
   * writes people's notifications and the reminder watches, sends e-mail.
   */
  reminders: {
    tables: { directory: ['read'], views: ['read'], notifications: ['read', 'write'] },
    sendEmail: true,
  },
  /**
   * A person's own notifications and preferences: reads who the caller is, writes their own partition. The
   * sender's reminders to register (issue 16): reads the document (views), appends the reminders to its log
   * and the records' versions (views), keeps the hourly limit (notifications) and idempotency records; the
   * notifier delivers them.
   */
  notifications: {
    tables: {
      directory: ['read'],
      log: ['read', 'put'],
      views: ['read', 'write'],
      notifications: ['read', 'write'],
      idempotency: ['read', 'write'],
    },
  },
  /**
   * The exchange for people (issue 20): reads documents (log and views) and the issued PDF (archive), keeps
   * the external deliveries and what came in (views), idempotency records. No key: it signs nothing.
   */
  exchange: {
    tables: {
      directory: ['read'],
      log: ['read'],
      views: ['read', 'write'],
      idempotency: ['read', 'write'],
    },
    buckets: { archive: ['read'] },
  },
  /**
   * The exchange's poller: as `exchange`, and stores received PDFs in the archive (under their hash) after
   * checking their signatures with public material only (the CRLs from the authority).
   */
  exchangePoller: {
    tables: { directory: ['read'], log: ['read'], views: ['read', 'write'] },
    buckets: { archive: ['read', 'write'] },
    invoke: ['certificateAuthority'],
  },
  /**
   * An organisation's webhooks, for its administrators: who the caller is (directory), its subscriptions
   * and their deliveries (webhooks), idempotency records; seals new signing secrets, never opens them.
   */
  webhooks: {
    tables: { directory: ['read'], webhooks: ['read', 'write'], idempotency: ['read', 'write'] },
    webhookSecrets: 'seal',
  },
  /** The log's events into deliveries (lib/stream-consumers.ts): the document's metadata (views) only. */
  webhookFanOut: { tables: { views: ['read'], webhooks: ['read', 'write'] } },
  /** Sends the deliveries due (scheduled): opens the secrets to sign with; reads no document. */
  webhookSender: { tables: { webhooks: ['read', 'write'] }, webhookSecrets: 'open' },
  // Every function in lambdas/routes.ts and lib/stream-consumers.ts must have an entry (this does not
  // compile otherwise); an entry may precede its function, so that whoever adds a function sees its
  // permissions already decided.
} as const satisfies Record<FunctionName | InternalFunctionName | StreamConsumerName, FunctionPermissions> &
  PermissionMap;
