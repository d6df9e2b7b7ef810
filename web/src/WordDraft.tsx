import type { DraftFormat, SourceFile } from '../../lambdas/core/domain/document-files';
import { type MessageKey, useI18n } from './i18n';

/*
 * Word drafts (issue #17): a draft may be a PDF or a Word (.docx) or OpenDocument (.odt) file, which the
 * server converts to the PDF that is reviewed and signed, keeping the Word file as its source.
 */

/** What the file input accepts. */
export const DRAFT_ACCEPT =
  'application/pdf,.pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx,application/vnd.oasis.opendocument.text,.odt';

/** The draft's format from the chosen file, or undefined when it is none of them. */
export function draftFormatOf(file: File): DraftFormat | undefined {
  const name = file.name.toLowerCase();
  if (file.type === 'application/pdf' || name.endsWith('.pdf')) return 'pdf';
  if (name.endsWith('.docx')) return 'docx';
  if (name.endsWith('.odt')) return 'odt';
  return undefined;
}

/** Why the chosen file cannot be a draft, if it cannot. */
export function checkDraftFile(file: File | undefined, maxBytes: number | undefined): MessageKey | undefined {
  if (!file) return 'fileRequired';
  if (!draftFormatOf(file)) return 'wordDraftNotAccepted';
  if (maxBytes !== undefined && file.size > maxBytes) return 'fileTooLarge';
  return undefined;
}

/** On a draft converted from Word: that it was, and which fonts the conversion had to substitute. */
export function SourceFileNotice({ source }: { source: SourceFile | undefined }) {
  const { t } = useI18n();
  if (!source) return null;
  return (
    <>
      <dt>{t('wordSource')}</dt>
      <dd data-source-format={source.format}>
        {t('wordSourceKept', { format: `.${source.format}` })}
        {source.missingFonts.length > 0 ? (
          <span className="alert alert-warning" role="note">
            {t('wordFontsMissing', { fonts: source.missingFonts.join(', ') })}
          </span>
        ) : null}
      </dd>
    </>
  );
}
