import { createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { MalformedPolicy, type Policy, parsePolicy } from '../iam/policy';
import {
  blobKeyId,
  decryptBlob,
  type EncryptionContext,
  encryptBlob,
  generateSymmetricKey,
} from './encryption';
import { invalidState, KmsError, notFound, unsupported, validation } from './errors';
import {
  defaultKeyPolicy,
  type KmsStore,
  type StoredAlias,
  type StoredKey,
  type SymmetricKey,
  type Tag,
} from './persistence';
import {
  AliasRequest,
  AliasTargetRequest,
  CreateKeyRequest,
  DecryptRequest,
  EncryptRequest,
  GenerateDataKeyRequest,
  KeyIdRequest,
  KeyPolicyRequest,
  ListAliasesRequest,
  ListKeysRequest,
  ListResourceTagsRequest,
  PutKeyPolicyRequest,
  parseRequest,
  ScheduleKeyDeletionRequest,
  SignRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateKeyDescriptionRequest,
  VerifyRequest,
} from './requests';
import {
  digestLength,
  generatePrivateKey,
  isSupportedKeySpec,
  publicKeySpki,
  SUPPORTED_KEY_SPECS,
  signingAlgorithmsFor,
  signMessage,
  verifyMessage,
} from './signing';

/** One permission a request needs: an action on a key (whose policy then decides too) or on a resource. */
export interface AccessCheck {
  readonly action: `kms:${string}`;
  readonly key?: StoredKey;
  /** A key's ARN, an alias's ARN, or `*` for account-level actions (CreateKey, ListAliases). */
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface KmsContext {
  store: KmsStore;
  region: string;
  accountId: string;
  /** Epoch milliseconds; injectable so tests can move past a deletion date. */
  now: () => number;
  /** Throws AccessDeniedException unless the caller's policies (and the key's) allow the check. */
  authorize: (check: AccessCheck) => void;
  /** KMS's lockout safety check: whether the caller could still change this policy once it is set. */
  mayStillManage: (policy: Policy, keyArn: string) => boolean;
}

/** Every request is allowed: the emulator without IAM (its own protocol tests). */
export const ALLOW_ALL: Pick<KmsContext, 'authorize' | 'mayStillManage'> = {
  authorize: () => undefined,
  mayStillManage: () => true,
};

/** JSON-ready response body: blobs already base64, timestamps already epoch seconds. */
export type ResponseBody = Record<string, unknown>;

type Operation = (ctx: KmsContext, body: unknown) => ResponseBody | Promise<ResponseBody>;

// ---------------------------------------------------------------------------------------------------
// Names, ARNs, key resolution
// ---------------------------------------------------------------------------------------------------

const KEY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KMS_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:((?:key|alias)\/.+)$/;

export const keyArn = (key: StoredKey) => `arn:aws:kms:${key.region}:${key.accountId}:key/${key.keyId}`;
const aliasArn = (ctx: KmsContext, aliasName: string) =>
  `arn:aws:kms:${ctx.region}:${ctx.accountId}:${aliasName}`;
const seconds = (epochMillis: number) => epochMillis / 1000;

type KeyReference = 'key' | 'key-or-alias';

/**
 * Finds the key a KeyId names: a key id or key ARN, and for the operations that allow it (`key-or-alias`)
 * an alias name or alias ARN. Error messages follow real KMS's where known.
 */
function findKey(ctx: KmsContext, reference: string, accepts: KeyReference): StoredKey {
  const isArn = reference.startsWith('arn:');
  let resource = reference;
  if (isArn) {
    const match = KMS_ARN_PATTERN.exec(reference);
    if (!match?.[1]) throw notFound(`Invalid arn ${reference}`);
    resource = match[1];
  }
  if (resource.startsWith('alias/')) {
    if (accepts === 'key') throw notFound(`Invalid keyId ${reference}`);
    const arn = aliasArn(ctx, resource);
    const alias = ctx.store.getAlias(resource);
    if (!alias || (isArn && reference !== arn)) throw notFound(`Alias ${arn} is not found.`);
    return existingKey(ctx, alias.targetKeyId, arn);
  }
  const keyId = isArn ? resource.replace(/^key\//, '') : resource;
  if (!KEY_ID_PATTERN.test(keyId)) throw notFound(`Invalid keyId ${reference}`);
  const key = existingKey(ctx, keyId, reference);
  // An ARN must match in full: a key id under another region or account names a different key.
  if (isArn && reference !== keyArn(key)) throw notFound(`Key '${reference}' does not exist`);
  return key;
}

function existingKey(ctx: KmsContext, keyId: string, reference: string): StoredKey {
  const key = ctx.store.getKey(keyId);
  if (!key) {
    const named = reference.startsWith('arn:')
      ? reference
      : `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
    throw notFound(`Key '${named}' does not exist`);
  }
  return key;
}

/** Cryptographic operations need an enabled key (KMS's "Key states" table). */
function requireEnabled(key: StoredKey): void {
  if (key.keyState === 'Disabled') throw new KmsError('DisabledException', `${keyArn(key)} is disabled.`);
  requireNotPendingDeletion(key);
}

function requireNotPendingDeletion(key: StoredKey): void {
  if (key.keyState === 'PendingDeletion') throw invalidState(`${keyArn(key)} is pending deletion.`);
}

/** The condition keys a key brings to a request on it. */
function keyContext(ctx: KmsContext, key: StoredKey, requested?: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    'kms:KeySpec': key.keySpec,
    'kms:KeyUsage': key.keyUsage,
    'kms:KeyOrigin': 'AWS_KMS',
    'kms:MultiRegion': 'false',
    'kms:ResourceAliases': ctx.store
      .aliases()
      .filter((alias) => alias.targetKeyId === key.keyId)
      .map((alias) => alias.aliasName),
  };
  const alias = requested?.replace(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:/, '');
  if (alias?.startsWith('alias/')) context['kms:RequestAlias'] = alias;
  for (const tag of key.tags) context[`aws:ResourceTag/${tag.TagKey}`] = tag.TagValue;
  return context;
}

/** Asks for `action` on `key`, named in the request as `requested`. */
function authorizeKey(
  ctx: KmsContext,
  action: AccessCheck['action'],
  key: StoredKey,
  requested?: string,
  extra: Record<string, string | string[] | undefined> = {},
): void {
  ctx.authorize({
    action,
    key,
    resource: keyArn(key),
    context: { ...keyContext(ctx, key, requested), ...extra },
  });
}

/** `aws:RequestTag/<key>` for each tag and `aws:TagKeys`, as tagging requests carry them. */
function requestTagContext(tags: readonly Tag[]): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((tag) => tag.TagKey) };
  for (const tag of tags) context[`aws:RequestTag/${tag.TagKey}`] = tag.TagValue;
  return context;
}

/** A key policy as KMS accepts it: valid, and not one that would lock the caller out (unless bypassed). */
function acceptedPolicy(
  ctx: KmsContext,
  text: string,
  keyArnValue: string,
  bypass: boolean | undefined,
): Policy {
  let policy: Policy;
  try {
    policy = parsePolicy(text, 'resource');
  } catch (error) {
    if (!(error instanceof MalformedPolicy)) throw error;
    throw new KmsError('MalformedPolicyDocumentException', error.message);
  }
  if (!bypass && !ctx.mayStillManage(policy, keyArnValue)) {
    throw new KmsError(
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    );
  }
  return policy;
}

/** Removes keys whose deletion date has passed, as KMS does at the end of the waiting period. */
export function purgeDeletedKeys(ctx: KmsContext): void {
  const now = ctx.now();
  for (const key of ctx.store.keys()) {
    if (key.keyState === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate <= now) {
      ctx.store.deleteKey(key.keyId);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------

function keyMetadata(key: StoredKey): ResponseBody {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: keyArn(key),
    CreationDate: seconds(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    ...(key.deletionDate !== undefined && { DeletionDate: seconds(key.deletionDate) }),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...(key.keyUsage === 'SIGN_VERIFY'
      ? { SigningAlgorithms: signingAlgorithmsFor(key.keySpec) }
      : { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }),
    MultiRegion: false,
  };
}

function aliasListEntry(ctx: KmsContext, alias: StoredAlias): ResponseBody {
  return {
    AliasName: alias.aliasName,
    AliasArn: aliasArn(ctx, alias.aliasName),
    TargetKeyId: alias.targetKeyId,
    CreationDate: seconds(alias.creationDate),
    LastUpdatedDate: seconds(alias.lastUpdatedDate),
  };
}

/**
 * One page of `items`, sorted by `sortKey`. The marker is the opaque (base64url) sort key of the last item
 * returned, so pages stay consistent when items are added or removed between calls.
 */
function paginate<T>(
  items: readonly T[],
  sortKey: (item: T) => string,
  limit: number,
  marker: string | undefined,
): { page: T[]; truncation: ResponseBody } {
  // Code-unit order, not locale order: the marker comparison below must agree with the sort exactly.
  const sorted = [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  let rest = sorted;
  if (marker !== undefined) {
    const after = Buffer.from(marker, 'base64url').toString('utf8');
    if (after === '' || Buffer.from(after, 'utf8').toString('base64url') !== marker) {
      throw new KmsError('InvalidMarkerException', 'Invalid marker');
    }
    rest = sorted.filter((item) => sortKey(item) > after);
  }
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  const truncated = rest.length > limit && last !== undefined;
  return {
    page,
    truncation: truncated
      ? { Truncated: true, NextMarker: Buffer.from(sortKey(last), 'utf8').toString('base64url') }
      : { Truncated: false },
  };
}

// ---------------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------------

function checkTags(tags: readonly Tag[]): void {
  const keys = new Set(tags.map((tag) => tag.TagKey));
  if (keys.size !== tags.length) throw new KmsError('TagException', 'Duplicate tag keys');
}

async function createKey(ctx: KmsContext, body: unknown): Promise<ResponseBody> {
  const req = parseRequest(CreateKeyRequest, body);
  const tags = req.Tags ?? [];
  ctx.authorize({
    action: 'kms:CreateKey',
    resource: '*',
    context: {
      'kms:KeySpec': req.KeySpec ?? req.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
      'kms:KeyUsage': req.KeyUsage ?? 'ENCRYPT_DECRYPT',
      'kms:KeyOrigin': req.Origin,
      'kms:MultiRegion': req.MultiRegion === undefined ? undefined : String(req.MultiRegion),
      'kms:BypassPolicyLockoutSafetyCheck':
        req.BypassPolicyLockoutSafetyCheck === undefined
          ? undefined
          : String(req.BypassPolicyLockoutSafetyCheck),
      ...(tags.length > 0 ? requestTagContext(tags) : {}),
    },
  });
  const keyId = randomUUID();
  const newKeyArn = `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
  // Tags given at creation need kms:TagResource too, from an identity-based policy (the key has no policy yet).
  if (tags.length > 0)
    ctx.authorize({ action: 'kms:TagResource', resource: newKeyArn, context: requestTagContext(tags) });
  if (req.KeySpec && req.CustomerMasterKeySpec) {
    throw validation(
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec only.',
    );
  }
  const spec = req.KeySpec ?? req.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const symmetric = spec === 'SYMMETRIC_DEFAULT';
  if (!symmetric && !isSupportedKeySpec(spec)) {
    throw unsupported(
      `KeySpec ${spec} is not supported by the docflow KMS emulator; it supports SYMMETRIC_DEFAULT, ${SUPPORTED_KEY_SPECS.join(', ')}`,
    );
  }
  // KMS defaults KeyUsage to ENCRYPT_DECRYPT, which only a symmetric key may omit.
  if (!symmetric && req.KeyUsage === undefined)
    throw validation(`KeyUsage must be specified for an asymmetric KMS key (${spec})`);
  const usage = req.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (usage !== (symmetric ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY')) {
    throw unsupported(
      `KeyUsage ${usage} is not supported by the docflow KMS emulator for ${spec}; use ${symmetric ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY'}`,
    );
  }
  if ((req.Origin ?? 'AWS_KMS') !== 'AWS_KMS' || req.CustomKeyStoreId || req.XksKeyId) {
    throw unsupported('The docflow KMS emulator only creates keys with Origin AWS_KMS');
  }
  if (req.MultiRegion) throw unsupported('The docflow KMS emulator does not support multi-Region keys');
  checkTags(tags);
  const policy = req.Policy ?? defaultKeyPolicy(ctx.accountId);
  acceptedPolicy(ctx, policy, newKeyArn, req.BypassPolicyLockoutSafetyCheck);

  const base = {
    keyId,
    accountId: ctx.accountId,
    region: ctx.region,
    creationDate: ctx.now(),
    description: req.Description ?? '',
    keyState: 'Enabled' as const,
    tags,
    policy,
  };
  let key: StoredKey;
  if (isSupportedKeySpec(spec)) {
    const privateKey = await generatePrivateKey(spec);
    key = {
      ...base,
      keySpec: spec,
      keyUsage: 'SIGN_VERIFY',
      privateKey,
      publicKeySpki: publicKeySpki(privateKey),
    };
  } else {
    key = {
      ...base,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      material: generateSymmetricKey(),
    };
  }
  ctx.store.putKey(key);
  return { KeyMetadata: keyMetadata(key) };
}

function describeKey(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(KeyIdRequest, body);
  const key = findKey(ctx, req.KeyId, 'key-or-alias');
  authorizeKey(ctx, 'kms:DescribeKey', key, req.KeyId);
  return { KeyMetadata: keyMetadata(key) };
}

function getPublicKey(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(KeyIdRequest, body);
  const key = findKey(ctx, req.KeyId, 'key-or-alias');
  authorizeKey(ctx, 'kms:GetPublicKey', key, req.KeyId);
  requireEnabled(key);
  if (key.keyUsage !== 'SIGN_VERIFY')
    throw unsupported(`${keyArn(key)} is a symmetric key; GetPublicKey needs an asymmetric one.`);
  return {
    KeyId: keyArn(key),
    PublicKey: key.publicKeySpki.toString('base64'),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    SigningAlgorithms: signingAlgorithmsFor(key.keySpec),
  };
}

function listKeys(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(ListKeysRequest, body);
  ctx.authorize({ action: 'kms:ListKeys', resource: '*', context: {} });
  const { page, truncation } = paginate(ctx.store.keys(), (key) => key.keyId, req.Limit ?? 1000, req.Marker);
  return { Keys: page.map((key) => ({ KeyId: key.keyId, KeyArn: keyArn(key) })), ...truncation };
}

function setEnabled(ctx: KmsContext, body: unknown, enabled: boolean): ResponseBody {
  const req = parseRequest(KeyIdRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, enabled ? 'kms:EnableKey' : 'kms:DisableKey', key, req.KeyId);
  requireNotPendingDeletion(key);
  const keyState = enabled ? 'Enabled' : 'Disabled';
  if (key.keyState !== keyState) ctx.store.putKey({ ...key, keyState });
  return {};
}

const enableKey: Operation = (ctx, body) => setEnabled(ctx, body, true);
const disableKey: Operation = (ctx, body) => setEnabled(ctx, body, false);

function updateKeyDescription(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(UpdateKeyDescriptionRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:UpdateKeyDescription', key, req.KeyId);
  requireNotPendingDeletion(key);
  ctx.store.putKey({ ...key, description: req.Description });
  return {};
}

const DAY_MS = 24 * 60 * 60 * 1000;

function scheduleKeyDeletion(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(ScheduleKeyDeletionRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:ScheduleKeyDeletion', key, req.KeyId);
  requireNotPendingDeletion(key);
  const pendingWindowInDays = req.PendingWindowInDays ?? 30;
  const deletionDate = ctx.now() + pendingWindowInDays * DAY_MS;
  ctx.store.putKey({ ...key, keyState: 'PendingDeletion', deletionDate });
  return {
    KeyId: keyArn(key),
    DeletionDate: seconds(deletionDate),
    KeyState: 'PendingDeletion',
    PendingWindowInDays: pendingWindowInDays,
  };
}

function cancelKeyDeletion(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(KeyIdRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:CancelKeyDeletion', key, req.KeyId);
  if (key.keyState !== 'PendingDeletion') throw invalidState(`${keyArn(key)} is not pending deletion.`);
  // KMS returns a key whose deletion was cancelled in the Disabled state, not its state before.
  const { deletionDate: _cancelled, ...rest } = key;
  ctx.store.putKey({ ...rest, keyState: 'Disabled' });
  return { KeyId: keyArn(key) };
}

// ---------------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------------

type SigningInput = z.output<typeof SignRequest>;

/** The checks Sign and Verify share: key state, algorithm/key compatibility, message type and length. */
function prepareSigning(ctx: KmsContext, req: SigningInput, action: 'kms:Sign' | 'kms:Verify') {
  const key = findKey(ctx, req.KeyId, 'key-or-alias');
  authorizeKey(ctx, action, key, req.KeyId, {
    'kms:MessageType': req.MessageType ?? 'RAW',
    'kms:SigningAlgorithm': req.SigningAlgorithm,
  });
  requireEnabled(key);
  if (key.keyUsage !== 'SIGN_VERIFY') {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${keyArn(key)} key usage is ENCRYPT_DECRYPT which is not valid for ${action.slice(4)}.`,
    );
  }
  const algorithms = signingAlgorithmsFor(key.keySpec);
  const algorithm = algorithms.find((candidate) => candidate === req.SigningAlgorithm);
  if (!algorithm) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `Supported SigningAlgorithmSpec for this key: ${algorithms.join(', ')}; got ${req.SigningAlgorithm}`,
    );
  }
  const messageType = req.MessageType ?? 'RAW';
  if (messageType !== 'RAW' && messageType !== 'DIGEST') {
    throw unsupported(`MessageType ${messageType} is only valid for ML-DSA keys`);
  }
  if (messageType === 'DIGEST' && req.Message.length !== digestLength(algorithm)) {
    throw validation(`Digest is invalid length for algorithm ${algorithm}.`);
  }
  if (req.DryRun) {
    throw new KmsError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
  }
  return { key, algorithm, messageType };
}

function signOperation(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(SignRequest, body);
  const { key, algorithm, messageType } = prepareSigning(ctx, req, 'kms:Sign');
  const signature = signMessage(key.privateKey, algorithm, messageType, req.Message);
  return { KeyId: keyArn(key), Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
}

function verifyOperation(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(VerifyRequest, body);
  const { key, algorithm, messageType } = prepareSigning(ctx, req, 'kms:Verify');
  const publicKey = createPublicKey(key.privateKey);
  // KMS reports a bad signature as an error, never as SignatureValid: false.
  if (!verifyMessage(publicKey, algorithm, messageType, req.Message, req.Signature)) {
    throw new KmsError(
      'KMSInvalidSignatureException',
      'The signature is not valid for this key, message and algorithm.',
    );
  }
  return { KeyId: keyArn(key), SignatureValid: true, SigningAlgorithm: algorithm };
}

// ---------------------------------------------------------------------------------------------------
// Encryption (symmetric keys)
// ---------------------------------------------------------------------------------------------------

/** The condition keys an encryption context brings: each pair, and the set of its keys (absent if empty). */
function encryptionContextKeys(context: EncryptionContext): Record<string, string | string[]> {
  const keys = Object.keys(context);
  const conditions: Record<string, string | string[]> =
    keys.length > 0 ? { 'kms:EncryptionContextKeys': keys } : {};
  for (const key of keys) conditions[`kms:EncryptionContext:${key}`] = context[key] ?? '';
  return conditions;
}

function refuseDryRun(dryRun: boolean | undefined): void {
  if (dryRun) {
    throw new KmsError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
  }
}

/** The key Encrypt or GenerateDataKey names, once the caller may use it so and it can encrypt. */
function encryptingKey(
  ctx: KmsContext,
  reference: string,
  action: 'kms:Encrypt' | 'kms:GenerateDataKey',
  context: EncryptionContext,
  algorithm: string | undefined,
): SymmetricKey {
  const key = findKey(ctx, reference, 'key-or-alias');
  authorizeKey(ctx, action, key, reference, {
    'kms:EncryptionAlgorithm': algorithm ?? 'SYMMETRIC_DEFAULT',
    ...encryptionContextKeys(context),
  });
  requireEnabled(key);
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${keyArn(key)} key usage is ${key.keyUsage} which is not valid for ${action.slice(4)}.`,
    );
  }
  return key;
}

function requireSymmetricAlgorithm(algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError(
      'InvalidKeyUsageException',
      `The encryption algorithm ${algorithm} is not valid for a SYMMETRIC_DEFAULT key.`,
    );
  }
}

function encryptOperation(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(EncryptRequest, body);
  const context = req.EncryptionContext ?? {};
  const key = encryptingKey(ctx, req.KeyId, 'kms:Encrypt', context, req.EncryptionAlgorithm);
  requireSymmetricAlgorithm(req.EncryptionAlgorithm);
  refuseDryRun(req.DryRun);
  return {
    CiphertextBlob: encryptBlob(key, req.Plaintext, context).toString('base64'),
    KeyId: keyArn(key),
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
}

function generateDataKey(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(GenerateDataKeyRequest, body);
  const context = req.EncryptionContext ?? {};
  const key = encryptingKey(ctx, req.KeyId, 'kms:GenerateDataKey', context, undefined);
  if ((req.KeySpec === undefined) === (req.NumberOfBytes === undefined)) {
    throw validation('Please specify either number of bytes or key spec.');
  }
  refuseDryRun(req.DryRun);
  const plaintext = randomBytes(req.NumberOfBytes ?? (req.KeySpec === 'AES_128' ? 16 : 32));
  return {
    CiphertextBlob: encryptBlob(key, plaintext, context).toString('base64'),
    Plaintext: plaintext.toString('base64'),
    KeyId: keyArn(key),
  };
}

const INVALID_CIPHERTEXT = () =>
  new KmsError('InvalidCiphertextException', 'The ciphertext or its encryption context is not valid.');

/**
 * Decrypt finds the key in the blob; a KeyId, if given, must name that same key. The caller needs
 * kms:Decrypt on it with the context given; a context other than the one encrypted with does not open it.
 */
function decryptOperation(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(DecryptRequest, body);
  const context = req.EncryptionContext ?? {};
  const keyId = blobKeyId(req.CiphertextBlob);
  if (keyId === undefined) throw INVALID_CIPHERTEXT();
  const key = existingKey(ctx, keyId, keyId);
  authorizeKey(ctx, 'kms:Decrypt', key, req.KeyId, {
    'kms:EncryptionAlgorithm': req.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    ...encryptionContextKeys(context),
  });
  if (req.KeyId !== undefined && findKey(ctx, req.KeyId, 'key-or-alias').keyId !== key.keyId) {
    throw new KmsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
  }
  requireEnabled(key);
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') throw INVALID_CIPHERTEXT();
  requireSymmetricAlgorithm(req.EncryptionAlgorithm);
  refuseDryRun(req.DryRun);
  const plaintext = decryptBlob(key.material, req.CiphertextBlob, context);
  if (!plaintext) throw INVALID_CIPHERTEXT();
  return {
    KeyId: keyArn(key),
    Plaintext: plaintext.toString('base64'),
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
}

// ---------------------------------------------------------------------------------------------------
// Aliases
// ---------------------------------------------------------------------------------------------------

function checkAliasName(aliasName: string): void {
  if (!aliasName.startsWith('alias/')) {
    throw validation('Alias must start with the prefix "alias/".');
  }
  if (aliasName === 'alias/' || aliasName.startsWith('alias/aws/')) {
    throw new KmsError(
      'InvalidAliasNameException',
      `${aliasName} is not a valid alias name for a customer key`,
    );
  }
}

/** An alias may point only at a key named by id or ARN, and not at one pending deletion. */
function aliasTarget(ctx: KmsContext, targetKeyId: string): StoredKey {
  const key = findKey(ctx, targetKeyId, 'key');
  requireNotPendingDeletion(key);
  return key;
}

function existingAlias(ctx: KmsContext, aliasName: string): StoredAlias {
  const alias = ctx.store.getAlias(aliasName);
  if (!alias) throw notFound(`Alias ${aliasArn(ctx, aliasName)} is not found.`);
  return alias;
}

/** Alias operations need the action on the alias itself (identity-based policies only) and on each key. */
function authorizeAlias(ctx: KmsContext, action: AccessCheck['action'], aliasName: string): void {
  ctx.authorize({ action, resource: aliasArn(ctx, aliasName), context: {} });
}

function createAlias(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(AliasTargetRequest, body);
  checkAliasName(req.AliasName);
  const target = findKey(ctx, req.TargetKeyId, 'key');
  authorizeAlias(ctx, 'kms:CreateAlias', req.AliasName);
  authorizeKey(ctx, 'kms:CreateAlias', target, req.TargetKeyId);
  const key = aliasTarget(ctx, req.TargetKeyId);
  if (ctx.store.getAlias(req.AliasName)) {
    throw new KmsError(
      'AlreadyExistsException',
      `An alias with the name ${aliasArn(ctx, req.AliasName)} already exists`,
    );
  }
  const now = ctx.now();
  ctx.store.putAlias({
    aliasName: req.AliasName,
    targetKeyId: key.keyId,
    creationDate: now,
    lastUpdatedDate: now,
  });
  return {};
}

function updateAlias(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(AliasTargetRequest, body);
  const alias = existingAlias(ctx, req.AliasName);
  const target = findKey(ctx, req.TargetKeyId, 'key');
  authorizeAlias(ctx, 'kms:UpdateAlias', req.AliasName);
  authorizeKey(ctx, 'kms:UpdateAlias', target, req.TargetKeyId);
  const current = ctx.store.getKey(alias.targetKeyId);
  if (current) authorizeKey(ctx, 'kms:UpdateAlias', current);
  // KMS requires the same key type and usage on both sides.
  const key = aliasTarget(ctx, req.TargetKeyId);
  if (current && (current.keyUsage !== key.keyUsage || current.keySpec !== key.keySpec)) {
    throw validation(
      `${keyArn(key)} is ${key.keySpec} ${key.keyUsage}; ${alias.aliasName} points at a ${current.keySpec} ${current.keyUsage} key.`,
    );
  }
  ctx.store.putAlias({ ...alias, targetKeyId: key.keyId, lastUpdatedDate: ctx.now() });
  return {};
}

function deleteAlias(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(AliasRequest, body);
  const alias = existingAlias(ctx, req.AliasName);
  authorizeAlias(ctx, 'kms:DeleteAlias', req.AliasName);
  const key = ctx.store.getKey(alias.targetKeyId);
  if (key) authorizeKey(ctx, 'kms:DeleteAlias', key);
  ctx.store.deleteAlias(req.AliasName);
  return {};
}

function listAliases(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(ListAliasesRequest, body);
  ctx.authorize({ action: 'kms:ListAliases', resource: '*', context: {} });
  const keyId = req.KeyId === undefined ? undefined : findKey(ctx, req.KeyId, 'key').keyId;
  const aliases = ctx.store.aliases().filter((alias) => keyId === undefined || alias.targetKeyId === keyId);
  const { page, truncation } = paginate(aliases, (alias) => alias.aliasName, req.Limit ?? 50, req.Marker);
  return { Aliases: page.map((alias) => aliasListEntry(ctx, alias)), ...truncation };
}

// ---------------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------------

function tagResource(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(TagResourceRequest, body);
  checkTags(req.Tags);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:TagResource', key, req.KeyId, requestTagContext(req.Tags));
  requireNotPendingDeletion(key);
  const added = new Set(req.Tags.map((tag) => tag.TagKey));
  ctx.store.putKey({ ...key, tags: [...key.tags.filter((tag) => !added.has(tag.TagKey)), ...req.Tags] });
  return {};
}

function untagResource(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(UntagResourceRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:UntagResource', key, req.KeyId, { 'aws:TagKeys': req.TagKeys });
  requireNotPendingDeletion(key);
  const removed = new Set(req.TagKeys);
  ctx.store.putKey({ ...key, tags: key.tags.filter((tag) => !removed.has(tag.TagKey)) });
  return {};
}

function listResourceTags(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(ListResourceTagsRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:ListResourceTags', key, req.KeyId);
  const { page, truncation } = paginate(key.tags, (tag) => tag.TagKey, req.Limit ?? 50, req.Marker);
  return { Tags: page, ...truncation };
}

// ---------------------------------------------------------------------------------------------------
// Key policies
// ---------------------------------------------------------------------------------------------------

function getKeyPolicy(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(KeyPolicyRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:GetKeyPolicy', key, req.KeyId);
  return { Policy: key.policy, PolicyName: 'default' };
}

function putKeyPolicy(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(PutKeyPolicyRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:PutKeyPolicy', key, req.KeyId, {
    'kms:BypassPolicyLockoutSafetyCheck':
      req.BypassPolicyLockoutSafetyCheck === undefined
        ? undefined
        : String(req.BypassPolicyLockoutSafetyCheck),
  });
  requireNotPendingDeletion(key);
  acceptedPolicy(ctx, req.Policy, keyArn(key), req.BypassPolicyLockoutSafetyCheck);
  ctx.store.putKey({ ...key, policy: req.Policy });
  return {};
}

function listKeyPolicies(ctx: KmsContext, body: unknown): ResponseBody {
  const req = parseRequest(KeyIdRequest, body);
  const key = findKey(ctx, req.KeyId, 'key');
  authorizeKey(ctx, 'kms:ListKeyPolicies', key, req.KeyId);
  return { PolicyNames: ['default'], Truncated: false };
}

/** The operations the emulator implements, by `x-amz-target` operation name. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['CreateKey', createKey],
  ['DescribeKey', describeKey],
  ['GetPublicKey', getPublicKey],
  ['ListKeys', listKeys],
  ['EnableKey', enableKey],
  ['DisableKey', disableKey],
  ['UpdateKeyDescription', updateKeyDescription],
  ['ScheduleKeyDeletion', scheduleKeyDeletion],
  ['CancelKeyDeletion', cancelKeyDeletion],
  ['Sign', signOperation],
  ['Verify', verifyOperation],
  ['Encrypt', encryptOperation],
  ['Decrypt', decryptOperation],
  ['GenerateDataKey', generateDataKey],
  ['CreateAlias', createAlias],
  ['UpdateAlias', updateAlias],
  ['DeleteAlias', deleteAlias],
  ['ListAliases', listAliases],
  ['TagResource', tagResource],
  ['UntagResource', untagResource],
  ['ListResourceTags', listResourceTags],
  ['GetKeyPolicy', getKeyPolicy],
  ['PutKeyPolicy', putKeyPolicy],
  ['ListKeyPolicies', listKeyPolicies],
]);
