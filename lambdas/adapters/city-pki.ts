import { createHash } from 'node:crypto';
import type { Organisation, Person } from '../core/domain/directory';
import type { KeyHolder } from '../core/domain/key-holder';
import { pemDecodeAll, pemEncode } from '../core/pki/asn1';
import { type CertificateInfo, isIssuedBy, isSelfSigned, parseCertificate } from '../core/pki/certificate';
import { parseCrl } from '../core/pki/crl';
import type { DistinguishedName } from '../core/pki/names';
import { type RevocationEntry, type RevocationReason, RevocationRegistry } from '../core/pki/revocation';
import { TimestampAuthority } from '../core/pki/tsa';
import { resourceName, tables } from '../deployment/resources';
import { logger } from '../observability/logger';
import { invokeAuthority } from './authority-client';
import { documentClient, kmsClient } from './aws-clients';
import { KmsDigestSigner } from './kms-signer';
import { queryAll } from './query-all';
import { GetCommand, PutCommand, QueryCommand } from './sdk-commands';

/*
 * The city's PKI as every function but the certificate authority sees it: certificates, revocations and
 * the current CRL are read from the directory table; whatever is missing or out of date (a first start, a
 * new official, a changed position, a revocation newer than the CRL) is asked of the certificate authority
 * (lambdas/adapters/city-pki-authority.ts, its own function), which alone signs with the root key and creates
 * keys. Signing itself uses the holder's KMS key directly, which the key policy lets only `signing` do.
 */

export const stage = () => process.env.DOCFLOW_STAGE ?? 'dev';
export const alias = (name: string) => `alias/docflow/${stage()}/${name}`;
const table = () => resourceName(tables.directory);

export const CITY: DistinguishedName = {
  country: 'VN',
  locality: 'Hà Nội',
  organization: 'Ủy ban nhân dân thành phố Hà Nội',
} as DistinguishedName;

/** Where the issuing CA's current CRL is kept (written by the authority only). */
export const CRL_ITEM = { pk: 'PKI', sk: 'crl' } as const;
/** Where the root's current CRL (revoked issuing CA certificates) is kept. */
export const ROOT_CRL_ITEM = { pk: 'PKI', sk: 'crl-root' } as const;
/** The issuing CA's current credential; every certificate it ever had is kept under ISSUING_HISTORY_PK. */
export const ISSUING_CA = 'ca-issuing';
export const ISSUING_HISTORY_PK = 'PKI-ISSUING';
export const ISSUING_SUBJECT: DistinguishedName = {
  ...CITY,
  commonName: 'docflow Hà Nội Issuing CA',
} as DistinguishedName;
/** A function re-reads the CRL item at most this often; a revocation reaches signing checks within it. */
const CRL_REFRESH_MS = 60_000;

export interface StoredCredential {
  readonly certificate: Uint8Array;
  readonly keyId: string;
  readonly serial: string;
  /** What the certificate says about its holder; a change (new position) means a new certificate. */
  readonly subjectKey: string;
  /** Issued by an external CA and imported (POST /api/pki/certificates). */
  readonly external?: boolean;
  /** Serial of the issuing CA certificate that signed it: the chain it is presented with. */
  readonly issuer?: string;
  readonly importedBy?: string;
}

export interface Credential {
  readonly signer: KmsDigestSigner;
  /** Leaf first, then its issuer's chain. */
  readonly certificateChain: readonly Uint8Array[];
}

export const credentialName = (holder: KeyHolder): string =>
  holder.kind === 'official' ? `official/${holder.personId}` : `seal/${holder.orgId}`;

export const officialSubject = (person: Person, org: Organisation): DistinguishedName =>
  ({
    commonName: person.name,
    title: person.position.title,
    organization: org.name,
    locality: 'Hà Nội',
    country: 'VN',
  }) as DistinguishedName;

export const sealSubject = (org: Organisation): DistinguishedName =>
  ({ commonName: org.name, organization: org.name, locality: 'Hà Nội', country: 'VN' }) as DistinguishedName;

/** What a certificate must still say for it to be the holder's current one. */
export const subjectKeyOf = (holder: KeyHolder, person: Person | undefined, org: Organisation): string =>
  holder.kind === 'official' && person
    ? `${org.id}|${person.position.title}|${person.name}`
    : `${org.id}|${org.name}`;

export async function readCredential(name: string): Promise<StoredCredential | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: 'PKI', sk: name }, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    certificate: Buffer.from(String(Item.certificate), 'base64'),
    keyId: String(Item.keyId),
    serial: String(Item.serial),
    subjectKey: String(Item.subjectKey),
    external: Item.external === true,
    importedBy: Item.importedBy === undefined ? undefined : String(Item.importedBy),
    ...(Item.issuer === undefined ? {} : { issuer: String(Item.issuer) }),
  };
}

