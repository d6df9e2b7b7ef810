import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { KmsDigestSigner } from '../lambdas/adapters/kms-signer';
import { LazyClient } from '../lambdas/adapters/lazy-sdk';
import { InMemorySigner } from '../lambdas/core/crypto/in-memory-signer';
import { signPdfFile } from '../lambdas/core/pdf/sign';
import { verifyPdf } from '../lambdas/core/pdf/verify';
import { clearParseCaches } from '../lambdas/core/pki/lru';
import { startKmsEmulator } from '../local/kms/emulator';
import { blueSignaturePng, draftDecision } from '../test/fixtures/documents';
import { importPopplerSigner, nssDbTrusting } from '../test/support/pdf-tools';
import { type CityPki, cityPki } from '../test/support/pki-fixtures';
import { type Benchmark, type BenchResult, type BenchRow, percentiles, row } from './harness';
import { writeLargePdf } from './large-pdf';
import type { RssMaterial } from './rss-child';

/*
 * Issue 3's benchmarks: docflow's PAdES signing and verification against poppler's pdfsig on the same
 * files in the same run (a 1-page and a 40-page decision, a 64 MB scan-like PDF), the KMS round trip on its
 * own, and peak RSS of signing and verifying 64 MB vs 1 MB, each in a fresh child process.
 */

const MiB = 1024 * 1024;
const NICK = 'bench-signer';
const MAX_BYTES = 1024 * MiB;
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
const CHILD = join(import.meta.dirname, 'rss-child.ts');

interface Fixture {
  readonly dir: string;
  readonly pki: CityPki;
  readonly signer: InMemorySigner;
  readonly chain: Uint8Array[];
  /** NSS database trusting the city root, holding poppler's key and certificate. */
  readonly nssDb: string;
  readonly material: string;
  readonly files: { readonly label: string; readonly path: string; readonly reps: number }[];
}

const median = (samples: readonly number[]) => percentiles(samples).p50;

async function fixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'docflow-bench-'));
  const pki = await cityPki();
  const hour = 3600_000;
  const validity = { notBefore: new Date(Date.now() - hour), notAfter: new Date(Date.now() + 24 * hour) };

  // docflow's signer: an RSA-2048 key in memory (KMS excluded from the ratio), certified by the city CA.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signer = new InMemorySigner('bench', 'RSASSA_PKCS1_V1_5_SHA_256', privateKey);
  const cert = await pki.issuing.issue({
    profile: 'official',
    subject: { commonName: 'Benchmark Signer', organization: 'UBND thành phố Hà Nội', country: 'VN' },
    subjectPublicKey: await signer.publicKeySpki(),
    validity,
  });
  const chain = [cert, ...pki.issuing.chain];
  const material: RssMaterial = {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    chain: chain.map((c) => Buffer.from(c).toString('base64')),
    root: Buffer.from(pki.root.certificate).toString('base64'),
  };
  const materialPath = join(dir, 'material.json');
  writeFileSync(materialPath, JSON.stringify(material));

  // poppler's signer: an RSA-2048 key made by openssl, certified by the same CA, imported into NSS.
  const nssDb = nssDbTrusting([pki.root.certificate]);
  await importPopplerSigner({
    nssDb,
    ca: pki.issuing,
    subject: { commonName: 'Poppler Signer', organization: 'Benchmark', country: 'VN' },
    validity,
    nickname: NICK,
  });

  const onePage = join(dir, 'decision-1-page.pdf');
  writeFileSync(onePage, await draftDecision(1));
  const fortyPages = join(dir, 'decision-40-pages.pdf');
  writeFileSync(fortyPages, await draftDecision(40));
  const large = join(dir, 'scan-64mb.pdf');
  await writeLargePdf(large, 64 * MiB);
  const small = join(dir, 'scan-1mb.pdf');
  await writeLargePdf(small, MiB);
  return {
    dir,
    pki,
    signer,
    chain,
    nssDb,
    material: materialPath,
    files: [
      { label: '1-page decision', path: onePage, reps: 25 },
      { label: '40-page decision', path: fortyPages, reps: 25 },
      { label: '64 MB scan', path: large, reps: 5 },
      { label: '1 MB scan', path: small, reps: 5 },
    ],
  };
}

function popplerSign(f: Fixture, input: string, output: string): number {
  const started = performance.now();
  const run = spawnSync(
    'pdfsig',
    ['-nssdir', `sql:${f.nssDb}`, '-add-signature', '-nick', NICK, '-reason', 'Benchmark', input, output],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`pdfsig -add-signature failed: ${run.stderr}`);
  return ms;
}

