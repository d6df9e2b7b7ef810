import { useEffect, useId, useMemo, useState } from 'react';
import type { DocumentView } from '../../lambdas/contracts/documents';
import { exchangeContracts } from '../../lambdas/contracts/exchange';
import { ApiError, get, post } from './api';
import { useI18n } from './i18n';
import { addRecipient, type ExternalRecipient } from './received';
import { externalSendTranslator } from './received-texts';
import { useSession } from './session';
import { ErrorMessage } from './ui';

/*
 * "Gửi liên thông" (issue 20): the issuing organisation's clerk sends an issued document to agencies outside
 * the city. The clerk finds them in the catalogue of agency codes (GET /api/exchange/agencies, by name with or
 * without diacritics, or by code); the city's own organisations show there as sent to inside docflow. An
 * agency the catalogue does not hold yet can still be added by its code.
 */

type Agency = {
  readonly organId: string;
  readonly organName: string;
  readonly city: boolean;
};

/** Searches the catalogue as the clerk types (a short pause first, the previous question dropped). */
function AgencyPicker({
  chosen,
  disabled,
  onPick,
  t,
}: {
  chosen: readonly ExternalRecipient[];
  disabled: boolean;
  onPick: (agency: Agency) => void;
  t: ReturnType<typeof externalSendTranslator>;
}) {
  const ids = { search: useId(), results: useId() };
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<readonly Agency[] | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setFound(undefined);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      get(
        `/api/exchange/agencies?query=${encodeURIComponent(q)}`,
        exchangeContracts['GET /api/exchange/agencies'].response,
        controller.signal,
      )
        .then((r) => {
          setFound(r.items);
          setError(undefined);
        })
        .catch((caught: unknown) => {
          if (!controller.signal.aborted) setError(caught);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  return (
    <div className="external-send-search">
      <div className="field">
        <label htmlFor={ids.search}>{t('search')}</label>
        <input
          id={ids.search}
          type="search"
          value={query}
          autoComplete="off"
          placeholder={t('searchHint')}
          aria-controls={ids.results}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      <div id={ids.results} aria-live="polite">
        {found === undefined ? null : found.length === 0 ? (
          <p className="empty">{t('noMatch')}</p>
        ) : (
          <ul className="external-send-results">
            {found.map((a) => {
              const taken = chosen.some((r) => r.organId === a.organId);
              return (
                <li key={a.organId}>
                  <span>
                    {a.organName} ({a.organId})
                  </span>{' '}
                  {a.city ? (
                    <span className="page-sub">{t('insideCity')}</span>
                  ) : (
                    <button
                      type="button"
                      className="button"
                      disabled={disabled || taken}
                      onClick={() => onPick(a)}
                    >
                      {taken ? t('picked') : t('pick', { name: a.organName })}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

const SENDABLE: ReadonlySet<string> = new Set(['ISSUED', 'SENT', 'ARCHIVED']);

export function ExternalSendPanel({ view, onDone }: { view: DocumentView; onDone: (what: string) => void }) {
  const { language } = useI18n();
  const { me } = useSession();
  const t = useMemo(() => externalSendTranslator(language), [language]);
  const ids = { code: useId(), name: useId(), error: useId(), heading: useId() };
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [list, setList] = useState<readonly ExternalRecipient[]>([]);
  const [problem, setProblem] = useState<ReturnType<typeof t> | undefined>();
  const [asking, setAsking] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState(() => crypto.randomUUID());

  const doc = view.document;
  if (
    !doc ||
    view.record ||
    me.position.role !== 'clerk' ||
    doc.orgId !== me.position.orgId ||
    !SENDABLE.has(doc.state)
  )
    return null;

  const add = () => {
    const added = addRecipient(list, code, name);
    if ('error' in added) {
      setProblem(t(added.error));
      return;
    }
    setList(added.list);
    setCode('');
    setName('');
    setProblem(undefined);
    setKey(crypto.randomUUID());
  };

  const send = async () => {
    setWorking(true);
    setError(undefined);
    try {
      await post(
        `/api/documents/${encodeURIComponent(view.id)}/external-sends`,
        { recipients: list },
        exchangeContracts['POST /api/documents/{id}/external-sends'].response,
        key,
      );
      const count = list.length;
      setList([]);
      setAsking(false);
      setKey(crypto.randomUUID());
      onDone(t('sent', { count }));
    } catch (caught) {
      // Refused for sure: the next attempt is a new request; otherwise the same key makes a retry safe.
      if (!(caught instanceof ApiError && caught.uncertain)) setKey(crypto.randomUUID());
      setError(caught);
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="panel external-send" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} className="panel-title">
        {t('title')}
      </h2>
      <p className="page-sub">{t('intro')}</p>
      <AgencyPicker
        chosen={list}
        disabled={working || asking}
        t={t}
        onPick={(agency) => {
          const added = addRecipient(list, agency.organId, agency.organName);
          if ('error' in added) {
            setProblem(t(added.error));
            return;
          }
          setList(added.list);
          setProblem(undefined);
          setKey(crypto.randomUUID());
        }}
      />
      <p className="page-sub">{t('catalogueNote')}</p>
      <form
        className="external-send-add"
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <div className="field">
          <label htmlFor={ids.code}>{t('code')}</label>
          <input
            id={ids.code}
            value={code}
            autoComplete="off"
            spellCheck={false}
            placeholder="000.00.00.G22"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? ids.error : undefined}
            onChange={(e) => {
              setCode(e.target.value);
              setProblem(undefined);
            }}
          />
          {problem ? (
            <p id={ids.error} className="field-error" role="alert">
              {problem}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('name')}</label>
          <input id={ids.name} value={name} maxLength={500} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={working}>
          {t('add')}
        </button>
      </form>
      <h3 className="external-send-list-title">{t('recipients')}</h3>
      {list.length === 0 ? (
        <p className="empty">{t('noRecipients')}</p>
      ) : (
        <ul className="external-send-list">
          {list.map((r) => (
            <li key={r.organId}>
              <span>{r.organName ? `${r.organName} (${r.organId})` : r.organId}</span>{' '}
              <button
                type="button"
                className="button button-ghost"
                disabled={working || asking}
                onClick={() => {
                  setList(list.filter((x) => x.organId !== r.organId));
                  setKey(crypto.randomUUID());
                }}
              >
                {t('remove', { name: r.organName ?? r.organId })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error ? <ErrorMessage error={error} /> : null}
      {asking ? (
        <div className="external-send-confirm">
          <p>{t('confirm', { count: list.length })}</p>
          <button
            type="button"
            className="button button-primary"
            disabled={working}
            onClick={() => void send()}
          >
            {working ? t('working') : t('confirmSend')}
          </button>{' '}
          <button type="button" className="button" disabled={working} onClick={() => setAsking(false)}>
            {t('cancel')}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button-primary"
          disabled={list.length === 0}
          onClick={() => setAsking(true)}
        >
          {t('send')}
        </button>
      )}
    </section>
  );
}
