import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pemEncode } from '../../lambdas/core/pki/asn1';

/** Fails loudly (never skips) when a validator the tests rely on is missing. */
export function requireTool(name: 'pdfsig' | 'openssl' | 'certutil' | 'qpdf' | 'pdftoppm'): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      `${name} is required for these tests: apt-get install -y poppler-utils qpdf libnss3-tools openssl`,
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
