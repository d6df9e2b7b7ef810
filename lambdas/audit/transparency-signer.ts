import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, kmsClient } from '../adapters/aws-clients';
import { KmsDigestSigner } from '../adapters/kms-signer';
import { cityPki } from '../adapters/pki-store';
import { resourceName, signingKeySpec, tables } from '../adapters/resources';
import type { DistinguishedName } from '../core/pki/names';

/*
 * The transparency log's signing key: a KMS key under the alias `alias/docflow/<stage>/transparency`
 * (created on first use, like the PKI's keys), certified once by the city root so that a signed tree head
 * can be checked offline with nothing but the root certificate. The certificate uses the TSA profile
 * (timeStamping, critical): a tree head is a signed statement that the log held these events at a time,
 * and the key can then sign nothing a PDF validator would take for a person's or a seal's signature.
 */

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const stage = () => process.env.DOCFLOW_STAGE ?? 'dev';
export const TRANSPARENCY_KEY_ALIAS = () => `alias/docflow/${stage()}/transparency`;
const CERT_KEY = { pk: 'TLOG', sk: 'CERTIFICATE' };

export interface LogSigner {
  readonly signer: KmsDigestSigner;
  /** The log's certificate, then the root. */
  readonly chain: readonly Uint8Array[];
}

async function transparencyKey(): Promise<KmsDigestSigner> {
  try {
    return await KmsDigestSigner.forKey(kmsClient(), TRANSPARENCY_KEY_ALIAS());
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
  const created = await kmsClient().send(
    new CreateKeyCommand({
      // The deployment's choice (RSA_2048 by default); the stack only allows keys of that spec to be created.
      KeySpec: signingKeySpec(),
      KeyUsage: 'SIGN_VERIFY',
      Description: 'docflow transparency log (signed tree heads, evidence manifests)',
      Tags: [
        { TagKey: 'docflow:stage', TagValue: stage() },
        { TagKey: 'docflow:purpose', TagValue: 'transparency' },
      ],
    }),
  );
  try {
    await kmsClient().send(
      new CreateAliasCommand({
        AliasName: TRANSPARENCY_KEY_ALIAS(),
        TargetKeyId: created.KeyMetadata?.KeyId,
      }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExistsException)) throw error;
  }
  return KmsDigestSigner.forKey(kmsClient(), TRANSPARENCY_KEY_ALIAS());
}

let cached: Promise<LogSigner> | undefined;

export function logSigner(): Promise<LogSigner> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function load(): Promise<LogSigner> {
  const signer = await transparencyKey();
  const { ca, root } = await cityPki();
  const table = resourceName(tables.views);
  const read = async () =>
    (await documentClient().send(new GetCommand({ TableName: table, Key: CERT_KEY, ConsistentRead: true })))
      .Item;
  let item = await read();
  if (!item || item.keyId !== signer.keyId) {
    const now = new Date();
    const certificate = await ca.issue({
      profile: 'tsa',
      subject: {
        commonName: 'docflow Hà Nội Transparency Log',
        organization: 'Ủy ban nhân dân thành phố Hà Nội',
        locality: 'Hà Nội',
        country: 'VN',
      } as DistinguishedName,
      subjectPublicKey: await signer.publicKeySpki(),
      validity: {
        notBefore: new Date(now.getTime() - 60_000),
        notAfter: new Date(Math.min(now.getTime() + 10 * YEAR_MS, ca.info.notAfter.getTime())),
      },
    });
    await documentClient()
      .send(
        new PutCommand({
          TableName: table,
          Item: {
            ...CERT_KEY,
            keyId: signer.keyId,
            certificate: Buffer.from(certificate).toString('base64'),
          },
          ConditionExpression: item ? 'keyId = :old' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: item ? { ':old': item.keyId } : undefined,
        }),
      )
      .catch((error: unknown) => {
        // Another container certified it first: use theirs.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      });
    item = await read();
  }
  if (!item) throw new Error('the transparency log certificate was not stored');
  return { signer, chain: [new Uint8Array(Buffer.from(String(item.certificate), 'base64')), root] };
}
