import { createHash } from 'node:crypto';
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Organisation, Person } from '../core/domain/directory';
import { pemEncode } from '../core/pki/asn1';
import { parseCertificate } from '../core/pki/certificate';
import { CertificateAuthority } from '../core/pki/certificate-authority';
import type { DistinguishedName } from '../core/pki/names';
import { type RevocationEntry, type RevocationReason, RevocationRegistry } from '../core/pki/revocation';
import { TimestampAuthority } from '../core/pki/tsa';
import { documentClient, kmsClient, s3Client } from './aws-clients';
import { KmsDigestSigner } from './kms-signer';
import { buckets, resourceName, signingKeySpec, tables } from './resources';

/*
 * The city's PKI with every key in KMS: the root CA, the time-stamping authority, one seal per organisation
 * and one signing key per official. Certificates, revocations and the CRL live in the directory table; the
 * root and the CRL are also published to the PKI bucket. Keys and certificates are created on first use,
 * so a new ward or a newly appointed official can sign at once.
 */

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const CRL_LIFETIME_MS = 7 * 24 * 3600 * 1000;

const stage = () => process.env.DOCFLOW_STAGE ?? 'dev';
const alias = (name: string) => `alias/docflow/${stage()}/${name}`;
const table = () => resourceName(tables.directory);
const crlUrl = () => process.env.DOCFLOW_CRL_URL ?? 'http://127.0.0.1/api/pki/crl';

const CITY: DistinguishedName = {
  country: 'VN',
  locality: 'Hà Nội',
  organization: 'Ủy ban nhân dân thành phố Hà Nội',
} as DistinguishedName;

/** A KMS key for signing, found by alias or created (and aliased) if missing; safe against races. */
async function signingKey(name: string, description: string): Promise<KmsDigestSigner> {
  try {
    return await KmsDigestSigner.forKey(kmsClient(), alias(name));
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
  const created = await kmsClient().send(
    new CreateKeyCommand({
      // The deployment's choice (RSA_2048 by default); the stack only allows keys of that spec to be created.
      KeySpec: signingKeySpec(),
      KeyUsage: 'SIGN_VERIFY',
      Description: description,
      Tags: [
        { TagKey: 'docflow:stage', TagValue: stage() },
        { TagKey: 'docflow:purpose', TagValue: name.split('/')[0] ?? name },
      ],
    }),
  );
  try {
    await kmsClient().send(
      new CreateAliasCommand({ AliasName: alias(name), TargetKeyId: created.KeyMetadata?.KeyId }),
    );
  } catch (error) {
    // Another request created it first: use theirs (ours stays unused and unaliased).
    if (!(error instanceof AlreadyExistsException)) throw error;
  }
  return KmsDigestSigner.forKey(kmsClient(), alias(name));
}

interface StoredCredential {
  readonly certificate: Uint8Array;
  readonly keyId: string;
  readonly serial: string;
  /** What the certificate says about its holder; a change (new position) means a new certificate. */
  readonly subjectKey: string;
}

async function readCredential(name: string): Promise<StoredCredential | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: 'PKI', sk: name }, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    certificate: Buffer.from(String(Item.certificate), 'base64'),
    keyId: String(Item.keyId),
    serial: String(Item.serial),
    subjectKey: String(Item.subjectKey),
  };
}

async function saveCredential(
  name: string,
  credential: StoredCredential,
  previousSerial?: string,
): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: 'PKI',
        sk: name,
        certificate: Buffer.from(credential.certificate).toString('base64'),
        keyId: credential.keyId,
        serial: credential.serial,
        subjectKey: credential.subjectKey,
      },
      // Two first uses at once must not both issue: the loser reads the winner's certificate.
      ConditionExpression: previousSerial ? 'serial = :previous' : 'attribute_not_exists(pk)',
      ExpressionAttributeValues: previousSerial ? { ':previous': previousSerial } : undefined,
    }),
  );
}

export interface Credential {
  readonly signer: KmsDigestSigner;
  /** Leaf first, then the root. */
  readonly certificateChain: readonly Uint8Array[];
}

export interface CityPki {
  readonly ca: CertificateAuthority;
  readonly tsa: TimestampAuthority;
  readonly root: Uint8Array;
}

let cached: Promise<CityPki> | undefined;

