import { type DragEvent, useId, useMemo, useState } from 'react';
import * as z from 'zod';
import { UploadTargetSchema } from '../../../lambdas/contracts/documents';
import { type PublicCheckResult, PublicCheckResultSchema } from '../../../lambdas/contracts/public-check';
import type { Language } from '../../../lambdas/core/i18n/catalogue';
import { MAX_VERIFIED_PDF_BYTES } from '../../../lambdas/core/limits';
import { formatDate, formatDateTime } from '../format';
import { labels } from '../i18n';
import { publicTranslator } from './texts';

/*
 * The public verification page (verify.html): no sign-in. The file goes by presigned POST to the intake
 * bucket, is checked by POST /api/public/checks/{id} and deleted there; the answer is read with the API's
 * own zod contract. `?id=` (from the QR code of an issued document) is compared with the file.
 */

const StartedSchema = z.object({ id: z.string(), upload: UploadTargetSchema });
const ErrorSchema = z.object({ error: z.object({ message: z.string() }) });
const MAX_MB = Math.floor(MAX_VERIFIED_PDF_BYTES / 2 ** 20);

type Phase =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'done'; result: PublicCheckResult }
  | { kind: 'error'; message: string };

class Refused extends Error {}

async function call(path: string, language: Language, body: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Refused(publicTranslator(language)('networkFailed'));
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = ErrorSchema.safeParse(json);
    throw new Refused(
      publicTranslator(language)('failed', {
        message: error.success ? error.data.error.message : String(response.status),
      }),
    );
  }
  return json;
}

async function checkFile(file: File, documentId: string | undefined, language: Language) {
  const started = StartedSchema.parse(await call('/api/public/checks', language, {}));
  // A presigned POST: the policy's fields in order, the file last.
  const form = new FormData();
  for (const [name, value] of Object.entries(started.upload.fields)) form.append(name, value);
  form.append('file', file);
  const put = await fetch(started.upload.url, { method: 'POST', body: form }).catch(() => undefined);
  if (!put?.ok) throw new Refused(publicTranslator(language)('networkFailed'));
  const body = documentId ? { documentId } : {};
  return PublicCheckResultSchema.parse(await call(`/api/public/checks/${started.id}`, language, body));
}

export function PublicVerifyPage({
  language,
  setLanguage,
  documentId,
}: {
  language: Language;
  setLanguage: (language: Language) => void;
  documentId: string | undefined;
}) {
  const t = useMemo(() => publicTranslator(language), [language]);
  const l = useMemo(() => labels(language), [language]);
  const locale = language === 'vi' ? 'vi-VN' : 'en-GB';
  const inputId = useId();
  const [file, setFile] = useState<File | undefined>();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);

  const choose = (chosen: File | undefined) => {
    setFile(chosen);
    setPhase({ kind: 'idle' });
  };
  const run = async () => {
    if (!file) return;
    const isPdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
    if (!isPdf) return setPhase({ kind: 'error', message: t('notPdf') });
    if (file.size > MAX_VERIFIED_PDF_BYTES)
      return setPhase({ kind: 'error', message: t('tooLarge', { size: MAX_MB }) });
    setPhase({ kind: 'checking' });
    try {
      setPhase({ kind: 'done', result: await checkFile(file, documentId, language) });
    } catch (error) {
      setPhase({
        kind: 'error',
        message: error instanceof Refused ? error.message : t('failed', { message: String(error) }),
      });
    }
  };
  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  };
  const other: Language = language === 'vi' ? 'en' : 'vi';

  return (
    <div className="signin">
      <header className="signin-header">
        <div className="brand">
          <span className="brand-name">docflow</span>
          <span className="brand-tagline">{t('tagline')}</span>
        </div>
        <button
          type="button"
          className="button button-ghost lang-switch"
          onClick={() => setLanguage(other)}
          lang={other}
        >
          {other === 'en' ? 'English' : 'Tiếng Việt'}
        </button>
      </header>
      <main id="main" className="signin-main public-verify">
        <h1>{t('title')}</h1>
        <p className="lead">{t('intro')}</p>
        <p className="muted">{t('privacy')}</p>
        {documentId ? <p className="alert alert-info">{t('comparingWith', { id: documentId })}</p> : null}
        <form
          className={`panel drop-zone${dragging ? ' drop-zone-active' : ''}`}
          aria-label={t('title')}
          onSubmit={(event) => {
            event.preventDefault();
            void run();
          }}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <div className="field">
            <label htmlFor={inputId}>{t('fileLabel')}</label>
            <div className="file-input">
              <input
                id={inputId}
                type="file"
                accept="application/pdf,.pdf"
                aria-describedby={`${inputId}-hint`}
                onChange={(event) => choose(event.target.files?.[0])}
              />
              <span className="button button-secondary file-button" aria-hidden="true">
                {t('chooseFile')}
              </span>
              <span className="file-name" aria-hidden="true">
                {file?.name ?? t('noFileChosen')}
              </span>
            </div>
            <p className="hint" id={`${inputId}-hint`}>
              {t('fileHint', { size: MAX_MB })} {t('dropHere')}
            </p>
          </div>
          <button
            type="submit"
            className="button button-primary"
            disabled={!file || phase.kind === 'checking'}
          >
            {phase.kind === 'checking' ? t('checking') : t('check')}
          </button>
        </form>
        <div aria-live="polite">
          {phase.kind === 'error' ? (
            <p className="alert alert-error" role="alert">
              {phase.message}
            </p>
          ) : null}
          {phase.kind === 'done' ? (
            <Result result={phase.result} documentId={documentId} t={t} l={l} locale={locale} />
          ) : null}
        </div>
      </main>
    </div>
  );
}

