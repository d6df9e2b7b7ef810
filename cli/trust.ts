import { readFile } from 'node:fs/promises';
import { pemDecodeAll } from '../lambdas/core/pki/asn1';
import { TrustStore } from '../lambdas/core/pki/trust';
import { UsageError } from './common';

export async function loadTrust(paths: readonly string[]): Promise<TrustStore> {
  const pems = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
  const store = TrustStore.fromPem(...pems);
  if (paths.length > 0 && store.anchors.length === 0)
    throw new UsageError(`no certificate in ${paths.join(', ')}`);
  return store;
}

export async function loadCrls(paths: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const path of paths) {
    const bytes = new Uint8Array(await readFile(path));
    const text = Buffer.from(bytes).toString('latin1');
    out.push(...(text.includes('-----BEGIN X509 CRL-----') ? pemDecodeAll(text, 'X509 CRL') : [bytes]));
  }
  return out;
}
