import { OverdueListSchema } from '../../../lambdas/contracts/notifications';
import { formatDate } from '../format';
import { useI18n } from '../i18n';
import { href } from '../router';
import { useGet } from '../session';
import { ErrorMessage, Loading } from '../ui';
import { overdueMessages as m } from './overdue-texts';

/**
 * The overdue view of the person's organisation (issue 16): what is past its handling deadline, with whom,
 * by how many working days, most overdue first; read again when the live inbox says something changed.
 */
export function OverduePage() {
  const { language, locale, l } = useI18n();
  const t = (code: Parameters<typeof m.render>[0], params?: Record<string, string | number>) =>
    m.render(code, language, params);
  const list = useGet('/api/overdue', OverdueListSchema);
  return (
    <section className="folder overdue" aria-labelledby="overdue-heading">
      <div className="page-head">
        <h1 id="overdue-heading" tabIndex={-1}>
          {t('title')}
        </h1>
        {list.status === 'ready' ? (
          <p className="page-sub">{t('count', { count: list.value.items.length })}</p>
        ) : null}
      </div>
      <p>{t('intro')}</p>
      {list.status === 'loading' ? <Loading /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      {list.status === 'ready' ? (
        list.value.items.length === 0 ? (
          <p className="empty">{t('empty')}</p>
        ) : (
          <table className="registers-table overdue-table">
            <thead>
              <tr>
                <th scope="col">{t('col_symbol')}</th>
                <th scope="col">{t('col_subject')}</th>
                <th scope="col">{t('col_handler')}</th>
                <th scope="col">{t('col_assignedBy')}</th>
                <th scope="col">{t('col_deadline')}</th>
                <th scope="col">{t('col_overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {list.value.items.map((item) => (
                <tr key={item.documentId} data-document={item.documentId} data-urgency={item.urgency}>
                  <td>
                    <a href={href({ page: 'document', id: item.documentId })}>{item.symbol}</a>
                  </td>
                  <td>
                    {item.urgency !== 'normal' ? <strong>{l.urgency(item.urgency)} · </strong> : null}
                    {item.subject}
                  </td>
                  <td>
                    {item.handler
                      ? item.handler.kind === 'unit'
                        ? t('unit', { code: item.handler.name })
                        : item.handler.name
                      : t('none')}
                  </td>
                  <td>{item.assignedBy?.name ?? t('none')}</td>
                  <td>{formatDate(item.deadline, locale)}</td>
                  <td data-overdue-days={item.overdueDays}>{t('days', { count: item.overdueDays })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