/** A stored credential, or the authority's answer after it made one (bootstrap for its own credentials). */
async function credentialOf(name: string, ensure: () => Promise<unknown>): Promise<StoredCredential> {
  const stored = await readCredential(name);
  if (stored) return stored;
  await ensure();
  const made = await readCredential(name);
  if (!made) throw new Error(`the certificate authority did not store ${name}`);
  return made;
}

const bootstrap = () => invokeAuthority({ command: 'bootstrap' });

let root: Promise<Uint8Array> | undefined;

/** The city root CA's certificate (made by the authority on a stage's first start). */
export function rootCertificate(): Promise<Uint8Array> {
  root ??= credentialOf('ca-root', bootstrap)
    .then((c) => c.certificate)
    .catch((error: unknown) => {
      root = undefined;
      throw error;
    });
  return root;
}

const signers = new Map<string, Promise<KmsDigestSigner>>();

/** A signer for a KMS key (one GetPublicKey per container and key, which also checks the key exists). */
function signerFor(keyId: string): Promise<KmsDigestSigner> {
  let signer = signers.get(keyId);
  if (!signer) {
    signer = KmsDigestSigner.forKey(kmsClient(), keyId);
    signer.catch(() => signers.delete(keyId));
    signers.set(keyId, signer);
  }
  return signer;
}

let issuingCache: { at: number; certificates: CertificateInfo[] } | undefined;

/** Every certificate the issuing CA has had (rotations keep the old ones), newest first. */
async function issuingCertificates(refresh = false): Promise<CertificateInfo[]> {
  if (!refresh && issuingCache && Date.now() - issuingCache.at < CRL_REFRESH_MS)
    return issuingCache.certificates;
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': ISSUING_HISTORY_PK },
    ConsistentRead: true,
  });
  const certificates = items
    .map((item) => parseCertificate(new Uint8Array(Buffer.from(String(item.certificate), 'base64'))))
    .sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime());
  issuingCache = { at: Date.now(), certificates };
  return certificates;
}

/** Serials (lower case) of every issuing CA certificate: what the root's CRL may list. */
export async function issuingCertificateSerials(): Promise<Set<string>> {
  return new Set((await issuingCertificates(true)).map((c) => c.serial.toLowerCase()));
}

/**
 * The chain above a city certificate: the issuing CA certificate that signed it (the one its credential
 * names; after a rotation, certificates issued before keep the one they were issued under), then the root.
 */
async function cityChainAbove(stored: StoredCredential): Promise<Uint8Array[]> {
  const root = await rootCertificate();
  const leaf = parseCertificate(stored.certificate);
  const find = (all: CertificateInfo[]) =>
    stored.issuer ? all.find((c) => c.serial === stored.issuer) : all.find((c) => isIssuedBy(leaf, c));
  const issuer = find(await issuingCertificates()) ?? find(await issuingCertificates(true));
  // A certificate the root signed itself (made before the issuing CA existed) chains to the root alone.
  return issuer ? [issuer.der, root] : [root];
}

/** The authority's own signing identities (TSA, transparency log), certified by the issuing CA. */
export async function authorityCredential(name: 'tsa' | 'transparency'): Promise<Credential> {
  const stored = await credentialOf(name, bootstrap);
  return {
    signer: await signerFor(stored.keyId),
    certificateChain: [stored.certificate, ...(await cityChainAbove(stored))],
  };
}

let tsa: Promise<TimestampAuthority> | undefined;

/** The city's time-stamping authority (RFC 3161), its key in KMS. */
export function timestampAuthority(): Promise<TimestampAuthority> {
  tsa ??= authorityCredential('tsa')
    .then((c) => new TimestampAuthority({ signer: c.signer, certificateChain: c.certificateChain }))
    .catch((error: unknown) => {
      tsa = undefined;
      throw error;
    });
  return tsa;
}

async function holderCredential(holder: KeyHolder, subjectKey: string): Promise<Credential> {
  const found = await readCredential(credentialName(holder));
  const stored = found && isCurrent(found, subjectKey) ? found : await reissued(holder);
  const chain = stored.external
    ? [stored.certificate, ...issuersAmong(externalAnchors(), stored.certificate)]
    : [stored.certificate, ...(await cityChainAbove(stored))];
  return { signer: await signerFor(stored.keyId), certificateChain: chain };
}

async function reissued(holder: KeyHolder): Promise<StoredCredential> {
  await invokeAuthority({ command: 'credential', holder });
  const stored = await readCredential(credentialName(holder));
  if (!stored) throw new Error(`the certificate authority did not store ${credentialName(holder)}`);
  return stored;
}

/** City certificates are renewed this long before they end; an imported one is used to its last day. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/**
 * Whether a stored certificate may still be used for its holder: it names them as they are now (a new
 * position or name needs a new certificate, whoever issued the old one) and has time left.
 */
