import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import type { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import type { DistinguishedName } from '../../lambdas/core/pki/names';

/** Fails loudly (never skips) when a validator the tests rely on is missing. */
export function requireTool(
  name:
    | 'pdfsig'
    | 'openssl'
    | 'certutil'
    | 'qpdf'
    | 'pdftoppm'
    | 'pdffonts'
    | 'pdftotext'
    | 'pdfimages'
    | 'soffice',
): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      `${name} is required for these tests: apt-get install -y ${name === 'soffice' ? 'libreoffice-writer-nogui' : 'poppler-utils qpdf libnss3-tools openssl'}`,
    );
  }
  return path;
}

export function tempDir(prefix = 'docflow-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** An NSS database (for pdfsig) that trusts the given roots for signing. */
export function nssDbTrusting(roots: readonly Uint8Array[]): string {
  requireTool('certutil');
  const dir = tempDir('docflow-nss-');
  const db = join(dir, 'db');
  mkdirSync(db);
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  roots.forEach((root, i) => {
    const path = writeTemp(dir, `root${i}.pem`, pemEncode('CERTIFICATE', root));
    execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', `root${i}`, '-t', 'CT,C,C', '-a', '-i', path]);
  });
  return db;
}

export interface PdfsigSignature {
  readonly index: number;
  readonly block: string;
  readonly signatureValid: boolean;
  readonly certificateTrusted: boolean;
  readonly totalDocumentSigned: boolean;
  readonly signerName: string | undefined;
}

/** Runs pdfsig (with OCSP allowed, see TECH-NOTES) and splits its report per signature. */
export function pdfsig(pdfPath: string, nssDb: string): { output: string; signatures: PdfsigSignature[] } {
  requireTool('pdfsig');
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${nssDb}`, pdfPath], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${run.stdout}${run.stderr}`;
  const blocks = output.split(/^Signature #/m).slice(1);
  return {
    output,
    signatures: blocks.map((block, i) => ({
      index: i + 1,
      block,
      signatureValid: /Signature Validation: Signature is Valid\./.test(block),
      certificateTrusted: /Certificate Validation: Certificate is Trusted\./.test(block),
      totalDocumentSigned: /Total document signed/.test(block) && !/not total document signed/.test(block),
      signerName: /Signer Certificate Common Name: (.*)/.exec(block)?.[1]?.trim(),
    })),
  };
}

export function openssl(args: readonly string[], input?: Uint8Array): { status: number; output: string } {
  requireTool('openssl');
  const run = spawnSync('openssl', args, { input, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** `openssl cms -verify` of a detached CMS over `content`, trusting `roots`. */
export function opensslCmsVerify(
  cms: Uint8Array,
  content: Uint8Array,
  roots: readonly Uint8Array[],
  extra: readonly string[] = [],
): { ok: boolean; output: string } {
  const dir = tempDir('docflow-cms-');
  const cmsPath = writeTemp(dir, 'sig.p7s', cms);
  const contentPath = writeTemp(dir, 'content.bin', content);
  const caPath = writeTemp(dir, 'roots.pem', roots.map((r) => pemEncode('CERTIFICATE', r)).join(''));
  const run = openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    cmsPath,
    '-content',
    contentPath,
    '-CAfile',
    caPath,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
    ...extra,
  ]);
  return { ok: run.status === 0 && /Verification successful/.test(run.output), output: run.output };
}

export function qpdf(args: readonly string[]): void {
  requireTool('qpdf');
  const run = spawnSync('qpdf', args, { encoding: 'utf8' });
  // qpdf exits 3 for warnings with a usable output.
  if (run.status !== 0 && run.status !== 3) throw new Error(`qpdf ${args.join(' ')} failed: ${run.stderr}`);
}

export function pdftoppm(pdfPath: string, outPrefix: string, resolution = 80): string {
  requireTool('pdftoppm');
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    String(resolution),
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    pdfPath,
    outPrefix,
  ]);
  return `${outPrefix}.png`;
}

/** The DER CMS in a signature's /Contents (the gap of its ByteRange), without the zero padding. */
export function extractCms(pdf: Uint8Array, byteRange: readonly number[]): Uint8Array {
  const [, l1 = 0, o2 = 0] = byteRange;
  const hexText = Buffer.from(pdf.subarray(l1 + 1, o2 - 1)).toString('latin1');
  const der = Buffer.from(hexText, 'hex');
  // Read the outer SEQUENCE length to drop the padding.
  const first = der[1] ?? 0;
  if (first < 0x80) return new Uint8Array(der.subarray(0, 2 + first));
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
  return new Uint8Array(der.subarray(0, 2 + count + length));
}

/** The bytes a signature covers. */
export function signedBytes(pdf: Uint8Array, byteRange: readonly number[]): Uint8Array {
  const [o1 = 0, l1 = 0, o2 = 0, l2 = 0] = byteRange;
  return new Uint8Array(Buffer.concat([pdf.subarray(o1, o1 + l1), pdf.subarray(o2, o2 + l2)]));
}

/** ByteRange arrays of every signature, in file order, read straight from the bytes. */
export function byteRanges(pdf: Uint8Array): number[][] {
  const text = Buffer.from(pdf).toString('latin1');
  return [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) =>
    m.slice(1, 5).map(Number),
  );
}

/**
 * Makes a signer for poppler (`pdfsig -add-signature -nick <nickname>`), as another tool would have one: an
 * RSA key generated by openssl, certified by `ca`, imported with the CA's certificate into the NSS database.
 */
export async function importPopplerSigner(args: {
  nssDb: string;
  ca: CertificateAuthority;
  subject: DistinguishedName;
  validity: { notBefore: Date; notAfter: Date };
  nickname?: string;
}): Promise<string> {
  requireTool('openssl');
  const nickname = args.nickname ?? 'poppler-signer';
  const dir = tempDir('docflow-poppler-');
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', [
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-out',
    keyPath,
  ]);
  const spki = new Uint8Array(
    execFileSync('openssl', ['pkey', '-in', keyPath, '-pubout', '-outform', 'DER']),
  );
  const cert = await args.ca.issue({
    profile: 'official',
    subject: args.subject,
    subjectPublicKey: spki,
    validity: args.validity,
  });
  const certPath = writeTemp(dir, 'cert.pem', pemEncode('CERTIFICATE', cert));
  const chainPath = writeTemp(dir, 'chain.pem', pemEncode('CERTIFICATE', args.ca.certificate));
  const p12 = join(dir, 'signer.p12');
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    keyPath,
    '-in',
    certPath,
    '-certfile',
    chainPath,
    '-name',
    nickname,
    '-passout',
    'pass:',
    '-out',
    p12,
  ]);
  execFileSync('pk12util', ['-i', p12, '-d', `sql:${args.nssDb}`, '-W', '']);
  return nickname;
}

/** Signs `input` into `output` with poppler and a signer from {@link importPopplerSigner}. */
export function popplerSign(args: {
  nssDb: string;
  nickname: string;
  input: string;
  output: string;
  reason?: string;
}): void {
  requireTool('pdfsig');
  execFileSync('pdfsig', [
    '-nssdir',
    `sql:${args.nssDb}`,
    '-add-signature',
    '-nick',
    args.nickname,
    ...(args.reason ? ['-reason', args.reason] : []),
    args.input,
    args.output,
  ]);
}
