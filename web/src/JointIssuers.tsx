import { useMemo } from 'react';
import type { DocumentView } from '../../lambdas/contracts/documents';
import { useI18n } from './i18n';
import { jointTranslator } from './joint-texts';
import { OrgPicker } from './OrgPicker';
import { useSession } from './session';

/*
 * Joint documents (văn bản liên tịch): the new-draft form names the co-issuing organisations, and the
 * document page lists every issuer, the lead first, with whose leader has signed and whose clerk has sealed.
 */

export function useJointTexts() {
  const { language } = useI18n();
  return useMemo(() => jointTranslator(language), [language]);
}

/** The co-issuers of a new draft, in the order chosen (the order they sign and seal in). */
export function CoIssuersField({
  value,
  onChange,
}: {
  value: readonly string[];
  onChange: (value: string[]) => void;
}) {
  const t = useJointTexts();
  // Folded: most drafts have one issuer, and the 141 organisations' names would otherwise fill the form.
  return (
    <details className="co-issuers" data-testid="co-issuers" open={value.length > 0 || undefined}>
      <summary>{t('coIssuersSummary')}</summary>
      <OrgPicker value={value} onChange={onChange} groups={false} legend={t('coIssuersLegend')} />
      <p className="hint">{t('coIssuersHint')}</p>
    </details>
  );
}

/** The issuers of a joint document and where each stands: signed (by whom), sealed. */
export function JointIssuersPanel({ view }: { view: DocumentView }) {
  const t = useJointTexts();
  const { orgName } = useSession();
  const issuers = view.issuers;
  if (!issuers || issuers.length < 2) return null;
  const personal = view.signatures.filter((s) => s.kind === 'person');
  const seals = view.signatures.filter((s) => s.kind === 'organisation');
  return (
    <section className="panel" aria-labelledby="joint-heading" data-testid="joint-issuers">
      <h2 id="joint-heading" className="panel-title">
        {t('issuersTitle')}
      </h2>
      <ol className="joint-issuers">
        {issuers.map((orgId, index) => {
          const signature = personal[index];
          const sealed = seals.some((s) => s.kind === 'organisation' && s.orgId === orgId);
          return (
            <li key={orgId} data-org={orgId}>
              <strong>{orgName(orgId)}</strong>
              {index === 0 ? <span className="muted"> ({t('lead')})</span> : null}
              <div className="muted">
                {signature?.kind === 'person'
                  ? t('signedBy', { name: signature.signerName })
                  : t('notSigned')}
                {' · '}
                {sealed ? t('sealed') : t('notSealed')}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
