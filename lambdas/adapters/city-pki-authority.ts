import type { KeyHolder } from '../core/domain/key-holder';
import { DomainError } from '../core/errors';
import { messageList, messageText } from '../core/i18n/messages';
import { problemPair } from '../core/i18n/problems';
import { pemEncode } from '../core/pki/asn1';
import { parseCertificate } from '../core/pki/certificate';
import { CertificateAuthority } from '../core/pki/certificate-authority';
import { importCertificate } from '../core/pki/csr';
import type { DistinguishedName } from '../core/pki/names';
import { RevocationRegistry } from '../core/pki/revocation';
import { TrustStore, validatePath } from '../core/pki/trust';
import { KEY_TAGS, runTimeKeyPolicy, runTimeKeyPrincipals } from '../deployment/key-policy';
import { buckets, resourceName, signingKeySpec, tables } from '../deployment/resources';
import { documentClient, kmsClient, s3Client } from './aws-clients';
import {
  alias,
  CITY,
  CRL_ITEM,
  credentialName,
  ISSUING_CA,
  ISSUING_HISTORY_PK,
  ISSUING_SUBJECT,
  isCurrent,
  issuingCertificateSerials,
  officialSubject,
  ROOT_CRL_ITEM,
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
import { CreateAliasCommand, CreateKeyCommand, PutCommand, PutObjectCommand } from './sdk-commands';

/*
 * The certificate authority's side of the city PKI, run only by the certificate-authority function. Two
 * levels: the root CA key signs only the issuing CA's certificates and the root CRL; the issuing CA key
 * signs officials', seals', the TSA's and the transparency log's certificates and their CRL. It creates seal
 * and official keys (with a key policy that lets the signing
 * function sign with them and nobody administer them into use), and writes certificates and CRLs. Every
 * other function reads what it wrote (lambdas/adapters/city-pki.ts) and invokes it when something is
 * missing or out of date.
 */

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
export const CRL_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const crlUrl = () => process.env.DOCFLOW_CRL_URL ?? 'http://127.0.0.1/api/pki/crl';
/** The root's CRL (revoked issuing CAs): the distribution point in the issuing CA's certificate. */
const rootCrlUrl = () => `${crlUrl()}?issuer=root`;
/** The issuing CA's certificate is renewed this long before it ends (it must outlive what it certifies). */
const ISSUING_RENEW_BEFORE_MS = 2 * YEAR_MS;
const ISSUING_YEARS = 10;
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
    if ((error as Error).name !== 'NotFoundException') throw error;
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
    if ((error as Error).name !== 'AlreadyExistsException') throw error;
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
        ...(credential.issuer ? { issuer: credential.issuer } : {}),
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
  return new CertificateAuthority(rootSigner, root.certificate, [], rootCrlUrl());
}

let issuingCa: Promise<CertificateAuthority> | undefined;

/** The issuing CA: its KMS key and current certificate, certified by the root on first use (idempotent). */
function issuingAuthority(): Promise<CertificateAuthority> {
  issuingCa ??= loadIssuing().catch((error: unknown) => {
    issuingCa = undefined;
    throw error;
  });
  return issuingCa;
}

async function loadIssuing(): Promise<CertificateAuthority> {
  const root = await certificateAuthority();
  const signer = await signingKey(ISSUING_CA, 'docflow city issuing CA');
  let stored = await readCredential(ISSUING_CA);
  const current =
    stored &&
    stored.keyId === signer.keyId &&
    parseCertificate(stored.certificate).notAfter.getTime() - Date.now() > ISSUING_RENEW_BEFORE_MS;
  if (!stored || !current) stored = await certifyIssuing(root, signer, stored);
  return new CertificateAuthority(signer, stored.certificate, [root.certificate], crlUrl());
}

/**
 * A new certificate for the issuing CA's key, signed by the root: on first use, near its end, or when an
 * operator rotates it. The one it replaces is not revoked: what it certified, and every document signed
 * under it, keeps verifying through it (each signature embeds its own chain); new certificates chain to
 * the new one. Every issuing CA certificate is kept (PKI-ISSUING) for the chains of older credentials.
 */
