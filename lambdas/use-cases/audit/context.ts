import type { EvidenceStore, StoredLog } from '../../ports/audit';
import type { DocumentRepository } from '../../ports/documents';
import type { AuditFiles } from '../../ports/files';
import type { TrustMaterial } from '../../ports/pki';
import type { TransparencyPorts } from './transparency';

/**
 * What the audit use cases run on: documents and registers as stored (read only), the log as stored, the
 * archived versions and files brought to verify, the trust material, the transparency log and its key, and
 * where large evidence packages go. Audits never change a document; reading may sequence events the
 * transparency log had not recorded yet (idempotent).
 */
export interface AuditPorts extends TransparencyPorts {
  readonly documents: Pick<DocumentRepository, 'read' | 'readRegister'>;
  readonly log: StoredLog;
  readonly files: AuditFiles;
  readonly trust: TrustMaterial;
  readonly evidence: EvidenceStore;
}
