import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyHolder } from '../core/domain/key-holder';
import { DomainError } from '../core/errors';
import { messageList, messageText } from '../core/i18n/messages';
import { problemPair } from '../core/i18n/problems';
import { pemEncode } from '../core/pki/asn1';
import { parseCertificate } from '../core/pki/certificate';
import { CertificateAuthority } from '../core/pki/certificate-authority';
import { importCertificate } from '../core/pki/csr';
import type { DistinguishedName } from '../core/pki/names';
import { TrustStore, validatePath } from '../core/pki/trust';
import { KEY_TAGS, runTimeKeyPolicy, runTimeKeyPrincipals } from '../deployment/key-policy';
import { buckets, resourceName, signingKeySpec, tables } from '../deployment/resources';
import { documentClient, kmsClient, s3Client } from './aws-clients';
import {
  alias,
  CITY,
  CRL_ITEM,
  credentialName,
  isCurrent,
  officialSubject,
  readCredential,
  revocations,
  revoke,
  type StoredCredential,
  sealSubject,
  stage,
  subjectKeyOf,
} from './city-pki';
import { findPerson, loadDirectory } from './directory-store';
import { KmsDigestSigner } from './kms-signer';

/*
 * The certificate authority's side of the city PKI, run only by the certificate-authority function: it
 * signs with the root CA key, creates seal and official keys (with a key policy that lets the signing
 * function sign with them and nobody administer them into use), and writes certificates and CRLs. Every
 * other function reads what it wrote (lambdas/adapters/city-pki.ts) and invokes it when something is
 * missing or out of date.
 */

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
export const CRL_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const crlUrl = () => process.env.DOCFLOW_CRL_URL ?? 'http://127.0.0.1/api/pki/crl';
const table = () => resourceName(tables.directory);

/**
 * A KMS signing key, found by alias or created if missing; safe against races. The stack creates the CA,
 * TSA and transparency keys, so only seal and official keys are created here, with their policy (on a
 * laptop the local stack provisions the stack's keys from the same template).
 */
async function signingKey(name: string, description: string): Promise<KmsDigestSigner> {
  try {
    return await KmsDigestSigner.forKey(kmsClient(), alias(name));
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
  const [group = name, id] = name.split('/');
  const principals = runTimeKeyPrincipals();
  const runTime = (group === 'seal' || group === 'official') && id;
  const policy = principals && runTime ? JSON.stringify(runTimeKeyPolicy(principals, group)) : undefined;
  const created = await kmsClient().send(
    new CreateKeyCommand({
      // The deployment's choice (RSA_2048 by default); the stack only allows keys of that spec to be created.
      KeySpec: signingKeySpec(),
      KeyUsage: 'SIGN_VERIFY',
      Description: description,
      Policy: policy,
      Tags: [
        { TagKey: KEY_TAGS.stage, TagValue: stage() },
        { TagKey: KEY_TAGS.purpose, TagValue: group },
        // Whose key: only a signer session tagged with the same holder may sign with it (key-policy.ts).
        ...(runTime ? [{ TagKey: KEY_TAGS.holder, TagValue: `${group}:${id}` }] : []),
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
        ...(credential.external ? { external: true, importedBy: credential.importedBy } : {}),
      },
      // Two first uses at once must not both issue: the loser reads the winner's certificate.
      ConditionExpression: previousSerial ? 'serial = :previous' : 'attribute_not_exists(pk)',
      ExpressionAttributeValues: previousSerial ? { ':previous': previousSerial } : undefined,
    }),
  );
}

const ignoreLostRace = (error: unknown): void => {
  if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
};

let rootCa: Promise<CertificateAuthority> | undefined;

/** The root CA: its KMS key and certificate, made on a stage's first start (idempotent). */
function certificateAuthority(): Promise<CertificateAuthority> {
  rootCa ??= loadRoot().catch((error: unknown) => {
    rootCa = undefined;
    throw error;
  });
  return rootCa;
}

async function loadRoot(): Promise<CertificateAuthority> {
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
    await saveCredential('ca-root', {
      certificate: ca.certificate,
      keyId: rootSigner.keyId,
      serial: parseCertificate(ca.certificate).serial,
      subjectKey: 'root',
    }).catch(ignoreLostRace);
    root = await readCredential('ca-root');
    if (!root) throw new Error('the root CA certificate was not stored');
    await publish('root.pem', pemEncode('CERTIFICATE', root.certificate), 'application/x-pem-file');
  }
  return new CertificateAuthority(rootSigner, root.certificate, [], crlUrl());
}

/** Certifies `signer` for `subject` unless the stored certificate already does; revokes what it replaces. */
async function issueIfNeeded(args: {
  name: string;
  signer: KmsDigestSigner;
  profile: 'official' | 'seal' | 'tsa';
  subject: DistinguishedName;
  subjectKey: string;
  years?: number;
}): Promise<StoredCredential> {
  const existing = await readCredential(args.name);
  if (existing && isCurrent(existing, args.subjectKey, args.signer.keyId)) return existing;
  const ca = await certificateAuthority();
  const now = new Date();
  const notAfter = new Date(
    Math.min(now.getTime() + (args.years ?? 2) * YEAR_MS, ca.info.notAfter.getTime()),
  );
  const certificate = await ca.issue({
    profile: args.profile,
    subject: args.subject,
    subjectPublicKey: await args.signer.publicKeySpki(),
    validity: { notBefore: new Date(now.getTime() - 60_000), notAfter },
  });
  const issued: StoredCredential = {
    certificate,
    keyId: args.signer.keyId,
    serial: parseCertificate(certificate).serial,
    subjectKey: args.subjectKey,
  };
  try {
    await saveCredential(args.name, issued, existing?.serial);
  } catch (error) {
    ignoreLostRace(error);
    const winner = await readCredential(args.name);
    if (!winner) throw error;
    return winner;
  }
  // The holder changed position (or the key changed): the old certificate no longer tells the truth.
  if (existing) await revoke(existing.serial, now, 'superseded');
  return issued;
}

