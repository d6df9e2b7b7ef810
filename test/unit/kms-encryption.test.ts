import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSClient,
  SignCommand,
  UnsupportedOperationException,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMINISTRATOR_ACCESS, IamStore, type Identity } from '../../local/iam/identities';
import { type KmsEmulator, startKmsEmulator } from '../../local/kms/emulator';

/*
 * The KMS emulator's symmetric keys (Encrypt, Decrypt, GenerateDataKey), authorized as KMS would: the
 * roles' policies are those lib/grants.ts gives the webhooks function (seal) and the sender (open), with
 * their kms:EncryptionContextKeys conditions; the key policy is KMS's default (the account's IAM decides).
 */

const REGION = 'ap-southeast-1';
const CONTEXT = { webhookId: 'wh-1', orgId: 'ubnd-hoan-kiem', secretId: 'sec-1' };
// KMS's AccessDeniedException has no class of its own in the SDK.
const DENIED = { name: 'AccessDeniedException' };
const secret = new TextEncoder().encode('whsec_bí-mật-ký-webhook');

let dataDir: string;
let iam: IamStore;
let emulator: KmsEmulator;
const clients: KMSClient[] = [];
let operator: KMSClient;
let sealer: KMSClient;
let opener: KMSClient;
let bystander: KMSClient;
let keyArn: string;
let otherKeyArn: string;

const contextOnly = (action: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: action,
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['orgId', 'secretId', 'webhookId'] },
        Null: { 'kms:EncryptionContextKeys': 'false' },
      },
    },
  ],
});

function clientOf(identity: Identity): KMSClient {
  const client = new KMSClient({ endpoint: emulator.url, region: REGION, credentials: identity.credentials });
  clients.push(client);
  return client;
}

function roleSession(name: string, policy?: unknown): Identity {
  const role = iam.putRole({
    name,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    },
  });
  if (policy) iam.putRolePolicy(name, `${name}-policy`, policy);
  return iam.startSession(role, name);
}

async function createSymmetricKey(): Promise<string> {
  const out = await operator.send(new CreateKeyCommand({ Description: 'webhook secrets' }));
  const arn = out.KeyMetadata?.Arn;
  if (!arn) throw new Error('CreateKey returned no key');
  return arn;
}

async function seal(client: KMSClient, context: Record<string, string> = CONTEXT, keyId = keyArn) {
  const out = await client.send(
    new EncryptCommand({ KeyId: keyId, Plaintext: secret, EncryptionContext: context }),
  );
  if (!out.CiphertextBlob) throw new Error('Encrypt returned no ciphertext');
  return out.CiphertextBlob;
}

