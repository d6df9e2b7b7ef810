/**
 * The AWS resources docflow uses, described once: CDK provisions them in an account, the local stack
 * creates the same ones in DynamoDB Local and s3rver. Handlers find them through environment variables
 * only, so the code is the same on a laptop and in Lambda.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TableSpec {
  /** Logical id in the CDK stack and suffix of the local table name. */
  readonly id: string;
  /** Environment variable that carries the physical table name to the handlers. */
  readonly env: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes: readonly {
    readonly name: string;
    readonly partitionKey: KeyAttribute;
    readonly sortKey?: KeyAttribute;
  }[];
  readonly timeToLiveAttribute?: string;
  /** Projections read the table's stream (deployed only; DynamoDB Local triggers nothing). */
  readonly stream: boolean;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });
const N = (name: string): KeyAttribute => ({ name, type: 'N' });

export const tables = {
  /** Organisations, people and who holds which position now. */
  directory: {
    id: 'Directory',
    env: 'DOCFLOW_DIRECTORY_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalIndexes: [],
    stream: false,
  },
  /** The append-only, hash-chained circulation log: one item per event, one chain per document. */
  log: {
    id: 'CirculationLog',
    env: 'DOCFLOW_LOG_TABLE',
    partitionKey: S('documentId'),
    sortKey: N('seq'),
    globalIndexes: [],
    stream: true,
  },
  /** Views derived from the log (documents, deliveries, inbox entries, registers) and numbering series. */
  views: {
    id: 'Views',
    env: 'DOCFLOW_VIEWS_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalIndexes: [{ name: 'inbox', partitionKey: S('inboxPk'), sortKey: S('inboxSk') }],
    stream: false,
  },
  /** Results of writes keyed by the caller's Idempotency-Key (Powertools idempotency schema). */
  idempotency: {
    id: 'Idempotency',
    env: 'DOCFLOW_IDEMPOTENCY_TABLE',
    partitionKey: S('id'),
    globalIndexes: [],
    timeToLiveAttribute: 'expiration',
    stream: false,
  },
  /**
   * Sole control of signatures (docs/SECURITY.md): people's passkeys and authenticator apps, pending
   * challenges, and activation data. Only the activation function writes it; the signer function reads
   * activation data (items under `SAD#`) and claims their digests, nothing else.
   */
  activation: {
    id: 'SignatureActivation',
    env: 'DOCFLOW_ACTIVATION_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalIndexes: [],
    timeToLiveAttribute: 'expiresAt',
    stream: false,
  },
  /**
   * Each person's notifications (`PERSON#<id>`: one item per event that concerns them, their preferences,
   * and which e-mails went out), written by the notifier from the log's stream. Notifications expire.
   */
  notifications: {
    id: 'Notifications',
    env: 'DOCFLOW_NOTIFICATIONS_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalIndexes: [],
    timeToLiveAttribute: 'expiresAt',
    stream: false,
  },
  /**
   * Webhooks (issue 16): each organisation's subscriptions (`ORG#<org>` / `WEBHOOK#<id>`, secrets sealed by
   * KMS) and their deliveries (`HOOK#<webhook>` / `D#<id>`); a pending delivery is in the sparse `due` index
   * by when it is next tried. Deliveries expire after 30 days.
   */
  webhooks: {
    id: 'Webhooks',
    env: 'DOCFLOW_WEBHOOKS_TABLE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalIndexes: [{ name: 'due', partitionKey: S('duePk'), sortKey: S('dueSk') }],
    timeToLiveAttribute: 'expiresAt',
    stream: false,
  },
} as const satisfies Record<string, TableSpec>;

export interface BucketSpec {
  readonly id: string;
  readonly env: string;
}

export const buckets = {
  /** Uploads land here by presigned URL; abandoned drafts expire. */
  intake: { id: 'IntakeBucket', env: 'DOCFLOW_INTAKE_BUCKET' },
  /** Signed originals, every revision, under Object Lock when deployed. */
  archive: { id: 'ArchiveBucket', env: 'DOCFLOW_ARCHIVE_BUCKET' },
  /** Published PKI material: root certificates and CRLs. */
  pki: { id: 'PkiBucket', env: 'DOCFLOW_PKI_BUCKET' },
} as const satisfies Record<string, BucketSpec>;

export type TableName = keyof typeof tables;
export type BucketName = keyof typeof buckets;

/** Reads a resource name from the environment, failing loudly when the deployment forgot it. */
export function resourceName(spec: { readonly env: string }): string {
  const value = process.env[spec.env];
  if (!value) throw new Error(`environment variable ${spec.env} is not set`);
  return value;
}

/**
 * The KMS key specs docflow signs with: the one list the stage configuration (lib/config.ts) validates
 * against and the run time accepts, so a spec cannot pass one and fail the other.
 */
export const SIGNING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'ECC_NIST_P256'] as const;
export type SigningKeySpec = (typeof SIGNING_KEY_SPECS)[number];

/** The key spec of keys created at run time (seals, officials), as the stage configures it. */
export function signingKeySpec(): SigningKeySpec {
  const spec = process.env.DOCFLOW_SIGNING_KEY_SPEC ?? 'RSA_2048';
  const known = SIGNING_KEY_SPECS.find((s) => s === spec);
  if (!known) {
    throw new Error(`DOCFLOW_SIGNING_KEY_SPEC ${spec} is not one of ${SIGNING_KEY_SPECS.join(', ')}`);
  }
  return known;
}
