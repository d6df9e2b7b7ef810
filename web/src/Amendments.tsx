import { useState } from 'react';
import { type DocumentView, documentContracts } from '../../lambdas/contracts/documents';
import { formatDateTime } from './format';
import { useI18n } from './i18n';
import { href } from './router';
import { useGet } from './session';
import { Field } from './ui';

/*
 * Replacement (thay thế) and correction (đính chính), D30: the document page says what a document replaces or
 * corrects and what replaced or corrected it, each with a link; the new draft form lets the drafter name the
 * issued document of the organisation that the draft replaces or corrects.
 */

/** What this document replaces or corrects, and what replaced or corrected it. */
export function AmendmentNote({ view }: { view: DocumentView }) {
  const { t, locale } = useI18n();
  if (!view.amends && !view.amendedBy?.length) return null;
  return (
    <div className="alert alert-info" data-amendments="true">
      {view.amends ? (
        <p data-amends={view.amends.kind}>
          {t(view.amends.kind === 'replaces' ? 'amReplaces' : 'amCorrects')}{' '}
          <a href={href({ page: 'document', id: view.amends.documentId })}>{view.amends.symbol}</a>
        </p>
      ) : null}
      {(view.amendedBy ?? []).map((a) => (
        <p key={a.documentId} data-amended-by={a.kind}>
          {t(a.kind === 'replaces' ? 'amReplacedBy' : 'amCorrectedBy')}{' '}
          <a href={href({ page: 'document', id: a.documentId })}>{a.symbol ?? a.documentId}</a>{' '}
          {t('amAt', { time: formatDateTime(a.at, locale) })}
        </p>
      ))}
    </div>
  );
}

export type AmendmentChoice =
  | { readonly kind: 'replaces' | 'corrects'; readonly documentId: string }
  | undefined;

/** The new draft's choice: none, or replaces/corrects one of the organisation's issued documents. */
export function AmendmentField({
  value,
  onChange,
  disabled,
}: {
  value: AmendmentChoice;
  onChange: (choice: AmendmentChoice) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'' | 'replaces' | 'corrects'>(value?.kind ?? '');
  const issued = useGet(
    kind ? '/api/inbox?folder=outgoing&limit=100' : undefined,
    documentContracts['GET /api/inbox'].response,
  );
  const choices =
    issued.status === 'ready'
      ? issued.value.items.filter((d) => d.symbol && ['ISSUED', 'SENT', 'ARCHIVED'].includes(d.state))
      : [];
  return (
    <div className="two-columns">
      <Field label={t('amKind')} hint={t('amKindHint')}>
        {(p) => (
          <select
            {...p}
            value={kind}
            disabled={disabled}
            onChange={(e) => {
              const next = e.target.value as '' | 'replaces' | 'corrects';
              setKind(next);
              onChange(next && value ? { kind: next, documentId: value.documentId } : undefined);
            }}
          >
            <option value="">{t('amNone')}</option>
            <option value="replaces">{t('amKindReplaces')}</option>
            <option value="corrects">{t('amKindCorrects')}</option>
          </select>
        )}
      </Field>
      {kind ? (
        <Field label={t('amDocument')}>
          {(p) => (
            <select
              {...p}
              value={value?.documentId ?? ''}
              disabled={disabled}
              onChange={(e) => onChange(e.target.value ? { kind, documentId: e.target.value } : undefined)}
            >
              <option value="">{t('amChoose')}</option>
              {choices.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.symbol} — {d.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
    </div>
  );
}
