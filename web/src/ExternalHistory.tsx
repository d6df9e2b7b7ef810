import { useId, useMemo, useState } from 'react';
import { exchangeContracts } from '../../lambdas/contracts/exchange';
import { formatDateTime } from './format';
import { useI18n } from './i18n';
import { externalHistoryTranslator } from './received-texts';
import { useGet } from './session';

/*
 * The sender's history of its external recipients' statuses (national document exchange, issue 20): every
 * status each agency gave, oldest first, in Hà Nội time and in the reader's language (the server names each
 * state). Read when the reader opens it.
 */
export function ExternalHistory({ documentId, version }: { documentId: string; version: number }) {
  const { language, locale } = useI18n();
  const t = useMemo(() => externalHistoryTranslator(language), [language]);
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const answer = useGet(
    open ? `/api/documents/${encodeURIComponent(documentId)}/external-deliveries/history` : undefined,
    exchangeContracts['GET /api/documents/{id}/external-deliveries/history'].response,
    version,
  );
  return (
    <section className="panel external-history" aria-labelledby={headingId}>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary id={headingId}>{t('title')}</summary>
        {!open ? null : answer.status === 'loading' ? (
          <p className="empty">{t('loading')}</p>
        ) : answer.status === 'error' ? (
          <p className="alert alert-warning" role="status">
            {t('failed')}
          </p>
        ) : answer.value.events.length === 0 ? (
          <p className="empty">{t('none')}</p>
        ) : (
          <ol className="external-history-list">
            {answer.value.events.map((e) => (
              <li key={`${e.organId}-${e.at}-${e.state}`}>
                <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> — {e.organName ?? e.organId}:{' '}
                <strong>{e.stateLabel}</strong>
                {e.description ? ` (${e.description})` : ''}
              </li>
            ))}
          </ol>
        )}
      </details>
    </section>
  );
}
