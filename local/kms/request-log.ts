import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import type { Identity } from '../iam/identities';

/*
 * The KMS emulator's record of every request, shaped like CloudTrail's KMS events (one JSON object a
 * line in `<dataDir>/cloudtrail/kms.jsonl`, owner-only): who (the ARN, the role session, its principal tags),
 * which operation on which key, with which algorithm and message type, and the error if it was refused.
 * Never the message, the signature or a policy. In AWS the reconciliation job reads CloudTrail's `Sign`
 * events; locally it reads this file through readKmsEvents.
 */

export const KMS_EVENTS_FILE = join('cloudtrail', 'kms.jsonl');

const SessionIssuer = z.object({
  type: z.literal('Role'),
  principalId: z.string(),
  arn: z.string(),
  accountId: z.string(),
  userName: z.string(),
});

export const KmsEventSchema = z.object({
  eventVersion: z.string(),
  userIdentity: z.object({
    type: z.enum(['AssumedRole', 'IAMUser', 'Unknown']),
    principalId: z.string().optional(),
    arn: z.string().optional(),
    accountId: z.string().optional(),
    accessKeyId: z.string().optional(),
    userName: z.string().optional(),
    sessionContext: z
      .object({
        sessionIssuer: SessionIssuer,
        webIdFederationData: z
          .object({ federatedProvider: z.string(), attributes: z.record(z.string(), z.string()) })
          .optional(),
        attributes: z.object({ creationDate: z.string(), mfaAuthenticated: z.string() }),
      })
      .optional(),
    /** The session's principal tags (CloudTrail leaves them out; the reconciliation needs the holder). */
    principalTags: z.record(z.string(), z.string()).optional(),
  }),
  eventTime: z.string(),
  eventSource: z.literal('kms.amazonaws.com'),
  eventName: z.string(),
  awsRegion: z.string(),
  sourceIPAddress: z.string(),
  userAgent: z.string(),
  requestParameters: z.record(z.string(), z.unknown()).nullable(),
  responseElements: z.record(z.string(), z.unknown()).nullable(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  requestID: z.string(),
  eventID: z.string(),
  readOnly: z.boolean(),
  resources: z.array(z.object({ accountId: z.string(), type: z.literal('AWS::KMS::Key'), ARN: z.string() })),
  eventType: z.literal('AwsApiCall'),
  managementEvent: z.boolean(),
  recipientAccountId: z.string(),
  eventCategory: z.literal('Management'),
});
export type KmsEvent = z.infer<typeof KmsEventSchema>;

/**
 * Request members worth recording, by their CloudTrail names (the encryption context too, as CloudTrail
 * has it); the message, signature, policy, plaintext and ciphertext never.
 */
const RECORDED_MEMBERS = [
  'KeyId',
  'TargetKeyId',
  'AliasName',
  'SigningAlgorithm',
  'MessageType',
  'EncryptionAlgorithm',
  'EncryptionContext',
  'NumberOfBytes',
  'KeySpec',
  'KeyUsage',
  'Origin',
  'MultiRegion',
  'BypassPolicyLockoutSafetyCheck',
  'PendingWindowInDays',
  'TagKeys',
  'Tags',
  'PolicyName',
  'Limit',
  'DryRun',
] as const;

const READ_ONLY = new Set([
  'DescribeKey',
  'GetPublicKey',
  'ListKeys',
  'ListAliases',
  'ListResourceTags',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'Sign',
  'Verify',
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
]);

const camel = (name: string) => `${name[0]?.toLowerCase() ?? ''}${name.slice(1)}`;

export function requestParameters(body: unknown): Record<string, unknown> | null {
  if (typeof body !== 'object' || body === null) return null;
  const recorded: Record<string, unknown> = {};
  for (const member of RECORDED_MEMBERS) {
    const value = (body as Record<string, unknown>)[member];
    if (value !== undefined) recorded[camel(member)] = value;
  }
  return Object.keys(recorded).length > 0 ? recorded : null;
}

export function userIdentity(identity: Identity | undefined, accessKeyId?: string): KmsEvent['userIdentity'] {
  if (!identity) return { type: 'Unknown', ...(accessKeyId ? { accessKeyId } : {}) };
  const base = {
    principalId: identity.principalId,
    arn: identity.arn,
    accountId: identity.accountId,
    accessKeyId: identity.credentials.accessKeyId,
  };
  if (!identity.role)
    return { type: 'IAMUser', ...base, ...(identity.userName ? { userName: identity.userName } : {}) };
  return {
    type: 'AssumedRole',
    ...base,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: identity.role.roleId,
        arn: identity.role.arn,
        accountId: identity.accountId,
        userName: identity.role.name,
      },
      ...(identity.webIdentity
        ? { webIdFederationData: { federatedProvider: identity.webIdentity.provider, attributes: {} } }
        : {}),
      attributes: { creationDate: identity.issuedAt.toISOString(), mfaAuthenticated: 'false' },
    },
    ...(Object.keys(identity.tags).length > 0 ? { principalTags: { ...identity.tags } } : {}),
  };
}