async function certifyIssuing(
  root: CertificateAuthority,
  signer: KmsDigestSigner,
  previous: StoredCredential | undefined,
): Promise<StoredCredential> {
  const now = new Date();
  const ca = await root.createIssuingCa({
    signer,
    subject: ISSUING_SUBJECT,
    validity: {
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter: new Date(Math.min(now.getTime() + ISSUING_YEARS * YEAR_MS, root.info.notAfter.getTime())),
    },
  });
  const issued: StoredCredential = {
    certificate: ca.certificate,
    keyId: signer.keyId,
    serial: parseCertificate(ca.certificate).serial,
    subjectKey: 'issuing-ca',
  };
  // History first: a chain must find every issuing certificate that a stored credential may name.
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: ISSUING_HISTORY_PK,
        sk: issued.serial,
        certificate: Buffer.from(issued.certificate).toString('base64'),
        issuedAt: now.toISOString(),
      },
    }),
  );
  try {
    await saveCredential(ISSUING_CA, issued, previous?.serial);
  } catch (error) {
    ignoreLostRace(error);
    const winner = await readCredential(ISSUING_CA);
    if (!winner) throw error;
    return winner;
  }
  await publish('issuing.pem', pemEncode('CERTIFICATE', issued.certificate), 'application/x-pem-file');
  return issued;
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
  const ca = await issuingAuthority();
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
    issuer: ca.info.serial,
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

/** The root, the issuing CA, the TSA's certificate and the transparency log's certificate. */
export async function bootstrap(): Promise<StoredCredential> {
  await issuingAuthority();
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

/**
 * The CRLs as of now, each stored for every function to read and published to S3: the issuing CA's (the
 * officials', seals' and authorities' certificates it revoked), and the root's (revoked issuing CA
 * certificates, which only an operator's decision puts there). Returns the issuing CA's.
 */
export async function issueCrl(): Promise<Uint8Array> {
  const [issuing, root, registry, issuingSerials] = await Promise.all([
    issuingAuthority(),
    certificateAuthority(),
    revocations(),
    issuingCertificateSerials(),
  ]);
  const now = new Date();
  const byRoot = (entry: { serial: string }) => issuingSerials.has(entry.serial.toLowerCase());
  const [der] = await Promise.all([
    signAndStoreCrl(
      issuing,
      RevocationRegistry.of(registry.entries.filter((e) => !byRoot(e))),
      now,
      CRL_ITEM,
      'crl/issuing.crl',
    ),
    signAndStoreCrl(
      root,
      RevocationRegistry.of(registry.entries.filter(byRoot)),
      now,
      ROOT_CRL_ITEM,
      'crl/root.crl',
    ),
  ]);
  return der;
}

async function signAndStoreCrl(
  ca: CertificateAuthority,
  registry: RevocationRegistry,
  now: Date,
  item: { readonly pk: string; readonly sk: string },
  published: string,
): Promise<Uint8Array> {
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
          ...item,
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
  await publish(published, der, 'application/pkix-crl');
  return der;
}

/**
 * Issues a new certificate for the issuing CA now (an operator's rotation, e.g. before a planned change or
 * on a schedule): certificates issued from now on chain to it; those issued before, and every document
 * already signed, keep the chain they have. Nothing is re-issued, nothing revoked.
 */
export async function rotateIssuingCa(): Promise<StoredCredential> {
  const root = await certificateAuthority();
  const signer = await signingKey(ISSUING_CA, 'docflow city issuing CA');
  const rotated = await certifyIssuing(root, signer, await readCredential(ISSUING_CA));
  issuingCa = Promise.resolve(
    new CertificateAuthority(signer, rotated.certificate, [root.certificate], crlUrl()),
  );
  return rotated;
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
    intermediates: [(await issuingAuthority()).info],
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