const open = (client: KMSClient, blob: Uint8Array, context?: Record<string, string>, keyId?: string) =>
  client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: keyId }));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'docflow-kms-encryption-'));
  iam = new IamStore('000000000000', REGION);
  emulator = await startKmsEmulator({ dataDir, region: REGION, iam });
  operator = clientOf(iam.createUser('operator', [ADMINISTRATOR_ACCESS]));
  sealer = clientOf(roleSession('webhooks', contextOnly('kms:Encrypt')));
  opener = clientOf(roleSession('webhook-sender', contextOnly('kms:Decrypt')));
  bystander = clientOf(roleSession('directory'));
  keyArn = await createSymmetricKey();
  otherKeyArn = await createSymmetricKey();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('KMS emulator: symmetric keys', () => {
  it('creates SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys by default, described as KMS does', async () => {
    const { KeyMetadata } = await operator.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(KeyMetadata).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    });
    expect(KeyMetadata?.SigningAlgorithms).toBeUndefined();
    await expect(operator.send(new GetPublicKeyCommand({ KeyId: keyArn }))).rejects.toBeInstanceOf(
      UnsupportedOperationException,
    );
    await expect(
      operator.send(
        new SignCommand({ KeyId: keyArn, Message: secret, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      ),
    ).rejects.toBeInstanceOf(InvalidKeyUsageException);
  });

  it('seals with Encrypt and opens with Decrypt under the same context; the blob names the key', async () => {
    const blob = await seal(sealer);
    expect(Buffer.from(blob).includes(Buffer.from(secret))).toBe(false);
    // Context pairs in another order are the same context.
    const reordered = { secretId: 'sec-1', orgId: 'ubnd-hoan-kiem', webhookId: 'wh-1' };
    for (const keyId of [undefined, keyArn]) {
      const out = await open(opener, blob, reordered, keyId);
      expect(Buffer.from(out.Plaintext ?? []).toString('utf8')).toBe('whsec_bí-mật-ký-webhook');
      expect(out.KeyId).toBe(keyArn);
      expect(out.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    }
    // Two seals of the same secret differ (a fresh IV each time).
    expect(Buffer.from(await seal(sealer)).equals(Buffer.from(blob))).toBe(false);
  });

  it('refuses a context other than the one sealed with: InvalidCiphertextException', async () => {
    const blob = await seal(sealer);
    await expect(open(opener, blob, { ...CONTEXT, webhookId: 'wh-2' })).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
    // The administrator may decrypt without conditions, yet without the context it does not open.
    await expect(open(operator, blob)).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(open(operator, blob, { ...CONTEXT, extra: 'x' })).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
    // A changed byte anywhere does not open either.
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    await expect(open(opener, tampered, CONTEXT)).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(open(opener, Buffer.from('not a ciphertext'), CONTEXT)).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
  });

  it('refuses the wrong key: IncorrectKeyException for another KeyId, and a blob relabelled does not open', async () => {
    const blob = await seal(sealer);
    await expect(open(opener, blob, CONTEXT, otherKeyArn)).rejects.toBeInstanceOf(IncorrectKeyException);
    const relabelled = Buffer.from(blob);
    Buffer.from(otherKeyArn.split('/').pop()?.replaceAll('-', '') ?? '', 'hex').copy(relabelled, 1);
    await expect(open(opener, relabelled, CONTEXT)).rejects.toBeInstanceOf(InvalidCiphertextException);
    // A signing key cannot encrypt.
    const signing = await operator.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    await expect(seal(operator, CONTEXT, signing.KeyMetadata?.Arn)).rejects.toBeInstanceOf(
      InvalidKeyUsageException,
    );
  });

  it('enforces the roles: the sealer may not decrypt, the opener not encrypt, others neither', async () => {
    const blob = await seal(sealer);
    await expect(open(sealer, blob, CONTEXT)).rejects.toMatchObject(DENIED);
    await expect(open(sealer, blob, CONTEXT)).rejects.toThrow(/not authorized to perform: kms:Decrypt/);
    await expect(seal(opener)).rejects.toMatchObject(DENIED);
    await expect(open(bystander, blob, CONTEXT)).rejects.toMatchObject(DENIED);
    await expect(seal(bystander)).rejects.toMatchObject(DENIED);
  });

  it('enforces the context conditions: only its three keys, never none', async () => {
    const blob = await seal(sealer);
    // No context (Null condition) and an extra key (ForAllValues) are refused before any decryption.
    await expect(open(opener, blob)).rejects.toMatchObject(DENIED);
    await expect(open(opener, blob, { ...CONTEXT, tenant: 'x' })).rejects.toMatchObject(DENIED);
    await expect(seal(sealer, {})).rejects.toMatchObject(DENIED);
    await expect(seal(sealer, { ...CONTEXT, tenant: 'x' })).rejects.toMatchObject(DENIED);
  });

  it('decides on kms:EncryptionContext:<key> values, in IAM and in the key policy', async () => {
    const orgOnly = clientOf(
      roleSession('one-organisation', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:Decrypt'],
            Resource: keyArn,
            Condition: { StringEquals: { 'kms:EncryptionContext:orgId': 'ubnd-hoan-kiem' } },
          },
        ],
      }),
    );
    const elsewhere = { ...CONTEXT, orgId: 'ubnd-ba-dinh' };
    const blob = await seal(orgOnly);
    expect((await open(orgOnly, blob, CONTEXT)).KeyId).toBe(keyArn);
    await expect(seal(orgOnly, elsewhere)).rejects.toMatchObject(DENIED);
    await expect(open(orgOnly, await seal(sealer, elsewhere), elsewhere)).rejects.toMatchObject(DENIED);
    // A key whose policy denies one organisation's context to everyone: IAM's allow does not help.
    const { KeyMetadata } = await operator.send(
      new CreateKeyCommand({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: { StringEquals: { 'kms:EncryptionContext:orgId': 'ubnd-ba-dinh' } },
            },
          ],
        }),
      }),
    );
    const guarded = KeyMetadata?.Arn ?? '';
    const sealedElsewhere = await seal(sealer, elsewhere, guarded);
    await expect(open(opener, sealedElsewhere, elsewhere)).rejects.toMatchObject(DENIED);
    expect((await open(opener, await seal(sealer, CONTEXT, guarded), CONTEXT)).KeyId).toBe(guarded);
  });

  it('generates data keys whose sealed copy Decrypt opens', async () => {
    const out = await operator.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
    );
    expect(out.Plaintext?.length).toBe(32);
    const opened = await open(operator, out.CiphertextBlob ?? new Uint8Array(), CONTEXT);
    expect(Buffer.from(opened.Plaintext ?? []).equals(Buffer.from(out.Plaintext ?? []))).toBe(true);
    // The sealer's role has no kms:GenerateDataKey.
    await expect(
      sealer.send(
        new GenerateDataKeyCommand({ KeyId: keyArn, NumberOfBytes: 16, EncryptionContext: CONTEXT }),
      ),
    ).rejects.toMatchObject(DENIED);
  });

  it('keeps symmetric keys across a restart: what was sealed still opens', async () => {
    const blob = await seal(sealer);
    await emulator.close();
    emulator = await startKmsEmulator({ dataDir, region: REGION, iam, port: emulator.port });
    const out = await open(opener, blob, CONTEXT);
    expect(Buffer.from(out.Plaintext ?? []).equals(Buffer.from(secret))).toBe(true);
  });
});
