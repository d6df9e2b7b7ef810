import { execFile } from 'node:child_process';
import { constants, createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AlreadyExistsException,
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  EnableKeyCommand,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  type KeySpec,
  KMSClient,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  NotFoundException,
  paginateListAliases,
  paginateListKeys,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type SigningAlgorithmSpec,
  TagResourceCommand,
  UpdateAliasCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KmsDigestSigner, kmsClientFromEnv } from '../../lambdas/adapters/kms-signer';
import { LazyClient } from '../../lambdas/adapters/lazy-sdk';
import { type KmsEmulator, startKmsEmulator } from '../../local/kms/emulator';

const run = promisify(execFile);

const message = Buffer.from('Quyết định số 15/QĐ-UBND về việc ban hành quy chế văn thư');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();
const DAY_MS = 24 * 60 * 60 * 1000;

let dataDir: string;
let scratchDir: string;
let emulator: KmsEmulator;
let kms: KMSClient;
// The emulator's clock runs this far ahead of real time; lets a test reach a key's deletion date.
let clockSkewMs = 0;

function clientFor(url: string): KMSClient {
  return new KMSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  });
}

async function start(): Promise<void> {
  emulator = await startKmsEmulator({ dataDir, port: 0, now: () => Date.now() + clockSkewMs });
  kms = clientFor(emulator.url);
}

async function stop(): Promise<void> {
  kms.destroy();
  await emulator.close();
}

async function createKey(keySpec: KeySpec, description = `test ${keySpec}`) {
  const out = await kms.send(
    new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY', Description: description }),
  );
  const metadata = out.KeyMetadata;
  if (!metadata?.KeyId || !metadata.Arn) throw new Error('CreateKey returned no key');
  return { keyId: metadata.KeyId, arn: metadata.Arn, metadata };
}

async function publicKeyOf(keyId: string): Promise<{ der: Uint8Array; key: KeyObject }> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!out.PublicKey) throw new Error('GetPublicKey returned no key');
  return {
    der: out.PublicKey,
    key: createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }),
  };
}

async function kmsSign(
  keyId: string,
  algorithm: SigningAlgorithmSpec,
  messageType: 'RAW' | 'DIGEST',
  data: Uint8Array,
): Promise<Uint8Array> {
  const out = await kms.send(
    new SignCommand({ KeyId: keyId, Message: data, MessageType: messageType, SigningAlgorithm: algorithm }),
  );
  if (!out.Signature) throw new Error('Sign returned no signature');
  return out.Signature;
}

function derToPem(spki: Uint8Array): string {
  const lines =
    Buffer.from(spki)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** `openssl dgst -<hash> -verify pub.pem -signature sig data`: true only when OpenSSL says "Verified OK". */
async function opensslVerifies(
  spki: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  extraArgs: string[] = [],
): Promise<boolean> {
  const dir = await mkdtemp(join(scratchDir, 'openssl-'));
  const [pub, sig, dat] = ['pub.pem', 'sig', 'data'].map((name) => join(dir, name)) as [
    string,
    string,
    string,
  ];
  await writeFile(pub, derToPem(spki));
  await writeFile(sig, signature);
  await writeFile(dat, data);
  try {
    const { stdout } = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      pub,
      '-signature',
      sig,
      ...extraArgs,
      dat,
    ]);
    return stdout.includes('Verified OK');
  } catch (error) {
    if (
      error instanceof Error &&
      'stdout' in error &&
      String(error.stdout).includes('Verification failure')
    ) {
      return false;
    }
    throw error;
  }
}

beforeAll(async () => {
  scratchDir = await mkdtemp(join(tmpdir(), 'docflow-kms-test-'));
  dataDir = join(scratchDir, 'data');
  await start();
});

afterAll(async () => {
  await stop();
  await rm(scratchDir, { recursive: true, force: true });
});

afterEach(() => {
  clockSkewMs = 0;
  vi.unstubAllEnvs();
});

