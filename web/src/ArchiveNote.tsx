import type { DocumentView } from '../../lambdas/contracts/documents';
import { formatDateTime } from './format';
import { useI18n } from './i18n';

/** An archived document's evidence: when its archive timestamp was made, until when it holds, its renewal. */
export function ArchiveNote({ view }: { view: DocumentView }) {
  const { t, locale } = useI18n();
  const stamp = view.document?.state === 'ARCHIVED' ? view.document.archiveTimestamp : undefined;
  if (!stamp) return null;
  return (
    <p className="alert alert-info" data-archive-evidence={stamp.holdsUntil}>
      {t('archivedEvidence', {
        time: formatDateTime(stamp.time, locale),
        until: formatDateTime(stamp.holdsUntil, locale),
        renewBy: formatDateTime(stamp.renewBy, locale),
      })}
    </p>
  );
}
