import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InMemorySigner } from '../lambdas/core/crypto/in-memory-signer';
import { signPdfFile } from '../lambdas/core/pdf/sign';
import { verifyPdf } from '../lambdas/core/pdf/verify';
import { TrustStore } from '../lambdas/core/pki/trust';

/*
 * One operation in a fresh process, then its peak RSS on stdout as JSON (`bench/signing.ts` spawns it with
 * tsx, so one measurement never inherits another's heap). Every operation imports the same modules, so
 * `idle` is the baseline the others add to.
 *
 *   tsx bench/rss-child.ts <idle|sign|verify> <material.json> [input] [output]
 */

export interface RssMaterial {
  /** PKCS#8 PEM of an RSA key, its certificate chain (base64 DER, leaf first) and the trusted root. */
  readonly privateKeyPem: string;
  readonly chain: readonly string[];
  readonly root: string;
}

const MAX_BYTES = 1024 * 1024 * 1024;
const [op = 'idle', materialPath = '', input = '', output = ''] = process.argv.slice(2);
const material = JSON.parse(readFileSync(materialPath, 'utf8')) as RssMaterial;
const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
let detail = '';
if (op === 'sign') {
  const signer = new InMemorySigner(
    'bench',
    'RSASSA_PKCS1_V1_5_SHA_256',
    createPrivateKey(material.privateKeyPem),
  );
  const result = await signPdfFile({
    input,
    output,
    signer,
    certificateChain: material.chain.map(der),
    revocation: 'checked-by-caller',
    reason: 'Ký số (benchmark)',
    signingTime: new Date(),
    maxBytes: MAX_BYTES,
  });
  detail = `${result.size} bytes`;
} else if (op === 'verify') {
  const report = await verifyPdf(input, { trust: new TrustStore([der(material.root)]), maxBytes: MAX_BYTES });
  detail = report.verdict;
}
process.stdout.write(`${JSON.stringify({ op, maxRssKiB: process.resourceUsage().maxRSS, detail })}\n`);
