import type { EvidencePackage } from '../core/audit/evidence-package';
import type { StoredLogItem } from '../core/audit/stored-log';

/*
 * What audits read and write beyond the documents and files ports: the circulation log as stored (the
 * bytes the hashes were computed over), and where a large evidence package is left for download.
 * Implemented over DynamoDB and S3 in adapters/stored-log.ts and adapters/evidence-store.ts.
 */

export interface StoredLog {
  /** A document's log items exactly as stored, in storage order (consistent read). */
  read(documentId: string): Promise<StoredLogItem[]>;
}

export interface EvidenceStore {
  /** Keeps a package for a short while; a short-lived URL to download it. */
  publish(documentId: string, pkg: EvidencePackage): Promise<string>;
}