describe('KMS emulator through @aws-sdk/client-kms', () => {
  it('creates RSA_2048 and ECC_NIST_P256 signing keys with KMS-shaped metadata', async () => {
    const rsa = await createKey('RSA_2048');
    expect(rsa.metadata).toMatchObject({
      KeySpec: 'RSA_2048',
      CustomerMasterKeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      Enabled: true,
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      Description: 'test RSA_2048',
    });
    expect(rsa.metadata.SigningAlgorithms).toContain('RSASSA_PKCS1_V1_5_SHA_256');
    expect(rsa.arn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${rsa.keyId}`);
    // Epoch-seconds timestamps on the wire become Dates in the SDK.
    expect(rsa.metadata.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs((rsa.metadata.CreationDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    const ec = await createKey('ECC_NIST_P256');
    expect(ec.metadata.SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: ec.arn }));
    expect(described.KeyMetadata?.KeyId).toBe(ec.keyId);

    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: ec.keyId }));
    expect(pub).toMatchObject({ KeyId: ec.arn, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(
      createPublicKey({ key: Buffer.from(pub.PublicKey ?? []), format: 'der', type: 'spki' })
        .asymmetricKeyDetails,
    ).toMatchObject({ namedCurve: 'prime256v1' });
  });

  it('signs RAW and DIGEST with RSA PKCS#1 v1.5 and ECDSA; node:crypto and openssl verify', async () => {
    for (const [spec, algorithm] of [
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256'],
    ] as const) {
      const { keyId } = await createKey(spec);
      const { der, key } = await publicKeyOf(keyId);
      for (const messageType of ['RAW', 'DIGEST'] as const) {
        const signed = messageType === 'RAW' ? message : sha256(message);
        const signature = await kmsSign(keyId, algorithm, messageType, signed);
        if (spec === 'ECC_NIST_P256') expect(signature[0]).toBe(0x30); // DER Ecdsa-Sig-Value, like KMS
        expect(verify('sha256', message, key, signature), `${spec} ${messageType}`).toBe(true);
        expect(await opensslVerifies(der, message, signature), `${spec} ${messageType}`).toBe(true);
        expect(await opensslVerifies(der, Buffer.from('một văn bản khác'), signature)).toBe(false);
      }
    }
  });

  it('signs with PSS and SHA-384/512 variants, RAW and DIGEST', async () => {
    const { keyId } = await createKey('RSA_2048');
    const { der, key } = await publicKeyOf(keyId);
    const variants = [
      ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384', constants.RSA_PKCS1_PADDING],
      ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512', constants.RSA_PKCS1_PADDING],
      ['RSASSA_PSS_SHA_256', 'sha256', constants.RSA_PKCS1_PSS_PADDING],
      ['RSASSA_PSS_SHA_384', 'sha384', constants.RSA_PKCS1_PSS_PADDING],
      ['RSASSA_PSS_SHA_512', 'sha512', constants.RSA_PKCS1_PSS_PADDING],
    ] as const;
    for (const [algorithm, hash, padding] of variants) {
      const digest = createHash(hash).update(message).digest();
      // KMS PSS uses a salt as long as the hash; verifying with exactly that length checks it.
      const saltLength = digest.length;
      for (const [messageType, data] of [
        ['RAW', message],
        ['DIGEST', digest],
      ] as const) {
        const signature = await kmsSign(keyId, algorithm, messageType, data);
        expect(
          verify(hash, message, { key, padding, saltLength }, signature),
          `${algorithm} ${messageType}`,
        ).toBe(true);
        await expect(
          kms.send(
            new VerifyCommand({
              KeyId: keyId,
              Message: data,
              MessageType: messageType,
              Signature: signature,
              SigningAlgorithm: algorithm,
            }),
          ),
        ).resolves.toMatchObject({ SignatureValid: true });
        const otherData =
          messageType === 'RAW' ? Buffer.from('khác') : createHash(hash).update('khác').digest();
        await expect(
          kms.send(
            new VerifyCommand({
              KeyId: keyId,
              Message: otherData,
              MessageType: messageType,
              Signature: signature,
              SigningAlgorithm: algorithm,
            }),
          ),
        ).rejects.toBeInstanceOf(KMSInvalidSignatureException);
      }
    }
    const pssDigestSignature = await kmsSign(keyId, 'RSASSA_PSS_SHA_256', 'DIGEST', sha256(message));
    const pssOptions = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'];
    expect(await opensslVerifies(der, message, pssDigestSignature, pssOptions)).toBe(true);
  });

  it('signs with ECC_NIST_P384 (ECDSA_SHA_384 only)', async () => {
    const { keyId } = await createKey('ECC_NIST_P384');
    const { key } = await publicKeyOf(keyId);
    const digest = createHash('sha384').update(message).digest();
    const signature = await kmsSign(keyId, 'ECDSA_SHA_384', 'DIGEST', digest);
    expect(verify('sha384', message, key, signature)).toBe(true);
    await expect(kmsSign(keyId, 'ECDSA_SHA_256', 'RAW', message)).rejects.toBeInstanceOf(
      InvalidKeyUsageException,
    );
  });

  it('KMS Verify accepts a good signature and raises KMSInvalidSignatureException on a bad one', async () => {
    for (const [spec, algorithm] of [
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256'],
    ] as const) {
      const { keyId, arn } = await createKey(spec);
      const digest = sha256(message);
      const signature = await kmsSign(keyId, algorithm, 'DIGEST', digest);
      const ok = await kms.send(
        new VerifyCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          Signature: signature,
          SigningAlgorithm: algorithm,
        }),
      );
      expect(ok).toEqual(
        expect.objectContaining({ KeyId: arn, SignatureValid: true, SigningAlgorithm: algorithm }),
      );
      // The same signature is also good over the RAW message it digests.
      await expect(
        kms.send(
          new VerifyCommand({
            KeyId: keyId,
            Message: message,
            Signature: signature,
            SigningAlgorithm: algorithm,
          }),
        ),
      ).resolves.toMatchObject({ SignatureValid: true });

      const tampered = Buffer.from(signature);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
      const otherDigest = sha256(Buffer.from('khác'));
      for (const [data, sig] of [
        [digest, tampered],
        [otherDigest, signature],
      ] as const) {
        await expect(
          kms.send(
            new VerifyCommand({
              KeyId: keyId,
              Message: data,
              MessageType: 'DIGEST',
              Signature: sig,
              SigningAlgorithm: algorithm,
            }),
          ),
        ).rejects.toBeInstanceOf(KMSInvalidSignatureException);
      }
    }
  });

  it('raises NotFoundException for unknown keys and aliases', async () => {
    const missing = '11111111-2222-3333-4444-555555555555';
    await expect(kms.send(new DescribeKeyCommand({ KeyId: missing }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(kmsSign(missing, 'ECDSA_SHA_256', 'RAW', message)).rejects.toThrow(/does not exist/);
    await expect(kms.send(new GetPublicKeyCommand({ KeyId: 'alias/khong-ton-tai' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key-id' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    // A real key id under another account's ARN is a different (absent) key.
    const { keyId } = await createKey('ECC_NIST_P256');
    await expect(
      kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-east-1:123456789012:key/${keyId}` })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('resolves aliases by name and ARN, lists them, and moves them between keys', async () => {
    const first = await createKey('ECC_NIST_P256');
    const second = await createKey('ECC_NIST_P256');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/ubnd-ha-noi', TargetKeyId: first.keyId }));
    await expect(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/ubnd-ha-noi', TargetKeyId: second.keyId })),
    ).rejects.toBeInstanceOf(AlreadyExistsException);
    await expect(
      kms.send(new CreateAliasCommand({ AliasName: 'ubnd-ha-noi', TargetKeyId: second.keyId })),
    ).rejects.toMatchObject({ name: 'ValidationException' });

    const aliasArn = 'arn:aws:kms:us-east-1:000000000000:alias/ubnd-ha-noi';
    for (const reference of ['alias/ubnd-ha-noi', aliasArn]) {
      const described = await kms.send(new DescribeKeyCommand({ KeyId: reference }));
      expect(described.KeyMetadata?.KeyId).toBe(first.keyId);
      const signed = await kms.send(
        new SignCommand({ KeyId: reference, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      expect(signed.KeyId).toBe(first.arn);
    }

    const listed = await kms.send(new ListAliasesCommand({ KeyId: first.keyId }));
    expect(listed.Aliases).toEqual([
      expect.objectContaining({
        AliasName: 'alias/ubnd-ha-noi',
        AliasArn: aliasArn,
        TargetKeyId: first.keyId,
      }),
    ]);
    expect((await kms.send(new ListAliasesCommand({ KeyId: second.arn }))).Aliases).toEqual([]);

    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/ubnd-ha-noi', TargetKeyId: second.arn }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/ubnd-ha-noi' }))).KeyMetadata?.KeyId).toBe(
      second.keyId,
    );
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/ubnd-ha-noi' }));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/ubnd-ha-noi' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it('pages through ListKeys and ListAliases', async () => {
    const { keyId } = await createKey('ECC_NIST_P256');
    for (const name of ['alias/page-a', 'alias/page-b', 'alias/page-c']) {
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId }));
    }
    // The SDK's own paginators follow Truncated/NextMarker, as they would against KMS.
    const seen: string[] = [];
    for await (const page of paginateListAliases({ client: kms, pageSize: 2 }, { KeyId: keyId })) {
      expect(page.Aliases?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.Aliases ?? []).map((alias) => alias.AliasName ?? ''));
    }
    expect(seen).toEqual(['alias/page-a', 'alias/page-b', 'alias/page-c']);

    const keyIds: string[] = [];
    let pages = 0;
    for await (const page of paginateListKeys({ client: kms, pageSize: 1 }, {})) {
      pages++;
      keyIds.push(...(page.Keys ?? []).map((key) => key.KeyId ?? ''));
    }
    expect(pages).toBeGreaterThan(1);
    expect(keyIds).toContain(keyId);
    expect(new Set(keyIds).size).toBe(keyIds.length);
  });

  it('refuses a disabled key with DisabledException until it is enabled again', async () => {
    const { keyId, arn } = await createKey('RSA_2048');
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({
      KeyState: 'Disabled',
      Enabled: false,
    });
    // Real KMS answers DisabledException (not KMSInvalidStateException) for a disabled key.
    await expect(kmsSign(keyId, 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW', message)).rejects.toSatisfy(
      (error) => error instanceof DisabledException && error.message === `${arn} is disabled.`,
    );
    await expect(kms.send(new GetPublicKeyCommand({ KeyId: keyId }))).rejects.toBeInstanceOf(
      DisabledException,
    );

    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    const signature = await kmsSign(keyId, 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW', message);
    expect(verify('sha256', message, (await publicKeyOf(keyId)).key, signature)).toBe(true);
  });

  it('schedules and cancels key deletion; a pending-deletion key is unusable', async () => {
    const { keyId, arn } = await createKey('ECC_NIST_P256');
    await expect(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 5 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("'pendingWindowInDays'"),
    });

    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({ KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(Math.abs((scheduled.DeletionDate?.getTime() ?? 0) - (Date.now() + 7 * DAY_MS))).toBeLessThan(
      60_000,
    );
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      DeletionDate: scheduled.DeletionDate,
    });
    await expect(kmsSign(keyId, 'ECDSA_SHA_256', 'RAW', message)).rejects.toBeInstanceOf(
      KMSInvalidStateException,
    );
    await expect(kms.send(new EnableKeyCommand({ KeyId: keyId }))).rejects.toBeInstanceOf(
      KMSInvalidStateException,
    );

    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    // As in KMS, a key whose deletion is cancelled comes back disabled.
    const afterCancel = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(afterCancel).toMatchObject({ KeyState: 'Disabled' });
    expect(afterCancel?.DeletionDate).toBeUndefined();
    await expect(kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }))).rejects.toBeInstanceOf(
      KMSInvalidStateException,
    );
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    await expect(kmsSign(keyId, 'ECDSA_SHA_256', 'RAW', message)).resolves.toBeInstanceOf(Uint8Array);
  });

  it('deletes a key and its aliases once the waiting period has passed', async () => {
    const { keyId } = await createKey('ECC_NIST_P256');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/sap-xoa', TargetKeyId: keyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    clockSkewMs = 6 * DAY_MS;
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe(
      'PendingDeletion',
    );
    clockSkewMs = 7 * DAY_MS + 60_000;
    await expect(kms.send(new DescribeKeyCommand({ KeyId: keyId }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/sap-xoa' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    expect(await readdir(join(dataDir, 'kms', 'keys'))).not.toContain(`${keyId}.json`);
  });

  it('reports bad requests as KMS does', async () => {
    const { keyId } = await createKey('RSA_2048');
    await expect(
      kmsSign(keyId, 'RSASSA_PKCS1_V1_5_SHA_256', 'DIGEST', Buffer.alloc(20)),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_256.',
    });
    await expect(kmsSign(keyId, 'ECDSA_SHA_256', 'RAW', message)).rejects.toBeInstanceOf(
      InvalidKeyUsageException,
    );
    await expect(
      kmsSign(keyId, 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW', Buffer.alloc(4097)),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(
        /at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096/,
      ),
    });
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })),
    ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
  });

  it('answers the wire protocol directly: missing fields, unsigned requests, unknown operations', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(emulator.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
        body,
      });
    const signed = {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20250101/us-east-1/kms/aws4_request',
    };

    const unsigned = await post({ 'x-amz-target': 'TrentService.ListKeys' }, '{}');
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });

    const missingKeyId = await post({ ...signed, 'x-amz-target': 'TrentService.DescribeKey' }, '{}');
    expect(missingKeyId.status).toBe(400);
    expect(missingKeyId.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await missingKeyId.json()).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    });

    const badEnum = await post(
      { ...signed, 'x-amz-target': 'TrentService.Sign' },
      JSON.stringify({ KeyId: 'alias/x', Message: 'aGk=', SigningAlgorithm: 'MD5' }),
    );
    expect(await badEnum.json()).toMatchObject({
      __type: 'ValidationException',
      message: expect.stringContaining(
        "Value 'MD5' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [",
      ),
    });

    for (const target of [
      'TrentService.ReEncrypt',
      'TrentService.constructor',
      'DynamoDB_20120810.ListTables',
    ]) {
      const unknown = await post({ ...signed, 'x-amz-target': target }, '{}');
      expect(await unknown.json(), target).toMatchObject({ __type: 'UnsupportedOperationException' });
    }

    const notJson = await post({ ...signed, 'x-amz-target': 'TrentService.ListKeys' }, '{');
    expect(await notJson.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('tags keys at creation and later', async () => {
    const out = await kms.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Tags: [{ TagKey: 'don-vi', TagValue: 'UBND phường Ba Đình' }],
      }),
    );
    const keyId = out.KeyMetadata?.KeyId ?? '';
    await kms.send(
      new TagResourceCommand({
        KeyId: keyId,
        Tags: [
          { TagKey: 'don-vi', TagValue: 'UBND phường Hoàn Kiếm' },
          { TagKey: 'vai-tro', TagValue: 'chu-tich' },
        ],
      }),
    );
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    expect(tags.Tags).toEqual([
      { TagKey: 'don-vi', TagValue: 'UBND phường Hoàn Kiếm' },
      { TagKey: 'vai-tro', TagValue: 'chu-tich' },
    ]);
  });

  it('creates RSA_3072 keys that sign and verify', async () => {
    const { keyId } = await createKey('RSA_3072');
    const { der, key } = await publicKeyOf(keyId);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(3072);
    const signature = await kmsSign(keyId, 'RSASSA_PKCS1_V1_5_SHA_256', 'DIGEST', sha256(message));
    expect(signature.length).toBe(384);
    expect(verify('sha256', message, key, signature)).toBe(true);
    expect(await opensslVerifies(der, message, signature)).toBe(true);
  });

  it('keeps keys private on disk: directories 0700, files 0600, no temp files left', async () => {
    const { keyId } = await createKey('ECC_NIST_P256');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/quyen-file', TargetKeyId: keyId }));
    const kmsDir = join(dataDir, 'kms');
    expect((await readdir(kmsDir)).sort()).toEqual(['aliases.json', 'keys']);
    expect((await stat(kmsDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(kmsDir, 'keys'))).mode & 0o777).toBe(0o700);
    const keyFiles = await readdir(join(kmsDir, 'keys'));
    expect(keyFiles).toContain(`${keyId}.json`);
    for (const file of keyFiles) {
      expect(file).toMatch(/^[0-9a-f-]{36}\.json$/);
      expect((await stat(join(kmsDir, 'keys', file))).mode & 0o777, file).toBe(0o600);
    }
    expect((await stat(join(kmsDir, 'aliases.json'))).mode & 0o777).toBe(0o600);
  });

  it('keeps keys, aliases and public keys across a restart on the same dataDir', async () => {
    const { keyId, arn } = await createKey('RSA_2048', 'survives restarts');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/ben-vung', TargetKeyId: keyId }));
    const before = await publicKeyOf(keyId);
    const keysBefore = (await kms.send(new ListKeysCommand({}))).Keys?.map((key) => key.KeyId).sort();

    await stop();
    await start();

    const keysAfter = (await kms.send(new ListKeysCommand({}))).Keys?.map((key) => key.KeyId).sort();
    expect(keysAfter).toEqual(keysBefore);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/ben-vung' }));
    expect(described.KeyMetadata).toMatchObject({
      Arn: arn,
      Description: 'survives restarts',
      KeyState: 'Enabled',
    });
    const after = await publicKeyOf('alias/ben-vung');
    expect(Buffer.from(after.der).equals(Buffer.from(before.der))).toBe(true);
    const signature = await kmsSign('alias/ben-vung', 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW', message);
    expect(verify('sha256', message, before.key, signature)).toBe(true);
  });
});

