import {
  CustomerMasterKeySpec,
  DataKeySpec,
  EncryptionAlgorithmSpec,
  KeySpec,
  KeyUsageType,
  MessageType,
  OriginType,
  SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import * as z from 'zod';
import { awsConstraintMessage, requestError, SERIALIZATION_ISSUE } from './errors';

// Request shapes with the constraints of the KMS API reference. Enum value sets come from the SDK's model,
// so an unsupported-but-real value (say KeySpec SM2) gets the emulator's "not supported" error rather
// than a ValidationException the real service would never send.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A base64 blob decoded to bytes, with the length constraint on the bytes as KMS applies it. */
function blob(maxBytes: number) {
  return z.string().transform((text, ctx) => {
    if (!BASE64.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'not valid base64', params: SERIALIZATION_ISSUE });
      return z.NEVER;
    }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < 1 || bytes.length > maxBytes) {
      const bound = bytes.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${maxBytes}`;
      ctx.addIssue({ code: 'custom', message: `Member must have length ${bound}` });
      return z.NEVER;
    }
    return bytes;
  });
}

const keyId = z.string().min(1).max(2048);
const aliasName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9:/_-]+$/);
const description = z.string().max(8192);
const tagKey = z.string().min(1).max(128);
const tags = z.array(z.object({ TagKey: tagKey, TagValue: z.string().max(256) }));
const grantTokens = z.array(z.string().min(1).max(8192)).max(10).optional();
const marker = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[\u0020-\u00FF]*$/);
const limit = (max: number) => z.int().min(1).max(max).optional();

export const CreateKeyRequest = z.object({
  Description: description.optional(),
  KeyUsage: z.enum(KeyUsageType).optional(),
  KeySpec: z.enum(KeySpec).optional(),
  CustomerMasterKeySpec: z.enum(CustomerMasterKeySpec).optional(),
  Origin: z.enum(OriginType).optional(),
  Tags: tags.optional(),
  Policy: z.string().min(1).max(131072).optional(),
  BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
  MultiRegion: z.boolean().optional(),
  CustomKeyStoreId: z.string().min(1).max(64).optional(),
  XksKeyId: z.string().min(1).max(128).optional(),
});

export const KeyIdRequest = z.object({ KeyId: keyId, GrantTokens: grantTokens });

export const SignRequest = z.object({
  KeyId: keyId,
  Message: blob(4096),
  MessageType: z.enum(MessageType).optional(),
  SigningAlgorithm: z.enum(SigningAlgorithmSpec),
  GrantTokens: grantTokens,
  DryRun: z.boolean().optional(),
});

export const VerifyRequest = SignRequest.extend({ Signature: blob(6144) });

// Pairs of strings, keys not empty; KMS's 8 KiB limit on a whole context is not modelled.
const encryptionContext = z.record(z.string().min(1), z.string()).optional();

export const EncryptRequest = z.object({
  KeyId: keyId,
  Plaintext: blob(4096),
  EncryptionContext: encryptionContext,
  GrantTokens: grantTokens,
  EncryptionAlgorithm: z.enum(EncryptionAlgorithmSpec).optional(),
  DryRun: z.boolean().optional(),
});

export const DecryptRequest = z.object({
  CiphertextBlob: blob(6144),
  EncryptionContext: encryptionContext,
  GrantTokens: grantTokens,
  KeyId: keyId.optional(),
  EncryptionAlgorithm: z.enum(EncryptionAlgorithmSpec).optional(),
  DryRun: z.boolean().optional(),
});

export const GenerateDataKeyRequest = z.object({
  KeyId: keyId,
  EncryptionContext: encryptionContext,
  NumberOfBytes: z.int().min(1).max(1024).optional(),
  KeySpec: z.enum(DataKeySpec).optional(),
  GrantTokens: grantTokens,
  DryRun: z.boolean().optional(),
});

export const AliasRequest = z.object({ AliasName: aliasName });
export const AliasTargetRequest = z.object({ AliasName: aliasName, TargetKeyId: keyId });
export const ListAliasesRequest = z.object({
  KeyId: keyId.optional(),
  Limit: limit(100),
  Marker: marker.optional(),
});
export const ListKeysRequest = z.object({ Limit: limit(1000), Marker: marker.optional() });

export const ScheduleKeyDeletionRequest = z.object({
  KeyId: keyId,
  // The API model allows 1–365; the service itself accepts only 7–30.
  PendingWindowInDays: z.int().min(7).max(30).optional(),
});

export const TagResourceRequest = z.object({ KeyId: keyId, Tags: tags });
export const UntagResourceRequest = z.object({ KeyId: keyId, TagKeys: z.array(tagKey) });
export const ListResourceTagsRequest = z.object({
  KeyId: keyId,
  Limit: limit(50),
  Marker: marker.optional(),
});
const policyName = z.literal('default', { error: 'Member must satisfy regular expression pattern: default' });
export const KeyPolicyRequest = z.object({ KeyId: keyId, PolicyName: policyName.optional() });
export const PutKeyPolicyRequest = z.object({
  KeyId: keyId,
  PolicyName: policyName.optional(),
  Policy: z.string().min(1).max(131072),
  BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
});
export const UpdateKeyDescriptionRequest = z.object({ KeyId: keyId, Description: description });

/** Parses a request body, or throws the SerializationException / ValidationException KMS would send. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body, { reportInput: true, error: awsConstraintMessage });
  if (!parsed.success) throw requestError(parsed.error.issues);
  return parsed.data;
}