export function isCurrent(
  stored: StoredCredential,
  subjectKey: string,
  keyId?: string,
  now = Date.now(),
): boolean {
  if (stored.subjectKey !== subjectKey) return false;
  if (keyId !== undefined && stored.keyId !== keyId) return false;
  const left = parseCertificate(stored.certificate).notAfter.getTime() - now;
  return left > (stored.external ? 0 : RENEW_BEFORE_MS);
}

/** The official's own key and a certificate naming their current position. */
export function officialCredential(person: Person, org: Organisation): Promise<Credential> {
  const holder: KeyHolder = { kind: 'official', personId: person.id };
  return holderCredential(holder, subjectKeyOf(holder, person, org));
}

/** The organisation's seal key and certificate (used only by its clerks). */
export function sealCredential(org: Organisation): Promise<Credential> {
  const holder: KeyHolder = { kind: 'seal', orgId: org.id };
  return holderCredential(holder, subjectKeyOf(holder, undefined, org));
}

// --- Revocation ------------------------------------------------------------------------------------------------

export async function revocations(): Promise<RevocationRegistry> {
  // Every page: years of position changes outgrow one 1 MB query page.
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': 'PKI-REVOKED' },
    ConsistentRead: true,
  });
  return RevocationRegistry.of(
    items.map(
      (item): RevocationEntry => ({
        serial: String(item.sk),
        revokedAt: new Date(String(item.revokedAt)),
        reason: item.reason as RevocationReason,
      }),
    ),
  );
}

/**
 * Records a revocation. It takes effect on signing at once (signing reads the registry); the next read of
 * the CRL sees the list is behind and has the authority issue a new one.
 */
export async function revoke(serial: string, at: Date, reason: RevocationReason): Promise<void> {
  await documentClient()
    .send(
      new PutCommand({
        TableName: table(),
        Item: { pk: 'PKI-REVOKED', sk: serial.toLowerCase(), revokedAt: at.toISOString(), reason },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error: unknown) => {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    });
  crlCaches.clear();
}

/**
 * Revokes the official's certificate when it no longer names them as they are now (another position, title
 * or name): what a repeated position change must still do if its first attempt stopped before revoking.
 * A certificate that names them correctly is left alone. The serial, if one was revoked.
 */
export async function revokeStaleOfficial(
  person: Person,
  org: Organisation,
  at: Date,
  reason: RevocationReason,
): Promise<string | undefined> {
  const holder: KeyHolder = { kind: 'official', personId: person.id };
  const stored = await readCredential(credentialName(holder));
  if (!stored || stored.subjectKey === subjectKeyOf(holder, person, org)) return undefined;
  await revoke(stored.serial, at, reason);
  return stored.serial;
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

/** The official's current certificate and whether it is revoked (the administration screen). */
export async function officialCertificateStatus(
  personId: string,
): Promise<{ serial: string; status: 'valid' | 'revoked'; revokedAt?: string } | undefined> {
  const credential = await readCredential(`official/${personId}`);
  if (!credential) return undefined;
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: 'PKI-REVOKED', sk: credential.serial.toLowerCase() },
      ConsistentRead: true,
    }),
  );
  return Item
    ? { serial: credential.serial, status: 'revoked', revokedAt: String(Item.revokedAt) }
    : { serial: credential.serial, status: 'valid' };
}

const crlCaches = new Map<string, { der: Uint8Array; at: number; revocations: number }>();

/** How many revocations the registry holds (a consistent count: one small query). */
async function revocationCount(): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'PKI-REVOKED' },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/**
 * The issuing CA's current CRL (officials', seals' and authorities' certificates), as the authority last
 * signed it. A new one is asked for when there is none, when it lists fewer revocations than the registry
 * holds, or when half its lifetime has passed (so that what a signature embeds is never close to its
 * nextUpdate). A container's copy is reused only while the registry still counts the same revocations: a
 * revocation made by another function shows in the next answer.
 */
export function currentCrl(): Promise<Uint8Array> {
  return storedCrl(CRL_ITEM, false);
}

/** The root's current CRL: the issuing CA certificates it revoked (none unless an operator decided so). */
export function rootCrl(): Promise<Uint8Array> {
  return storedCrl(ROOT_CRL_ITEM, true);
}

