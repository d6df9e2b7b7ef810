import { dynamoDirectory } from '../adapters/directory-store';
import { dynamoDocumentRepository, dynamoLeases } from '../adapters/document-store';
import { s3DocumentFiles } from '../adapters/file-store';
import { idempotencyStore } from '../adapters/idempotency-store';
import type { ApiHandlerOptions } from '../http/api';
import type { CirculationPorts } from '../use-cases/context';

/*
 * The composition root: the ports the use cases run on in AWS (and on a laptop, against the local
 * services). The PDF and key side (adapters/document-signing.ts) is wired in the `signing` handler only, so
 * no other function's bundle carries the PDF core.
 */

export const circulationPorts: CirculationPorts = {
  documents: dynamoDocumentRepository,
  leases: dynamoLeases,
  files: s3DocumentFiles,
  directory: dynamoDirectory,
  now: () => new Date(),
};

/** Read-only functions resolve the caller; functions that write also keep idempotency records. */
export const readOptions: ApiHandlerOptions = { directory: dynamoDirectory };
export const writeOptions = (): ApiHandlerOptions => ({
  directory: dynamoDirectory,
  idempotency: idempotencyStore(),
});