function Result({
  result,
  documentId,
  t,
  l,
  locale,
}: {
  result: PublicCheckResult;
  documentId: string | undefined;
  t: ReturnType<typeof publicTranslator>;
  l: ReturnType<typeof labels>;
  locale: string;
}) {
  const good = result.verdict === 'valid' && result.registered !== null;
  const registered = result.registered;
  return (
    <section className="panel public-result" aria-labelledby="result-title">
      <h2 id="result-title">{t('resultTitle')}</h2>
      <p className={`alert ${good ? 'alert-success' : 'alert-error'}`} data-verdict={result.verdict}>
        {/* The report's summary is not shown: it gives times in UTC; each signature's time is below. */}
        <strong>{t(`verdict_${result.verdict}`)}</strong>
      </p>
      <h3>{t('registeredTitle')}</h3>
      {registered ? (
        <>
          <p className="alert alert-success" data-registered="yes">
            {t('registeredYes', { organisation: registered.organisation })}
          </p>
          <dl className="public-facts">
            <dt>{t('number')}</dt>
            <dd>{registered.symbol ?? registered.number}</dd>
            <dt>{t('issuedOn')}</dt>
            <dd>{registered.issuedOn ? formatDate(registered.issuedOn, locale) : t('unknown')}</dd>
            <dt>{t('docType')}</dt>
            <dd>{l.docType(registered.docType)}</dd>
          </dl>
        </>
      ) : (
        <p className="alert alert-error" data-registered="no">
          {t('registeredNo')}
        </p>
      )}
      {documentId && result.idCheck ? (
        <p
          className={`alert ${result.idCheck === 'matches' ? 'alert-success' : 'alert-error'}`}
          data-id-check={result.idCheck}
        >
          {t(result.idCheck === 'matches' ? 'idMatches' : 'idDiffers', { id: documentId })}
        </p>
      ) : null}
      <h3>{t('signaturesTitle')}</h3>
      <ul className="public-signatures">
        {result.signatures.map((signature, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: signatures are in file order and never reorder
          <li key={index} className="panel" data-kind={signature.kind} data-verdict={signature.verdict}>
            <p>
              <strong>{t(`kind_${signature.kind}`)}</strong>{' '}
              <span
                className={`badge ${signature.verdict === 'valid' && signature.trusted ? 'badge-success' : 'badge-danger'}`}
              >
                {signature.verdict === 'valid'
                  ? t('sigValid')
                  : signature.verdict === 'modified'
                    ? t('sigModified')
                    : t('sigInvalid')}
              </span>
            </p>
            {!signature.trusted ? <p className="alert alert-warning">{t('untrusted')}</p> : null}
            <dl className="public-facts">
              <dt>{t('signer')}</dt>
              <dd>{signature.signer ?? t('unknown')}</dd>
              {signature.title ? (
                <>
                  <dt>{t('position')}</dt>
                  <dd>{signature.title}</dd>
                </>
              ) : null}
              {signature.organisation ? (
                <>
                  <dt>{t('organisation')}</dt>
                  <dd>{signature.organisation}</dd>
                </>
              ) : null}
              {signature.capacity ? (
                <>
                  <dt>{t('capacity')}</dt>
                  <dd>{capacityText(signature.capacity, t)}</dd>
                </>
              ) : null}
              <dt>{t('signedAt')}</dt>
              <dd>
                {formatDateTime(signature.signedAt, locale)}
                {signature.timestamped ? ` ${t('timestamped')}` : ''}
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** KT., TM., TL., TUQ., Q. as words; a capacity docflow does not know is shown as written. */
function capacityText(capacity: string, t: ReturnType<typeof publicTranslator>): string {
  const kind = /^(KT|TM|TL|TUQ|Q)\./.exec(capacity)?.[1];
  return kind ? t(`capacity_${kind}` as Parameters<typeof t>[0]) : capacity;
}