function popplerVerify(f: Fixture, input: string): { ms: number; valid: number; signatures: number } {
  const started = performance.now();
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${f.nssDb}`, input], { encoding: 'utf8' });
  const ms = performance.now() - started;
  const out = `${run.stdout}${run.stderr}`;
  return {
    ms,
    signatures: out.split(/^Signature #/m).length - 1,
    valid:
      out.match(/Signature is Valid\.\n\s*- Certificate Validation: Certificate is Trusted\./g)?.length ?? 0,
  };
}

/** The personal signature block production draws (capacity lines, signature image, name). */
const PERSONAL_APPEARANCE = {
  placement: { page: 0, x: 320, y: 140, width: 230, height: 140 },
  visual: {
    kind: 'personal' as const,
    capacityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
    name: 'Nguyễn Văn An',
    signatureImage: blueSignaturePng(),
  },
};

async function docflowSign(
  f: Fixture,
  input: string,
  output: string,
  visible = false,
): Promise<{ ms: number }> {
  const started = performance.now();
  const result = await signPdfFile({
    input,
    output,
    signer: f.signer,
    certificateChain: f.chain,
    revocation: 'checked-by-caller',
    reason: 'Benchmark',
    signingTime: new Date(),
    maxBytes: MAX_BYTES,
    ...(visible ? { appearance: PERSONAL_APPEARANCE } : {}),
  });
  const ms = performance.now() - started;
  if (statSync(output).size !== result.size)
    throw new Error('docflow wrote a different size than it reported');
  return { ms };
}

/** Peak RSS (MiB) of one operation in a fresh `tsx` process; the median of `runs`. */
function childRss(f: Fixture, op: string, input = '', runs = 3): { mib: number; detail: string } {
  const samples: number[] = [];
  let detail = '';
  for (let i = 0; i < runs; i++) {
    const output = join(f.dir, `rss-${op}-${i}.pdf`);
    const run = spawnSync(TSX, [CHILD, op, f.material, input, output], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (run.status !== 0) throw new Error(`rss child ${op} failed: ${run.stderr}`);
    const line = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      maxRssKiB: number;
      detail: string;
    };
    samples.push(line.maxRssKiB / 1024);
    detail = line.detail;
    rmSync(output, { force: true });
  }
  return { mib: median(samples), detail };
}

/** pdfsig's own peak RSS (MiB) via GNU time, when installed. */
function popplerRss(args: readonly string[]): number | undefined {
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'pdfsig', ...args], { encoding: 'utf8' });
  const kib = Number(run.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kib) && kib > 0 ? kib / 1024 : undefined;
}

async function kmsRoundTrips(dir: string): Promise<{ p50: number; p95: number; local: number }> {
  const emulator = await startKmsEmulator({ dataDir: join(dir, 'kms'), port: 0 });
  const client = new KMSClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
  });
  try {
    const created = await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    const keyId = created.KeyMetadata?.KeyId;
    if (!keyId) throw new Error('CreateKey returned no key');
    const kms = await KmsDigestSigner.forKey(new LazyClient(async () => client), keyId);
    const local = InMemorySigner.generate('local');
    const digest = randomBytes(32);
    for (let i = 0; i < 5; i++) await kms.signDigest(digest);
    const remote: number[] = [];
    const inMemory: number[] = [];
    for (let i = 0; i < 60; i++) {
      let started = performance.now();
      await kms.signDigest(digest);
      remote.push(performance.now() - started);
      started = performance.now();
      await local.signDigest(digest);
      inMemory.push(performance.now() - started);
    }
    return { ...percentiles(remote), local: median(inMemory) };
  } finally {
    client.destroy();
    await emulator.close();
  }
}

async function run(): Promise<BenchResult> {
  const f = await fixture();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    // Signing: the same unsigned input, alternately, file to file; docflow's key in memory.
    const signedByPoppler = new Map<string, string>();
    const signedByBoth = new Map<string, string>();
    for (const file of f.files.slice(0, 3)) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const popplerOut = join(f.dir, `poppler-${statSync(file.path).size}.pdf`);
      const oursOut = join(f.dir, `docflow-${statSync(file.path).size}.pdf`);
      for (let i = 0; i < Math.min(file.reps, 5); i++) {
        popplerSign(f, file.path, popplerOut);
        await docflowSign(f, file.path, oursOut);
      }
      for (let i = 0; i < file.reps; i++) {
        theirs.push(popplerSign(f, file.path, popplerOut));
        ours.push((await docflowSign(f, file.path, oursOut)).ms);
      }
      const ratio = median(ours) / median(theirs);
      rows.push(
        row(`sign ${file.label} (docflow vs pdfsig -add-signature)`, median(ours), 'ms', {
          reference: median(theirs),
          referenceLabel: 'pdfsig',
          target: 'ratio ≤ 2.0',
          ok: ratio <= 2.0,
        }),
      );
      signedByPoppler.set(file.label, popplerOut);
      // The verification files: poppler's signature, then docflow's on top (two signatures each).
      const both = join(f.dir, `both-${statSync(file.path).size}.pdf`);
      await docflowSign(f, popplerOut, both);
      signedByBoth.set(file.label, both);
    }

    // Production's shape: the same 64 MB file with the personal signature block drawn (no pdfsig equivalent).
    const visible: number[] = [];
    const largeFile = f.files[2];
    if (largeFile) {
      for (let i = 0; i < largeFile.reps; i++) {
        const result = await docflowSign(f, largeFile.path, join(f.dir, 'visible.pdf'), true);
        visible.push(result.ms);
      }
      rows.push(row('sign 64 MB scan with the personal signature block drawn', median(visible), 'ms'));
    }

    // KMS, separately: the digest round trip through KmsDigestSigner to the local emulator.
    const kms = await kmsRoundTrips(f.dir);
    rows.push(
      row('KMS Sign round trip, p50 (KmsDigestSigner → local emulator)', kms.p50, 'ms', {
        reference: kms.local,
        referenceLabel: 'in-memory RSA-2048 signDigest',
      }),
      row('KMS Sign round trip, p95', kms.p95, 'ms'),
    );

    // Verification: both verifiers on the same two-signature files; docflow by path (as the API does).
    const pairs: string[] = [];
    for (const file of f.files.slice(0, 3)) {
      const path = signedByBoth.get(file.label) as string;
      const ours: number[] = [];
      const theirs: number[] = [];
      const first = await verifyPdf(path, { trust: f.pki.trust, maxBytes: MAX_BYTES });
      const poppler = popplerVerify(f, path);
      if (first.verdict !== 'valid' || poppler.valid !== poppler.signatures || poppler.signatures !== 2) {
        notes.push(
          `${file.label}: docflow says ${first.verdict} (${first.signatures.length} signatures), pdfsig ` +
            `${poppler.valid}/${poppler.signatures} valid and trusted: the comparison is not like for like.`,
        );
      }
      // Warm both (V8 optimises the verifier over the first calls; the page cache holds the file).
      for (let i = 0; i < Math.min(file.reps, 10); i++) {
        await verifyPdf(path, { trust: f.pki.trust, maxBytes: MAX_BYTES });
        popplerVerify(f, path);
      }
      const cold: number[] = [];
      for (let i = 0; i < file.reps; i++) {
        theirs.push(popplerVerify(f, path).ms);
        let started = performance.now();
        await verifyPdf(path, { trust: f.pki.trust, maxBytes: MAX_BYTES });
        ours.push(performance.now() - started);
        // The same again with nothing remembered from earlier documents (parsed certificates, CRLs, keys).
        clearParseCaches();
        started = performance.now();
        await verifyPdf(path, { trust: f.pki.trust, maxBytes: MAX_BYTES });
        cold.push(performance.now() - started);
      }
      const ratio = median(ours) / median(theirs);
      const faster = ours.filter((ms, i) => ms < (theirs[i] ?? 0)).length;
      pairs.push(
        `${file.label}: docflow faster in ${faster} of ${ours.length} pairs, its slowest run ` +
          `${Math.max(...ours).toFixed(1)} ms vs pdfsig's fastest ${Math.min(...theirs).toFixed(1)} ms`,
      );
      rows.push(
        row(`verify ${file.label}, 2 signatures (docflow verifyPdf(path) vs pdfsig)`, median(ours), 'ms', {
          reference: median(theirs),
          referenceLabel: 'pdfsig',
          target: 'ratio ≤ 1.0',
          ok: ratio <= 1.0,
        }),
        row(`verify ${file.label}, parse caches emptied before each run`, median(cold), 'ms', {
          reference: median(theirs),
          referenceLabel: 'pdfsig',
        }),
      );
    }
    const floor: number[] = [];
    for (let i = 0; i < 15; i++) floor.push(popplerVerify(f, f.files[0]?.path ?? '').ms);
    rows.push(row('pdfsig process floor (start, NSS init, an unsigned 1-page file)', median(floor), 'ms'));

    // Peak RSS, each operation in a fresh child process.
    const large = f.files[2]?.path ?? '';
    const small = f.files[3]?.path ?? '';
    const idle = childRss(f, 'idle');
    const sign64 = childRss(f, 'sign', large);
    const sign1 = childRss(f, 'sign', small);
    const smallSigned = join(f.dir, 'verify-1mb.pdf');
    await docflowSign(f, small, smallSigned);
    const verify64 = childRss(f, 'verify', signedByBoth.get('64 MB scan'));
    const verify1 = childRss(f, 'verify', smallSigned);
    const rssRow = (label: string, big: { mib: number }, base: { mib: number }, target = true) =>
      row(label, big.mib, 'MiB', {
        reference: base.mib,
        referenceLabel: '1 MB file',
        ...(target ? { target: 'ratio ≤ 1.10', ok: big.mib / base.mib <= 1.1 } : {}),
      });
    rows.push(
      rssRow('peak RSS signing 64 MB', sign64, sign1),
      rssRow(`peak RSS verifying 64 MB (2 signatures, verdict ${verify64.detail})`, verify64, verify1),
      row('peak RSS of the child loading the same modules and doing nothing', idle.mib, 'MiB'),
    );
    const popplerSign64 = popplerRss([
      '-nssdir',
      `sql:${f.nssDb}`,
      '-add-signature',
      '-nick',
      NICK,
      large,
      join(f.dir, 'poppler-rss.pdf'),
    ]);
    const popplerVerify64 = popplerRss(['-nssdir', `sql:${f.nssDb}`, signedByBoth.get('64 MB scan') ?? '']);
    if (popplerSign64 !== undefined) rows.push(row('pdfsig peak RSS signing 64 MB', popplerSign64, 'MiB'));
    if (popplerVerify64 !== undefined)
      rows.push(row('pdfsig peak RSS verifying 64 MB', popplerVerify64, 'MiB'));

    const missedVerify = rows.filter((r) => r.label.startsWith('verify ') && r.ok === false);
    notes.push(
      (missedVerify.length > 0
        ? `Verification missed its target here on: ${missedVerify.map((r) => r.label.split(',')[0]).join('; ')}. `
        : '') +
        `Alternated pairs in this run: ${pairs.join('; ')}. ` +
        "The verification files carry two B-B signatures (pdfsig's, then docflow's), each CMS with its " +
        'signer and issuing-CA certificates. docflow reads every CMS, certificate and CRL in place with a ' +
        'small DER reader (lambdas/core/pki/der.ts: no asn1js/pkijs schema matching, no re-encoding; the ' +
        'signatures are checked by node:crypto over the bytes received), parses each certificate once and ' +
        'keeps it in a bounded cache by SHA-256 (CA and TSA certificates repeat in every signature), and ' +
        'remembers imported public keys and chain signature checks (before: ~20-25 ms, 80% of it asn1js/pkijs ' +
        'parsing every certificate twice). What is left (~3 ms on a quiet machine, more under this ' +
        "machine's usual load: see the table) is the file itself: reading the structure, hashing the byte ranges, the " +
        'change analysis, and the two CMS signature checks, which are never cached. The "parse caches ' +
        'emptied" rows repeat each run with nothing remembered from earlier documents (a first document ' +
        'after a cold start, apart from the JIT): about 1 ms more on a quiet machine, within the noise here. ' +
        "pdfsig's time is mostly its process start and NSS initialisation (the floor row). Across repeated " +
        'runs on this shared 2-CPU machine (load average 4-6 from other jobs) the 1-page and 40-page ratios ' +
        'ranged 0.10-0.22 (before: 0.84-1.13); the 64 MB ratio 0.1-0.3 (hashing 64 MB dominates both).',
    );
    notes.push(
      'Times are medians after warm-up runs, docflow and pdfsig run alternately on the same files. docflow runs in-process and ' +
        'warm (as in a Lambda); every pdfsig run is a new process, so its times include start-up and NSS ' +
        'initialisation (the "process floor" row).',
      'Signing excludes KMS: docflow signs with an RSA-2048 key in memory, pdfsig with an RSA-2048 key in its ' +
        'NSS database; both B-B (no timestamp), invisible. In production add one KMS round trip per signature ' +
        '(and one TSA request for B-T); the emulator round trip above is loopback HTTP, real KMS adds network ' +
        'latency (typically a few ms to tens of ms in-region).',
      'Peak RSS: process.resourceUsage().maxRSS of a fresh `tsx bench/rss-child.ts` per measurement (median ' +
        'of 3). The tsx loader itself makes loading @libpdf/core cost ~150 MB more than plain node (measured: ' +
        '~230 MB vs ~75 MB for the import alone), hence the large idle baseline; compare the growth over it.',
      `Files: decisions from test/fixtures/documents.ts; scans from bench/large-pdf.ts (deterministic grey ` +
        `images, classic xref). 64 MB file: ${statSync(large).size} bytes.`,
    );
    return {
      name: 'signing',
      description:
        'PAdES signing and verification vs poppler pdfsig on the same files in the same run; KMS round trip; ' +
        'peak RSS of 64 MB vs 1 MB (issue 3).',
      rows,
      notes,
    };
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
}

export const signingBenchmark: Benchmark = { name: 'signing', run };
