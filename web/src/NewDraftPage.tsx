import { useState } from 'react';
import { type CreatedDocument, documentContracts } from '../../lambdas/contracts/documents';
import type { Classification } from '../../lambdas/core/domain/document-files';
import { Progress, uploadDraft } from './ActionForms';
import { type AmendmentChoice, AmendmentField } from './Amendments';
import { post } from './api';
import { ClassificationField } from './ClassificationField';
import { DOC_TYPES, URGENCIES, useI18n } from './i18n';
import { CoIssuersField } from './JointIssuers';
import { href, navigate } from './router';
import { useIdempotencyKey, useSession } from './session';
import { ErrorMessage, Field, FileInput } from './ui';
import { checkDraftFile, DRAFT_ACCEPT, draftFormatOf } from './WordDraft';

/**
 * A new draft: subject, type and urgency, then its PDF. Creating the draft and uploading its file are two
 * steps; if the upload fails, trying again uploads to the draft already created instead of starting another.
 */
export function NewDraftPage() {
  const { t, language } = useI18n();
  const session = useSession();
  const createKey = useIdempotencyKey();
  const contentKey = useIdempotencyKey();
  const [title, setTitle] = useState('');
  const [docType, setDocType] = useState('quyet-dinh');
  const [urgency, setUrgency] = useState('normal');
  const [classification, setClassification] = useState<Classification | ''>('');
  const [amends, setAmends] = useState<AmendmentChoice>();
  const [file, setFile] = useState<File | undefined>();
  const [coIssuers, setCoIssuers] = useState<string[]>([]);
  const [created, setCreated] = useState<
    | (CreatedDocument & {
        readonly fields: { title: string; docType: string; urgency: string; coIssuers: string };
      })
    | undefined
  >();
  const [progress, setProgress] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const names = (pair: { readonly vi: string; readonly en: string }) => pair[language];

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!title.trim()) {
      setError(new Error(t('subjectRequired')));
      return;
    }
    if (!classification) {
      setError(new Error(t('classificationRequired')));
      return;
    }
    const problem = checkDraftFile(file, created?.upload.maxBytes);
    if (problem || !file) {
      setError(new Error(t(problem ?? 'fileRequired')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // The fields stay open after a failed upload (issue 18): changed, they make a new draft; unchanged, the
      // file goes to the draft already made.
      let draft: CreatedDocument | undefined =
        created &&
        created.fields.title === title &&
        created.fields.docType === docType &&
        created.fields.urgency === urgency &&
        created.fields.coIssuers === coIssuers.join()
          ? created
          : undefined;
      if (!draft) {
        draft = await post(
          '/api/documents',
          {
            title,
            docType,
            urgency,
            classification,
            format: draftFormatOf(file),
            ...(coIssuers.length > 0 ? { coIssuers } : {}),
            ...(amends ? { [amends.kind]: amends.documentId } : {}),
          },
          documentContracts['POST /api/documents'].response,
          createKey.key(),
        );
        createKey.settle();
        setCreated({ ...draft, fields: { title, docType, urgency, coIssuers: coIssuers.join() } });
      }
      await uploadDraft(draft.id, draft.upload, file, setProgress, contentKey.key());
      contentKey.settle();
      session.refreshCounts();
      navigate({ page: 'document', id: draft.id });
    } catch (e) {
      createKey.settle(e);
      contentKey.settle(e);
      setError(e);
      setProgress(undefined);
      setBusy(false);
    }
  };

  return (
    <section className="new-draft-page" aria-labelledby="new-heading">
      <div className="page-head">
        <h1 id="new-heading">{t('draftTitle')}</h1>
      </div>
      <form className="panel form-panel" onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('draftSubject')} hint={t('draftSubjectHint')}>
          {(p) => (
            <textarea
              {...p}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              rows={3}
              maxLength={500}
              required
            />
          )}
        </Field>
        <div className="two-columns">
          <Field label={t('draftType')}>
            {(p) => (
              <select {...p} value={docType} onChange={(e) => setDocType(e.target.value)}>
                {Object.entries(DOC_TYPES).map(([id, pair]) => (
                  <option key={id} value={id}>
                    {names(pair)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('draftUrgency')}>
            {(p) => (
              <select {...p} value={urgency} onChange={(e) => setUrgency(e.target.value)}>
                {Object.entries(URGENCIES)
                  .filter(([id]) => id !== 'flash-timed')
                  .map(([id, pair]) => (
                    <option key={id} value={id}>
                      {names(pair)}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        </div>
        <CoIssuersField value={coIssuers} onChange={setCoIssuers} />
        <ClassificationField
          value={classification}
          onChange={setClassification}
          disabled={created !== undefined}
        />
        <AmendmentField value={amends} onChange={setAmends} disabled={created !== undefined} />
        <FileInput
          label={t('draftFile')}
          hint={t('wordDraftFileHint')}
          accept={DRAFT_ACCEPT}
          onChange={setFile}
        />
        <Progress fraction={progress} />
        <ErrorMessage error={error} />
        {created && error ? (
          <p className="alert alert-info" data-testid="draft-kept">
            {t('wdDraftKept')} <a href={href({ page: 'document', id: created.id })}>{t('wdDraftKeptOpen')}</a>
          </p>
        ) : null}
        <div className="form-buttons">
          <button type="submit" className="button button-primary" disabled={busy} data-submit="true">
            {busy ? t('working') : t('draftCreate')}
          </button>
        </div>
      </form>
    </section>
  );
}