/** Creates the root CA and the TSA on first start (idempotent), then loads them. */
export function cityPki(): Promise<CityPki> {
  cached ??= provision().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function provision(): Promise<CityPki> {
  const rootSigner = await signingKey('ca-root', 'docflow city root CA');
  let root = await readCredential('ca-root');
  if (!root) {
    const now = new Date();
    const ca = await CertificateAuthority.createRoot({
      signer: rootSigner,
      subject: { ...CITY, commonName: 'docflow Hà Nội Root CA' } as DistinguishedName,
      validity: {
        notBefore: new Date(now.getTime() - 3600_000),
        notAfter: new Date(now.getTime() + 20 * YEAR_MS),
      },
    });
    const info = parseCertificate(ca.certificate);
    await saveCredential('ca-root', {
      certificate: ca.certificate,
      keyId: rootSigner.keyId,
      serial: info.serial,
      subjectKey: 'root',
    }).catch(ignoreLostRace);
    root = await readCredential('ca-root');
    if (!root) throw new Error('the root CA certificate was not stored');
    await publish('root.pem', pemEncode('CERTIFICATE', root.certificate), 'application/x-pem-file');
  }
  const ca = new CertificateAuthority(rootSigner, root.certificate, [], crlUrl());
  const tsaSigner = await signingKey('tsa', 'docflow city time-stamping authority');
  const tsaCredential = await issueIfNeeded(
    'tsa',
    tsaSigner,
    'tsa',
    {
      ...CITY,
      commonName: 'docflow Hà Nội Time-Stamping Authority',
    } as DistinguishedName,
    ca,
    'tsa',
    10,
  );
  const tsa = new TimestampAuthority({
    signer: tsaSigner,
    certificateChain: [tsaCredential, root.certificate],
  });
  return { ca, tsa, root: root.certificate };
}

function ignoreLostRace(error: unknown): void {
  if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
}

async function issueIfNeeded(
  name: string,
  signer: KmsDigestSigner,
  profile: 'official' | 'seal' | 'tsa',
  subject: DistinguishedName,
  ca: CertificateAuthority,
  subjectKey: string,
  years = 2,
): Promise<Uint8Array> {
  const existing = await readCredential(name);
  if (existing && existing.subjectKey === subjectKey && existing.keyId === signer.keyId)
    return existing.certificate;
  const now = new Date();
  const notAfter = new Date(Math.min(now.getTime() + years * YEAR_MS, ca.info.notAfter.getTime()));
  const certificate = await ca.issue({
    profile,
    subject,
    subjectPublicKey: await signer.publicKeySpki(),
    validity: { notBefore: new Date(now.getTime() - 60_000), notAfter },
  });
  const serial = parseCertificate(certificate).serial;
  try {
    await saveCredential(name, { certificate, keyId: signer.keyId, serial, subjectKey }, existing?.serial);
  } catch (error) {
    ignoreLostRace(error);
    const winner = await readCredential(name);
    if (!winner) throw error;
    return winner.certificate;
  }
  // The holder changed position (or the key changed): the old certificate no longer tells the truth.
  if (existing) await revoke(existing.serial, now, 'superseded');
  return certificate;
}

/** The official's own key and a certificate naming their current position. */
export async function officialCredential(person: Person, org: Organisation): Promise<Credential> {
  const { ca, root } = await cityPki();
  const signer = await signingKey(`official/${person.id}`, `docflow signing key of ${person.id}`);
  const subject = {
    commonName: person.name,
    title: person.position.title,
    organization: org.name,
    locality: 'Hà Nội',
    country: 'VN',
  } as DistinguishedName;
  const certificate = await issueIfNeeded(
    `official/${person.id}`,
    signer,
    'official',
    subject,
    ca,
    `${org.id}|${person.position.title}|${person.name}`,
  );
  return { signer, certificateChain: [certificate, root] };
}

/** The organisation's seal key and certificate (used only by its clerks). */
export async function sealCredential(org: Organisation): Promise<Credential> {
  const { ca, root } = await cityPki();
  const signer = await signingKey(`seal/${org.id}`, `docflow seal of ${org.id}`);
  const subject = {
    commonName: org.name,
    organization: org.name,
    locality: 'Hà Nội',
    country: 'VN',
  } as DistinguishedName;
  const certificate = await issueIfNeeded(
    `seal/${org.id}`,
    signer,
    'seal',
    subject,
    ca,
    `${org.id}|${org.name}`,
  );
  return { signer, certificateChain: [certificate, root] };
}

// --- Revocation ------------------------------------------------------------------------------------------------

export async function revocations(): Promise<RevocationRegistry> {
  const { Items } = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PKI-REVOKED' },
      ConsistentRead: true,
    }),
  );
  return RevocationRegistry.of(
    (Items ?? []).map(
      (item): RevocationEntry => ({
        serial: String(item.sk),
        revokedAt: new Date(String(item.revokedAt)),
        reason: item.reason as RevocationReason,
      }),
    ),
  );
}

export async function revoke(serial: string, at: Date, reason: RevocationReason): Promise<void> {
  await documentClient()
    .send(
      new PutCommand({
        TableName: table(),
        Item: { pk: 'PKI-REVOKED', sk: serial.toLowerCase(), revokedAt: at.toISOString(), reason },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch(ignoreLostRace);
  crlCache = undefined;
}

/** Revokes the official's current certificate (e.g. they left the position it names); returns its serial. */
export async function revokeOfficial(
  personId: string,
  at: Date,
  reason: RevocationReason,
): Promise<string | undefined> {
  const credential = await readCredential(`official/${personId}`);
  if (!credential) return undefined;
  await revoke(credential.serial, at, reason);
  return credential.serial;
}

let crlCache: { der: Uint8Array; at: number } | undefined;

/**
 * A CRL as of now, signed by the root's KMS key. Kept for a minute per container: revocation takes effect
 * on signing at once (signing reads the registry), on published lists within that minute.
 */
export async function currentCrl(): Promise<Uint8Array> {
  if (crlCache && Date.now() - crlCache.at < 60_000) return crlCache.der;
  const { ca } = await cityPki();
  const registry = await revocations();
  const now = new Date();
  const der = await ca.createCrl({
    registry,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS),
    crlNumber: BigInt(now.getTime()),
  });
  crlCache = { der, at: Date.now() };
  await publish('crl/root.crl', der, 'application/pkix-crl');
  return der;
}

/**
 * The roots this deployment trusts, as PEM: the city root, then any external roots (e.g. the Government
 * Cipher Committee's official-duty root) given in DOCFLOW_TRUSTED_ROOTS_PEM.
 */
export async function trustAnchorsPem(): Promise<string> {
  const { root } = await cityPki();
  return `${pemEncode('CERTIFICATE', root)}${process.env.DOCFLOW_TRUSTED_ROOTS_PEM ?? ''}`;
}

export const certificateSha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

async function publish(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: resourceName(buckets.pki),
      Key: key,
      Body: typeof body === 'string' ? body : Buffer.from(body),
      ContentType: contentType,
    }),
  );
}
