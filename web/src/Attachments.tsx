import { type FormEvent, useState } from 'react';
import { type DocumentView, documentContracts } from '../../lambdas/contracts/documents';
import { del, post, uploadFile } from './api';
import { FileDownload } from './FileDownload';
import { useI18n } from './i18n';
import { useSession } from './session';
import { Badge, ErrorMessage } from './ui';

/*
 * Attachments in files of their own (phụ lục, văn bản kèm theo; D30 Appendix I, issue #17): the drafter
 * attaches files to the draft, each with its title; everyone who sees the document lists and downloads them,
 * recipients the sealed ones, with the detached seal signature (.p7s) of a file that is not a PDF.
 */

type Attachment = NonNullable<DocumentView['attachments']>[number];

const path = (view: DocumentView, suffix = '') =>
  `/api/documents/${encodeURIComponent(view.id)}/attachments${suffix}`;

export function AttachmentsPanel({ view, onChanged }: { view: DocumentView; onChanged: () => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const attachments = view.attachments ?? [];
  const editable = view.document?.state === 'DRAFT' && view.document.drafterId === me.id;
  if (attachments.length === 0 && !editable) return null;
  return (
    <section className="panel" aria-labelledby="attachments-heading" data-testid="attachments">
      <h2 id="attachments-heading" className="panel-title">
        {t('attTitle')}
      </h2>
      {attachments.length === 0 ? <p className="empty">{t('attNone')}</p> : null}
      <ul className="attachment-list">
        {attachments.map((a) => (
          <AttachmentItem key={a.id} view={view} attachment={a} editable={editable} onChanged={onChanged} />
        ))}
      </ul>
      {editable ? <AddAttachment view={view} onAdded={onChanged} /> : null}
    </section>
  );
}

function AttachmentItem({
  view,
  attachment: a,
  editable,
  onChanged,
}: {
  view: DocumentView;
  attachment: Attachment;
  editable: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await del(
        path(view, `/${a.id}`),
        documentContracts['DELETE /api/documents/{id}/attachments/{attachmentId}'].response,
      );
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="attachment" data-attachment={a.id}>
      <p>
        <strong>{a.title}</strong> {a.sealedSha256 ? <Badge tone="success">{t('attSealed')}</Badge> : null}
      </p>
      <p className="hint">
        {a.fileName} · {t('attSize', { kb: Math.max(1, Math.round(a.size / 1024)) })}
        {a.format === 'file' ? ` · ${t(a.signatureSha256 ? 'attP7sHint' : 'attP7sLater')}` : ''}
      </p>
      <div className="attachment-actions">
        <FileDownload
          path={path(view, `/${a.id}/file?redirect=false`)}
          fileName={a.fileName}
          label={t('attDownload')}
          testId={`attachment-download-${a.id}`}
        />
        {a.signatureSha256 ? (
          <FileDownload
            path={path(view, `/${a.id}/file?part=signature&redirect=false`)}
            fileName={`${a.fileName}.p7s`}
            label={t('attDownloadSignature')}
            testId={`attachment-signature-${a.id}`}
          />
        ) : null}
        {editable ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void remove()}
            disabled={busy}
          >
            {t('attRemove')}
          </button>
        ) : null}
      </div>
      <ErrorMessage error={error} onRetry={() => void remove()} />
    </li>
  );
}

function AddAttachment({ view, onAdded }: { view: DocumentView; onAdded: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [error, setError] = useState<unknown>();
  const [invalid, setInvalid] = useState<string | undefined>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return setInvalid(t('attTitleRequired'));
    if (!file) return setInvalid(t('attFileRequired'));
    setInvalid(undefined);
    setError(undefined);
    setProgress(0);
    try {
      const body = { fileName: file.name, mediaType: file.type || 'application/octet-stream' };
      const started = await post(
        path(view, '/uploads'),
        body,
        documentContracts['POST /api/documents/{id}/attachments/uploads'].response,
        crypto.randomUUID(),
      );
      await uploadFile(started.upload, file, setProgress);
      await post(
        path(view),
        { ...body, uploadId: started.uploadId, title: title.trim() },
        documentContracts['POST /api/documents/{id}/attachments'].response,
        crypto.randomUUID(),
      );
      setTitle('');
      setFile(undefined);
      onAdded();
    } catch (e) {
      setError(e);
    } finally {
      setProgress(undefined);
    }
  };
  return (
    <form className="attachment-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('attAdd')}</h3>
      <label>
        {t('attTitleLabel')}
        <input
          name="attachment-title"
          value={title}
          maxLength={500}
          placeholder={t('attTitlePlaceholder')}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label>
        {t('attFileLabel')}
        <input
          name="attachment-file"
          type="file"
          onChange={(e) => setFile(e.target.files?.[0] ?? undefined)}
        />
      </label>
      <p className="hint">{t('attFileHint')}</p>
      {invalid ? (
        <p className="alert alert-danger" role="alert">
          {invalid}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={progress !== undefined}>
        {progress !== undefined ? t('attUploading', { percent: Math.round(progress * 100) }) : t('attAttach')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