async function holderOf(holder: KeyHolder) {
  if (holder.kind === 'official') {
    const person = await findPerson(holder.personId);
    if (!person)
      throw new DomainError('not_found', 404, { what: messageText('what_user', { id: holder.personId }) });
    const org = (await loadDirectory()).find(person.position.orgId);
    if (!org)
      throw new DomainError('not_found', 404, {
        what: messageText('what_organisation', { id: person.position.orgId }),
      });
    return {
      name: credentialName(holder),
      profile: 'official' as const,
      subject: officialSubject(person, org),
      subjectKey: subjectKeyOf(holder, person, org),
      description: `docflow signing key of ${person.id}`,
    };
  }
  const org = (await loadDirectory()).find(holder.orgId);
  if (!org)
    throw new DomainError('not_found', 404, { what: messageText('what_organisation', { id: holder.orgId }) });
  return {
    name: credentialName(holder),
    profile: 'seal' as const,
    subject: sealSubject(org),
    subjectKey: subjectKeyOf(holder, undefined, org),
    description: `docflow seal of ${org.id}`,
  };
}

// --- Commands ------------------------------------------------------------------------------------------------

/** The root, the TSA's certificate and the transparency log's certificate. */
export async function bootstrap(): Promise<StoredCredential> {
  await certificateAuthority();
  const authority = { ...CITY } as DistinguishedName;
  for (const [name, commonName] of [
    ['tsa', 'docflow Hà Nội Time-Stamping Authority'],
    // The TSA profile (timeStamping, critical): a tree head is a signed statement that the log held these
    // events at a time, and that key can sign nothing a PDF validator would take for a person's signature.
    ['transparency', 'docflow Hà Nội Transparency Log'],
  ] as const) {
    await issueIfNeeded({
      name,
      signer: await signingKey(name, `docflow ${commonName}`),
      profile: 'tsa',
      subject: { ...authority, commonName } as DistinguishedName,
      subjectKey: name,
      years: 10,
    });
  }
  const root = await readCredential('ca-root');
  if (!root) throw new Error('the root CA certificate was not stored');
  return root;
}

/** The holder's key, created on first use, and a certificate naming who they are now. */
export async function credential(holder: KeyHolder): Promise<StoredCredential> {
  const { name, profile, subject, subjectKey, description } = await holderOf(holder);
  return issueIfNeeded({ name, signer: await signingKey(name, description), profile, subject, subjectKey });
}

/** A CRL as of now: signed by the root key, stored for every function to read, published to S3. */
export async function issueCrl(): Promise<Uint8Array> {
  const ca = await certificateAuthority();
  const registry = await revocations();
  const now = new Date();
  const der = await ca.createCrl({
    registry,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS),
    crlNumber: BigInt(now.getTime()),
  });
  await documentClient()
    .send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...CRL_ITEM,
          crl: Buffer.from(der).toString('base64'),
          revocations: registry.entries.length,
          thisUpdate: now.toISOString(),
          nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS).toISOString(),
        },
        // CRL numbers only grow: a slower, older issue must not overwrite a newer list.
        ConditionExpression: 'attribute_not_exists(pk) OR thisUpdate < :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    )
    .catch(ignoreLostRace);
  await publish('crl/root.crl', der, 'application/pkix-crl');
  return der;
}

/**
 * Binds a certificate an external CA issued (e.g. the official-duty CA, after our CSR) to the holder's
 * KMS key. It must certify that very key, be valid now, and chain to an anchor the deployment trusts.
 */
export async function importExternalCertificate(
  holder: KeyHolder,
  certificatePem: string,
  by: string,
): Promise<StoredCredential> {
  const { name, description, subjectKey } = await holderOf(holder);
  const signer = await signingKey(name, description);
  let info: ReturnType<typeof parseCertificate>;
  try {
    info = await importCertificate(signer, certificatePem);
  } catch (error) {
    throw new DomainError('certificate_rejected', 400, { detail: (error as Error).message });
  }
  const now = new Date();
  const path = validatePath({
    certificate: info,
    intermediates: [],
    // The anchors trustAnchorsPem() serves, read here without asking the authority (this function) itself.
    trust: TrustStore.fromPem(
      pemEncode('CERTIFICATE', (await certificateAuthority()).info.der),
      process.env.DOCFLOW_TRUSTED_ROOTS_PEM ?? '',
    ),
    at: now,
  });
  if (!path.valid) {
    throw new DomainError('certificate_rejected', 400, {
      detail: messageList('join_semicolon', path.problems.map(problemPair)),
    });
  }
  const existing = await readCredential(name);
  const imported: StoredCredential = {
    certificate: info.der,
    keyId: signer.keyId,
    serial: info.serial,
    // It names the holder as they are now: a later change of position replaces it with a city certificate.
    subjectKey,
    external: true,
    importedBy: by,
  };
  await saveCredential(name, imported, existing?.serial);
  return imported;
}

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
