import { readFileSync } from 'node:fs';
import { agencyCodeOf } from '../../lambdas/core/exchange/agency-codes';
import { buildPackage } from '../../lambdas/core/exchange/build';
import { packageHeaderOf } from '../../lambdas/core/exchange/from-document';
import type { Organization, PackageHeaderInput } from '../../lambdas/core/exchange/model';
import { schemaCheck } from '../../lambdas/core/exchange/validate';
import { directory, NOW, sentDocument } from '../unit/domain-fixtures';

/** Packages for tests: the schema check, a city decision's header, its files in chunks. */

export const edxmlCheck = schemaCheck(
  readFileSync(new URL('../../lambdas/core/exchange/qcvn-102-2016.xsd', import.meta.url), 'utf8'),
);
export const MINISTRY: Organization = { organId: '000.00.00.G22', organName: 'Bộ Nội vụ' };
export const testPdf = new Uint8Array(200_003).map((_, i) => (i * 7919) % 256);
export const testAppendix = new TextEncoder().encode('%PDF-1.7 phụ lục');

export async function* chunked(bytes: Uint8Array, size = 8191): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/** The header of the city's decision 01/QĐ-UBND to the ministry, with the decision and an appendix. */
export function decisionHeader(recipients: readonly Organization[] = [MINISTRY]): PackageHeaderInput {
  const { doc } = sentDocument();
  const city = directory.city;
  return packageHeaderOf({
    document: { ...doc, dueDate: '2026-01-20', pageCount: 2 },
    issuer: city,
    issuerCode: agencyCodeOf(directory, city),
    recipients,
    attachments: [
      { contentId: 'document', contentType: 'application/pdf', attachmentName: '01-QD-UBND.pdf' },
      { contentId: 'appendix-1', contentType: 'application/pdf', attachmentName: 'phu-luc.pdf' },
    ],
    now: NOW,
  });
}

export const decisionContents = (id: string) => chunked(id === 'document' ? testPdf : testAppendix);
export const decisionPackage = (header = decisionHeader()) => buildPackage(header, decisionContents);