describe('KmsDigestSigner', () => {
  /** The signer sends through a LazyClient, as in the functions; here it wraps the test's client. */
  const signerKms = () => new LazyClient(async () => kms);

  it('signs digests that node:crypto verifies, for RSA and ECDSA keys named by alias', async () => {
    for (const spec of ['RSA_2048', 'ECC_NIST_P256'] as const) {
      const { keyId, arn } = await createKey(spec);
      const alias = `alias/signer-${spec.toLowerCase().replaceAll('_', '-')}`;
      await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));

      const signer = await KmsDigestSigner.forKey(signerKms(), alias);
      expect(signer.keyId).toBe(arn);
      expect(signer.algorithm).toBe(spec === 'RSA_2048' ? 'RSASSA_PKCS1_V1_5_SHA_256' : 'ECDSA_SHA_256');
      const spki = await signer.publicKeySpki();
      expect(Buffer.from(spki).equals(Buffer.from((await publicKeyOf(keyId)).der))).toBe(true);

      const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      for (let i = 0; i < 4; i++) {
        const document = Buffer.from(`${message.toString()} — bản ${i}`);
        const signature = await signer.signDigest(sha256(document));
        expect(verify('sha256', document, publicKey, signature), `${spec} #${i}`).toBe(true);
        expect(verify('sha256', message, publicKey, signature)).toBe(false);
      }
      await expect(signer.signDigest(Buffer.alloc(31))).rejects.toThrow(RangeError);
    }
  });

  it('fetches and caches the public key when constructed from a key ARN', async () => {
    const { keyId, arn } = await createKey('ECC_NIST_P256');
    const signer = new KmsDigestSigner(signerKms(), arn, 'ECDSA_SHA_256');
    const first = await signer.publicKeySpki();
    // Once cached, the key is served even while KMS would refuse GetPublicKey.
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    expect(await signer.publicKeySpki()).toBe(first);
    await expect(signer.signDigest(sha256(message))).rejects.toBeInstanceOf(DisabledException);
    const uncached = new KmsDigestSigner(signerKms(), arn, 'ECDSA_SHA_256');
    await expect(uncached.publicKeySpki()).rejects.toBeInstanceOf(DisabledException);
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    // The failed fetch was not cached.
    expect(Buffer.from(await uncached.publicKeySpki()).equals(Buffer.from(first))).toBe(true);
  });

  it('kmsClientFromEnv reaches the emulator through AWS_ENDPOINT_URL_KMS', async () => {
    const { arn } = await createKey('ECC_NIST_P256');
    vi.stubEnv('AWS_ENDPOINT_URL_KMS', emulator.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOCAL');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local-secret');
    const client = kmsClientFromEnv();
    try {
      const signer = await KmsDigestSigner.forKey(client, arn);
      const signature = await signer.signDigest(sha256(message));
      const publicKey = createPublicKey({
        key: Buffer.from(await signer.publicKeySpki()),
        format: 'der',
        type: 'spki',
      });
      expect(verify('sha256', message, publicKey, signature)).toBe(true);
    } finally {
      (await client.client()).destroy();
    }
  });
});
