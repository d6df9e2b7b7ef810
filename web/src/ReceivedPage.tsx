import './received.css';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { exchangeContracts } from '../../lambdas/contracts/exchange';
import { ApiError, get, post } from './api';
import { formatBytes, formatDate, formatDateTime } from './format';
import { useI18n } from './i18n';
import {
  confirmKey,
  isoDate,
  needsReason,
  nextSteps,
  type ReceivedDocument,
  type ReceivedStep,
  splitReceived,
  stateKey,
  stateTone,
  stepKey,
} from './received';
import { receivedScreenTranslator } from './received-texts';
import { useGet } from './session';
import { Badge, ErrorMessage, Loading } from './ui';

/*
 * Documents received from other agencies through the national document exchange (issue 20): the clerk
 * takes each one in, assigns, resolves or refuses it; every step is a status message to the sender. The
 * refused packages (unreadable, addressed to no organisation here, refused by the clerk) are kept apart.
 */

type T = ReturnType<typeof receivedScreenTranslator>;

const receivedPath = '/api/exchange/received';

export function ReceivedPage() {
  const { language } = useI18n();
  const t = useMemo(() => receivedScreenTranslator(language), [language]);
  const [items, setItems] = useState<ReceivedDocument[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();

  const load = useCallback(async (signal?: AbortSignal) => {
    setError(undefined);
    try {
      const list = await get(receivedPath, exchangeContracts[`GET ${receivedPath}`].response, signal);
      setItems(list.items);
    } catch (caught) {
      if ((caught as Error).name !== 'AbortError') setError(caught);
    }
  }, []);

  // Reloaded when the language changes: the server's reasons come in the caller's language.
  // biome-ignore lint/correctness/useExhaustiveDependencies: language only triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, language]);

  const { documents, refused } = useMemo(() => splitReceived(items ?? []), [items]);

  const replace = (updated: ReceivedDocument, step: ReceivedStep) => {
    setItems((current) => current?.map((d) => (d.id === updated.id ? updated : d)));
    setNotice(t('done', { what: t(stepKey(step)), code: updated.code || t('thisDocument') }));
  };

  return (
    <section aria-labelledby="received-heading" className="received-page">
      <div className="page-head">
        <h1 id="received-heading">{t('title')}</h1>
        <p className="page-sub">{t('intro')}</p>
      </div>
      <p className="received-notice" role="status">
        {notice ?? ''}
      </p>
      {error ? <ErrorMessage error={error} onRetry={() => void load()} /> : null}
      {items === undefined && !error ? <Loading /> : null}
      {items !== undefined ? (
        <>
          <p className="received-count">{t('count', { count: documents.length })}</p>
          {documents.length === 0 ? (
            <p className="empty">{t('empty')}</p>
          ) : (
            <ul className="received-list" aria-labelledby="received-heading">
              {documents.map((d) => (
                <li key={d.id}>
                  <ReceivedCard document={d} t={t} onDone={replace} />
                </li>
              ))}
            </ul>
          )}
          <h2 id="received-refused-heading">{t('refusedTitle')}</h2>
          <p className="page-sub">{t('refusedIntro')}</p>
          {refused.length === 0 ? (
            <p className="empty">{t('refusedEmpty')}</p>
          ) : (
            <ul className="received-list" aria-labelledby="received-refused-heading">
              {refused.map((d) => (
                <li key={d.id}>
                  <ReceivedCard document={d} t={t} onDone={replace} />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}

function ReceivedCard({
  document: d,
  t,
  onDone,
}: {
  document: ReceivedDocument;
  t: T;
  onDone: (updated: ReceivedDocument, step: ReceivedStep) => void;
}) {
  const { locale } = useI18n();
  const headingId = useId();
  const steps = nextSteps(d.state);
  const [asked, setAsked] = useState<ReceivedStep | undefined>();
  return (
    <article className="panel received-card" aria-labelledby={headingId} data-received={d.id}>
      <h3 id={headingId} className="received-subject">
        {d.subject || t('noSubject')}
      </h3>
      <dl className="received-facts">
        <div>
          <dt>{t('col_sender')}</dt>
          <dd>{d.from ? (d.from.organName ?? d.from.organId) : t('unknownSender')}</dd>
        </div>
        <div>
          <dt>{t('col_code')}</dt>
          <dd>{d.code || '—'}</dd>
        </div>
        <div>
          <dt>{t('col_date')}</dt>
          <dd>{formatDate(isoDate(d.promulgationDate), locale)}</dd>
        </div>
        <div>
          <dt>{t('col_received')}</dt>
          <dd>{formatDateTime(d.receivedAt, locale)}</dd>
        </div>
        <div>
          <dt>{t('col_status')}</dt>
          <dd>
            <Badge tone={stateTone(d.state)}>{t(stateKey(d.state))}</Badge>
            {d.arrivalNumber !== undefined ? (
              <span className="received-arrival"> {t('arrivalNumber', { number: d.arrivalNumber })}</span>
            ) : null}
          </dd>
        </div>
        {d.attachments?.length ? (
          <div>
            <dt>{t('col_files')}</dt>
            <dd>
              <ul className="received-files">
                {d.attachments.map((f) => (
                  <li key={f.sha256 + f.name}>
                    {t('fileLine', { name: f.name, size: formatBytes(f.size) })}
                    {d.file?.sha256 === f.sha256 ? ` — ${t('mainFile')}` : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
        {d.state === 'refused' ? (
          <div>
            <dt>{t('col_reason')}</dt>
            <dd>{d.reason || t('noReason')}</dd>
          </div>
        ) : null}
      </dl>
      <ReceivedHistory id={d.id} version={d.updatedAt} t={t} />
      {steps.length > 0 ? (
        asked ? (
          <StepForm
            document={d}
            step={asked}
            t={t}
            onCancel={() => setAsked(undefined)}
            onDone={(updated) => {
              setAsked(undefined);
              onDone(updated, asked);
            }}
          />
        ) : (
          <div className="received-steps">
            {steps.map((step) => (
              <button
                key={step}
                type="button"
                className={`button ${step === 'refuse' ? 'button-danger' : 'button-primary'}`}
                onClick={() => setAsked(step)}
              >
                {t(stepKey(step))}
              </button>
            ))}
          </div>
        )
      ) : null}
    </article>
  );
}

/** Every state the document went through (what its sender was told), in Hà Nội time; read when opened. */
function ReceivedHistory({ id, version, t }: { id: string; version: string; t: T }) {
  const { locale } = useI18n();
  const [open, setOpen] = useState(false);
  const answer = useGet(
    open
      ? `/api/exchange/received/${encodeURIComponent(id)}/history?at=${encodeURIComponent(version)}`
      : undefined,
    exchangeContracts['GET /api/exchange/received/{id}/history'].response,
  );
  return (
    <details className="received-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('history')}</summary>
      {!open ? null : answer.status === 'loading' ? (
        <Loading />
      ) : answer.status === 'error' ? (
        <ErrorMessage error={answer.error} />
      ) : (
        <ol>
          {answer.value.events.map((e) => (
            <li key={`${e.at}-${e.state}`}>
              <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> — {e.stateLabel}
              {e.description ? ` (${e.description})` : ''}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

function StepForm({
  document: d,
  step,
  t,
  onCancel,
  onDone,
}: {
  document: ReceivedDocument;
  step: ReceivedStep;
  t: T;
  onCancel: () => void;
  onDone: (updated: ReceivedDocument) => void;
}) {
  const reasonId = useId();
  const questionId = useId();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>();
  // One key per intended step: a retry after an uncertain answer is the same request.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const path = `/api/exchange/received/${encodeURIComponent(d.id)}/steps`;

  const submit = async () => {
    const text = reason.trim();
    if (needsReason(step) && !text) {
      setMissing(true);
      return;
    }
    setWorking(true);
    setError(undefined);
    try {
      const updated = await post(
        path,
        { step, ...(needsReason(step) ? { reason: text } : {}) },
        exchangeContracts['POST /api/exchange/received/{id}/steps'].response,
        key,
      );
      onDone(updated);
    } catch (caught) {
      // A definite refusal by the server: a new attempt is a new request.
      if (!(caught instanceof ApiError && caught.uncertain)) setKey(crypto.randomUUID());
      setError(caught);
    } finally {
      setWorking(false);
    }
  };

  return (
    <form
      className="received-step-form"
      aria-labelledby={questionId}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p id={questionId}>{t(confirmKey(step), { code: d.code || t('thisDocument') })}</p>
      {needsReason(step) ? (
        <div className="field">
          <label htmlFor={reasonId}>{t('reason')}</label>
          <textarea
            id={reasonId}
            value={reason}
            maxLength={1000}
            rows={3}
            aria-required="true"
            aria-invalid={missing || undefined}
            aria-describedby={missing ? `${reasonId}-error` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setMissing(false);
            }}
          />
          {missing ? (
            <p id={`${reasonId}-error`} className="field-error" role="alert">
              {t('reasonRequired')}
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="received-steps">
        <button
          type="submit"
          className={`button ${step === 'refuse' ? 'button-danger' : 'button-primary'}`}
          disabled={working}
        >
          {working ? t('working') : t('confirm')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={working}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
