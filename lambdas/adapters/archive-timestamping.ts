import { checkSignedSize, MAX_SIGNED_PDF_BYTES } from '../core/limits';
import { archiveTimestampPdf } from '../core/pdf/archive';
import { resourceName, tables } from '../deployment/resources';
import type { ArchiveRenewals, ArchiveTimestamping, DueRenewal } from '../ports/archiving';
import { documentClient } from './aws-clients';
import { crlsFor, rootCertificate, timestampAuthority } from './city-pki';
import { DeleteCommand, PutCommand, QueryCommand } from './sdk-commands';

/**
 * Archive timestamps with the city TSA's key in KMS: the CRLs as of now for the city's chains and the TSA's
 * (crlsFor), the root certificate beside them, so that the file verifies offline with nothing else.
 */
export const cityArchiveTimestamping: ArchiveTimestamping = {
  async timestamp(pdf) {
    const tsa = await timestampAuthority();
    const [crls, root] = await Promise.all([crlsFor([tsa.certificate]), rootCertificate()]);
    const archived = await archiveTimestampPdf({
      pdf,
      timestamp: (imprint) => tsa.timestamp(imprint),
      crls,
      certificates: [root],
      maxBytes: MAX_SIGNED_PDF_BYTES,
    });
    return { ...archived, pdf: checkSignedSize(archived.pdf) };
  },
};

const views = () => resourceName(tables.views);
const PK = 'ARCHIVE-RENEWAL';
const sortKey = (r: DueRenewal) => `${r.renewBy}#${r.documentId}`;

/** The renewal schedule: one views-table partition sorted by when (a query, not a scan, finds what is due). */
export const dynamoArchiveRenewals: ArchiveRenewals = {
  async due(until, limit) {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: views(),
        KeyConditionExpression: 'pk = :pk AND sk <= :until',
        // '~' sorts after every document id character: everything due at `until` itself is included.
        ExpressionAttributeValues: { ':pk': PK, ':until': `${until}#~` },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => ({
      documentId: String(item.documentId),
      renewBy: String(item.renewBy),
    }));
  },
  async schedule(renewal) {
    await documentClient().send(
      new PutCommand({ TableName: views(), Item: { pk: PK, sk: sortKey(renewal), ...renewal } }),
    );
  },
  async recordFile(file) {
    // As the register entry writes it (adapters/document-store.ts): a hash names one file only.
    await documentClient().send(
      new PutCommand({
        TableName: views(),
        Item: { pk: `ISSUED#${file.sha256}`, sk: 'ISSUED', documentId: file.documentId, orgId: file.orgId },
      }),
    );
  },
  async forget(renewal) {
    await documentClient().send(
      new DeleteCommand({ TableName: views(), Key: { pk: PK, sk: sortKey(renewal) } }),
    );
  },
};