async function storedCrl(
  item: { readonly pk: string; readonly sk: string },
  byRoot: boolean,
): Promise<Uint8Array> {
  const count = await revocationCount();
  const cached = crlCaches.get(item.sk);
  if (cached && cached.revocations === count && Date.now() - cached.at < CRL_REFRESH_MS) return cached.der;
  const [{ Item }, registry, issuing] = await Promise.all([
    documentClient().send(new GetCommand({ TableName: table(), Key: item, ConsistentRead: true })),
    revocations(),
    issuingCertificates(),
  ]);
  // Each CRL lists its own issuer's revocations: the root's the issuing CA certificates, the other the rest.
  const serials = new Set(issuing.map((c) => c.serial.toLowerCase()));
  const listed = registry.entries.filter((e) => serials.has(e.serial.toLowerCase()) === byRoot).length;
  const now = Date.now();
  const fresh =
    Item &&
    Number(Item.revocations) === listed &&
    now - Date.parse(String(Item.thisUpdate)) < Date.parse(String(Item.nextUpdate)) - now;
  let der: Uint8Array;
  if (fresh) der = new Uint8Array(Buffer.from(String(Item.crl), 'base64'));
  else {
    // The authority issues both at once and answers with the issuing CA's.
    const answer = await invokeAuthority({ command: 'crl' });
    if (!answer.crl) throw new Error('the certificate authority returned no CRL');
    if (!byRoot) der = new Uint8Array(Buffer.from(answer.crl, 'base64'));
    else {
      const { Item: made } = await documentClient().send(
        new GetCommand({ TableName: table(), Key: item, ConsistentRead: true }),
      );
      if (!made) throw new Error('the certificate authority stored no root CRL');
      der = new Uint8Array(Buffer.from(String(made.crl), 'base64'));
    }
  }
  crlCaches.set(item.sk, { der, at: Date.now(), revocations: registry.entries.length });
  return der;
}

let anchors: { pem: string; parsed: CertificateInfo[] } | undefined;

/** The external roots this deployment trusts (DOCFLOW_TRUSTED_ROOTS_PEM), parsed once. */
function externalAnchors(): CertificateInfo[] {
  const pem = process.env.DOCFLOW_TRUSTED_ROOTS_PEM ?? '';
  if (anchors?.pem !== pem) {
    anchors = { pem, parsed: pemDecodeAll(pem, 'CERTIFICATE').map(parseCertificate) };
  }
  return anchors.parsed;
}

const issuersAmong = (candidates: readonly CertificateInfo[], der: Uint8Array): Uint8Array[] => {
  const certificate = parseCertificate(der);
  return candidates.filter((c) => isIssuedBy(certificate, c)).map((c) => c.der);
};

const MAX_CRL_BYTES = 16 * 1024 * 1024;
const fetchedCrls = new Map<string, { der: Uint8Array; until: number }>();

/**
 * The CRLs that say whether a chain's certificates are revoked: the city's own, and for a certificate an
 * external CA issued (imported for a seal or an official), the CRL at its distribution point, fetched as
 * any relying party would and kept until its nextUpdate (an hour at most). A CRL that cannot be had is left
 * out, so that signing refuses with "no valid revocation list" rather than sign blind; whatever is fetched
 * counts only if its issuer's signature on it verifies (lambdas/core/pki/trust.ts).
 */
export async function crlsFor(chain: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const crls = [await currentCrl(), await rootCrl()];
  const root = parseCertificate(await rootCertificate());
  const issuing = await issuingCertificates();
  for (const der of chain) {
    const certificate = parseCertificate(der);
    if (isSelfSigned(certificate) || isIssuedBy(certificate, root)) continue;
    if (issuing.some((c) => isIssuedBy(certificate, c))) continue;
    for (const url of certificate.crlUrls.filter((u) => /^https?:\/\//i.test(u))) {
      const crl = await fetchCrl(url).catch((error: unknown) => {
        logger.warn('external CRL unavailable', { url, error: (error as Error).message });
        return undefined;
      });
      if (crl) crls.push(crl);
    }
  }
  return crls;
}

async function fetchCrl(url: string): Promise<Uint8Array> {
  const cached = fetchedCrls.get(url);
  if (cached && cached.until > Date.now()) return cached.der;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'follow' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_CRL_BYTES) throw new Error('CRL too large');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_CRL_BYTES) throw new Error('CRL too large');
  // PEM or DER: some CAs publish either.
  const pem = new TextDecoder().decode(bytes.subarray(0, 64)).startsWith('-----BEGIN')
    ? pemDecodeAll(new TextDecoder().decode(bytes), 'X509 CRL')[0]
    : undefined;
  const der = pem ?? bytes;
  const info = parseCrl(der);
  const nextUpdate = info.nextUpdate?.getTime() ?? Date.now();
  fetchedCrls.set(url, { der, until: Math.min(nextUpdate, Date.now() + 3600_000) });
  return der;
}

/**
 * The roots this deployment trusts, as PEM: the city root, then any external roots (e.g. the Government
 * Cipher Committee's official-duty root) given in DOCFLOW_TRUSTED_ROOTS_PEM.
 */
export async function trustAnchorsPem(): Promise<string> {
  return `${pemEncode('CERTIFICATE', await rootCertificate())}${process.env.DOCFLOW_TRUSTED_ROOTS_PEM ?? ''}`;
}

export const certificateSha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');
