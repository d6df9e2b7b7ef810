import { classificationError, classificationText } from '../i18n/classification';
import type { Classification } from './document-files';

/*
 * The refusal of secret documents, apart from the document-files model so that only the function that starts
 * drafts carries its text (`signing` is near its 1 MiB budget).
 */

/** The levels' names as the law and the document's stamp write them. */
const classificationName = (level: Exclude<Classification, 'none'>) =>
  level === 'secret'
    ? classificationText('classification_secret')
    : level === 'top-secret'
      ? classificationText('classification_top_secret')
      : classificationText('classification_most_secret');

/**
 * Documents containing state secrets are handled under the state-secrets law on systems approved for it,
 * not here (Decree 30 Art.8 leaves them out of ordinary electronic circulation): refused before anything
 * of them is stored or an upload is offered.
 */
export function assertNotSecret(classification: Classification): void {
  if (classification !== 'none')
    throw classificationError('document_secret_refused', 422, { level: classificationName(classification) });
}
