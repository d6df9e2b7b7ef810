import { type ReactNode, useEffect, useRef, useState } from 'react';
import { documentContracts, type Folder, type InboxItem } from '../../lambdas/contracts/documents';
import { deadlineStatus, formatDate, formatDateTime } from './format';
import { useI18n } from './i18n';
import { href } from './router';
import { folderLabel } from './Shell';
import { SignatureAuthorization } from './SignatureAuthorization';
import { useGet, useSession } from './session';
import type { SignatureJob } from './signing';
import { DeadlineBadge, ErrorMessage, Field, Loading, StateBadge, UrgencyBadge } from './ui';

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;
const DONE_STATES = new Set(['RESOLVED', 'FORWARDED', 'RECALLED', 'RETURNED', 'ARCHIVED', 'REPLACED']);

/**
 * One folder, a page at a time (the API's cursor). Search runs on the server over the whole folder, newest
 * first (`q`), a page of matches at a time; typing waits a moment before it asks.
 */
export function FolderPage({ folder }: { folder: Folder }) {
  const { t, locale } = useI18n();
  const session = useSession();
  // Cursors of the pages before the current one; the last entry is the current page's cursor.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  // A new search starts from the first page, once typing pauses. Only a changed search resets the page:
  // on mount the timer would otherwise send a reader who already paged on back to page 1.
  useEffect(() => {
    const next = query.trim();
    if (next === searched) return;
    const timer = setTimeout(() => {
      setSearched(next);
      setCursors([undefined]);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, searched]);

  const cursor = cursors.at(-1);
  const path =
    `/api/inbox?folder=${folder}&limit=${PAGE_SIZE}` +
    (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '') +
    (searched ? `&q=${encodeURIComponent(searched)}` : '');
  const page = useGet(path, documentContracts['GET /api/inbox'].response, session.countsVersion);
  const items = page.status === 'ready' ? page.value.items : [];
  const batch = useBatch(folder, items);

  const go = (next: (string | undefined)[]) => {
    setCursors(next);
    heading.current?.focus();
  };

  return (
    <section className="folder" aria-labelledby="folder-heading">
      <div className="page-head">
        <h1 id="folder-heading" ref={heading} tabIndex={-1}>
          {t(folderLabel(folder))}
        </h1>
        {page.status === 'ready' ? (
          <p className="page-sub">{t('folderCount', { count: page.value.total })}</p>
        ) : null}
      </div>
      <div className="toolbar">
        <Field label={t('search')} hint={t('searchHint')}>
          {(props) => (
            <input
              {...props}
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoComplete="off"
              className="search-input"
            />
          )}
        </Field>
      </div>
      {page.status === 'loading' ? <Loading /> : null}
      {page.status === 'error' ? <ErrorMessage error={page.error} onRetry={page.reload} /> : null}
      {page.status === 'ready' ? (
        <>
          {batch.bar}
          {items.length === 0 ? (
            <p className="empty">{searched ? t('noMatch', { query: searched }) : t('emptyFolder')}</p>
          ) : (
            <ul className="doc-list" aria-label={t(folderLabel(folder))}>
              {items.map((item) => (
                <DocRow key={`${item.id}-${item.updatedAt}`} item={item} select={batch.checkbox(item)} />
              ))}
            </ul>
          )}
          {searched && page.value.cursor && page.value.searchedThrough ? (
            <p className="hint">
              {t('searchedThrough', { time: formatDateTime(page.value.searchedThrough, locale) })}
            </p>
          ) : null}
          <div className="pager">
            <p className="pager-info">
              {t('pageInfo', {
                page: cursors.length,
                count: page.value.items.length,
                total: page.value.total,
              })}
            </p>
            <div className="pager-buttons">
              {cursors.length > 1 ? (
                <button type="button" className="button button-secondary" onClick={() => go([undefined])}>
                  {t('firstPage')}
                </button>
              ) : null}
              {page.value.cursor ? (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => go([...cursors, page.value.cursor])}
                >
                  {t('nextPage')}
                </button>
              ) : null}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}

/**
 * Signing a batch (ký lô) from a folder: a clerk issues several signed documents, a leader signs several
 * awaiting their signature (each in the first capacity the server finds them entitled to, shown before they
 * authorize), with one authorization over the list.
 */
function useBatch(folder: Folder, items: readonly InboxItem[]) {
  const { t } = useI18n();
  const session = useSession();
  const role = session.me.position.role;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [jobs, setJobs] = useState<readonly SignatureJob[] | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const step: SignatureJob['step'] | undefined =
    role === 'clerk' && folder === 'outgoing'
      ? 'issue'
      : role === 'leader' && folder === 'to-sign'
        ? 'sign'
        : undefined;
  const eligible = (item: InboxItem) =>
    step === 'issue'
      ? item.state === 'SIGNED'
      : step === 'sign'
        ? item.state === 'SUBMITTED_TO_SIGNER'
        : false;
  const candidates = items.filter(eligible);
  const chosen = candidates.filter((i) => selected.has(i.id));
  const bar =
    step && candidates.length > 1 ? (
      <div className="batch-bar" data-testid="batch-bar">
        <p className={notice ? 'alert alert-info' : 'visually-hidden'} role="status">
          {notice}
        </p>
        <div className="batch-actions">
          <label className="check">
            <input
              type="checkbox"
              checked={chosen.length === candidates.length}
              onChange={(e) => setSelected(new Set(e.target.checked ? candidates.map((i) => i.id) : []))}
            />
            <span>{t('batchSelectAll', { count: candidates.length })}</span>
          </label>
          <button
            type="button"
            className="button button-primary"
            disabled={chosen.length === 0}
            data-batch={step}
            onClick={() => {
              setNotice(undefined);
              setJobs(chosen.map((i) => ({ documentId: i.id, step, title: i.title })));
            }}
          >
            {t(step === 'issue' ? 'batchIssue' : 'batchSign', { count: chosen.length })}
          </button>
        </div>
        {jobs ? (
          <SignatureAuthorization
            jobs={jobs}
            onCancel={() => {
              setJobs(undefined);
              setNotice(t('sigCancelled'));
            }}
            onFinished={(outcome) => {
              setJobs(undefined);
              setSelected(new Set());
              setNotice(
                outcome.done.length > 0
                  ? t(step === 'issue' ? 'sigIssuedBatch' : 'sigDoneBatch', { count: outcome.done.length })
                  : undefined,
              );
              session.refreshCounts();
            }}
          />
        ) : null}
      </div>
    ) : null;
  return {
    bar,
    checkbox: (item: InboxItem) =>
      step && candidates.length > 1 && eligible(item) ? (
        <label className="doc-select">
          <input
            type="checkbox"
            checked={selected.has(item.id)}
            onChange={(e) => {
              const next = new Set(selected);
              if (e.target.checked) next.add(item.id);
              else next.delete(item.id);
              setSelected(next);
            }}
            aria-label={t('batchSelectOne', { title: item.title })}
            data-select={item.id}
          />
        </label>
      ) : undefined,
  };
}

function DocRow({ item, select }: { item: InboxItem; select?: ReactNode }) {
  const { t, l, locale } = useI18n();
  const { orgName } = useSession();
  const overdueCandidate = item.deadline && !DONE_STATES.has(item.state);
  const overdue = overdueCandidate && item.deadline && deadlineStatus(item.deadline).kind === 'overdue';
  return (
    <li className={`doc-row${overdue ? ' doc-row-overdue' : ''}${select ? ' doc-row-selectable' : ''}`}>
      {select}
      <a href={href({ page: 'document', id: item.id })} className="doc-link">
        <span className="doc-row-main">
          <span className="doc-row-top">
            <span className="doc-symbol">{item.symbol ?? t('noNumber')}</span>
            <span className="doc-type">{l.docType(item.docType)}</span>
            {item.arrivalNumber !== undefined ? (
              <span className="doc-arrival">{t('arrivalNo', { n: item.arrivalNumber })}</span>
            ) : null}
          </span>
          <span className="doc-title">{item.title}</span>
          <span className="doc-row-meta">
            {item.senderOrgId ? <span>{orgName(item.senderOrgId)}</span> : null}
            {item.issuedOn ? <span>{formatDate(item.issuedOn, locale)}</span> : null}
            <span>
              {t('colUpdated')}: {formatDateTime(item.updatedAt, locale)}
            </span>
          </span>
        </span>
        <span className="doc-row-badges">
          <StateBadge state={item.state} />
          <UrgencyBadge urgency={item.urgency} />
          <DeadlineBadge deadline={item.deadline} done={!overdueCandidate} />
        </span>
      </a>
    </li>
  );
}