export interface KmsEventInput {
  readonly operation: string;
  readonly identity?: Identity;
  readonly accessKeyId?: string;
  readonly body: unknown;
  readonly region: string;
  readonly accountId: string;
  readonly keyArns: readonly string[];
  readonly requestId: string;
  readonly userAgent: string;
  readonly responseElements?: Record<string, unknown> | null;
  readonly error?: { readonly code: string; readonly message: string };
  readonly at: Date;
}

export function kmsEvent(input: KmsEventInput): KmsEvent {
  return {
    eventVersion: '1.08',
    userIdentity: userIdentity(input.identity, input.accessKeyId),
    eventTime: input.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'kms.amazonaws.com',
    eventName: input.operation,
    awsRegion: input.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: input.userAgent,
    requestParameters: requestParameters(input.body),
    responseElements: input.responseElements ?? null,
    ...(input.error ? { errorCode: input.error.code, errorMessage: input.error.message } : {}),
    requestID: input.requestId,
    eventID: crypto.randomUUID(),
    readOnly: READ_ONLY.has(input.operation),
    resources: [...new Set(input.keyArns)].map((ARN) => ({
      accountId: input.accountId,
      type: 'AWS::KMS::Key' as const,
      ARN,
    })),
    eventType: 'AwsApiCall',
    managementEvent: !['Sign', 'Verify'].includes(input.operation),
    recipientAccountId: input.accountId,
    eventCategory: 'Management',
  };
}

/** Appends events to `<dataDir>/cloudtrail/kms.jsonl` (created owner-only), one line each, in order. */
export class KmsEventLog {
  private readonly file: string;
  constructor(dataDir: string) {
    this.file = join(dataDir, KMS_EVENTS_FILE);
    mkdirSync(join(dataDir, 'cloudtrail'), { recursive: true, mode: 0o700 });
    closeSync(openSync(this.file, 'a', 0o600));
  }
  append(event: KmsEvent): void {
    appendFileSync(this.file, `${JSON.stringify(event)}\n`, { mode: 0o600 });
  }
}

/**
 * The KMS events recorded in a local stack's data directory, oldest first, optionally only those of one
 * operation (`Sign`) or since a time. A torn last line (a write in progress) is left out.
 */
export async function readKmsEvents(
  dataDir: string,
  filter: { eventName?: string; since?: Date } = {},
): Promise<KmsEvent[]> {
  let text: string;
  try {
    text = await readFile(join(dataDir, KMS_EVENTS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: KmsEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const event = KmsEventSchema.parse(value);
    if (filter.eventName && event.eventName !== filter.eventName) continue;
    if (filter.since && Date.parse(event.eventTime) < filter.since.getTime() - 999) continue;
    events.push(event);
  }
  return events;
}
