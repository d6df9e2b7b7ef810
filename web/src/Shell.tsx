import { type ReactNode, useEffect, useState } from 'react';
import { documentContracts, type Folder, FolderSchema } from '../../lambdas/contracts/documents';
import { OverdueListSchema } from '../../lambdas/contracts/notifications';
import { adminScreenMessages } from './admin-texts';
import { get } from './api';
import { delegationScreenMessages } from './delegations-texts';
import { fold } from './format';
import { type MessageKey, useI18n } from './i18n';
import { NotificationBell } from './notifications/Bell';
import { useLiveVersion } from './notifications/live';
import { overdueMessages } from './notifications/overdue-texts';
import { receivedScreenMessages } from './received-texts';
import { registerReportMessages } from './register-reports-texts';
import { registerScreenMessages } from './registers-texts';
import { href, type Route } from './router';
import { useSession } from './session';
import { Icon } from './ui';
import { webhookScreenMessages } from './webhooks-texts';

/** The docflow mark: a document with a check, on the navy of the top bar. */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#fff" />
      <path d="M10 6.5h9l5 5V25.5H10z" fill="#17365d" />
      <path d="M19 6.5v5h5" fill="#8fa8cc" />
      <path
        d="M13.2 18.6l2.6 2.6 5-5.6"
        stroke="#fff"
        strokeWidth="2.2"
        fill="none"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  const other = language === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      className="button button-ghost lang-switch"
      onClick={() => setLanguage(other)}
      aria-label={t('switchLanguageLabel')}
      lang={other}
    >
      {t('switchLanguage')}
    </button>
  );
}

/** Folder counts: one small request per folder (`limit=1` answers `total`); none for who has no inbox. */
function useCounts(version: number, enabled: boolean): Partial<Record<Folder, number>> {
  const [counts, setCounts] = useState<Partial<Record<Folder, number>>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: version only triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    if (!enabled) return;
    for (const folder of FolderSchema.options) {
      get(
        `/api/inbox?folder=${folder}&limit=1`,
        documentContracts['GET /api/inbox'].response,
        controller.signal,
      ).then(
        (page) => setCounts((c) => ({ ...c, [folder]: page.total })),
        () => undefined,
      );
    }
    return () => controller.abort();
  }, [version, enabled]);
  return counts;
}

/** How many documents of the organisation are overdue (the overdue view's count). */
function useOverdueCount(version: number, enabled: boolean): number | undefined {
  const [count, setCount] = useState<number | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version only triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    if (!enabled) return;
    get('/api/overdue', OverdueListSchema, controller.signal).then(
      (list) => setCount(list.items.length),
      () => undefined,
    );
    return () => controller.abort();
  }, [version, enabled]);
  return count;
}

/** `Chủ tịch · Lãnh đạo`, but `Văn thư` alone where the title already says the role. */
export function positionLabel(title: string, role: string): string {
  return fold(title) === fold(role) ? title : `${title} · ${role}`;
}

export function folderLabel(folder: Folder): MessageKey {
  return `folder_${folder}`;
}

export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const { t, l, language } = useI18n();
  const session = useSession();
  const { me } = session;
  const role = me.position.role;
  // An administrator's position reads no document, inbox or register (issue 21): no folders to show.
  const hasInbox = role !== 'admin';
  const liveVersion = useLiveVersion();
  const counts = useCounts(session.countsVersion + liveVersion, hasInbox);
  const overdue = useOverdueCount(session.countsVersion + liveVersion, hasInbox);
  const current = (r: Route) =>
    (r.page === 'folder' && route.page === 'folder' && r.folder === route.folder) ||
    (r.page !== 'folder' && r.page === route.page)
      ? 'page'
      : undefined;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <a className="brand" href={href({ page: 'home' })}>
          <BrandMark />
          <span className="brand-name">{t('appName')}</span>
          <span className="brand-tagline">{t('appTagline')}</span>
        </a>
        <div className="topbar-user">
          <a
            className="whoami"
            href={href({ page: 'profile' })}
            title={t('profileLink', { name: me.name })}
            aria-current={current({ page: 'profile' })}
          >
            <span className="whoami-name">{me.name}</span>
            <span className="whoami-detail">
              {positionLabel(me.position.title, l.role(role))} · {me.organisation.name}
            </span>
          </a>
          <NotificationBell />
          <LanguageSwitch />
          <button type="button" className="button button-ghost" onClick={session.signOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label={t('mainNav')}>
          {role === 'specialist' ? (
            <a
              className="button button-primary new-draft"
              href={href({ page: 'new' })}
              aria-current={current({ page: 'new' })}
            >
              <Icon name="plus" />
              {t('newDraft')}
            </a>
          ) : null}
          <ul className="folder-list">
            {hasInbox && role !== 'auditor' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'work' })}
                  aria-current={current({ page: 'work' })}
                  data-folder="work"
                >
                  <span className="folder-name">{t('wdWorkTitle')}</span>
                </a>
              </li>
            ) : null}
            {(hasInbox ? FolderSchema.options : []).map((folder) => {
              const count = counts[folder];
              return (
                <li key={folder}>
                  <a
                    className="folder-link"
                    href={href({ page: 'folder', folder })}
                    aria-current={current({ page: 'folder', folder })}
                    data-folder={folder}
                  >
                    <span className="folder-name">{t(folderLabel(folder))}</span>
                    {count !== undefined ? (
                      <span className={`count${count > 0 ? ' count-active' : ''}`}>
                        <span className="visually-hidden">: </span>
                        {count}
                      </span>
                    ) : null}
                  </a>
                </li>
              );
            })}
            {hasInbox ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'overdue' })}
                  aria-current={current({ page: 'overdue' })}
                  data-folder="overdue"
                >
                  <span className="folder-name">{overdueMessages.render('nav', language)}</span>
                  {overdue !== undefined ? (
                    <span className={`count${overdue > 0 ? ' count-active count-overdue' : ''}`}>
                      <span className="visually-hidden">: </span>
                      {overdue}
                    </span>
                  ) : null}
                </a>
              </li>
            ) : null}
            {role === 'clerk' || role === 'leader' || role === 'auditor' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'registers' })}
                  aria-current={current({ page: 'registers' })}
                >
                  <span className="folder-name">{registerScreenMessages.render('nav', language)}</span>
                </a>
              </li>
            ) : null}
            {role === 'clerk' || role === 'leader' || role === 'auditor' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'statistics' })}
                  aria-current={current({ page: 'statistics' })}
                >
                  <span className="folder-name">{registerReportMessages.render('statsNav', language)}</span>
                </a>
              </li>
            ) : null}
            {role === 'clerk' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'received' })}
                  aria-current={current({ page: 'received' })}
                >
                  <span className="folder-name">{receivedScreenMessages.render('nav', language)}</span>
                </a>
              </li>
            ) : null}
            {(role === 'leader' && me.position.rank === 'head' && !me.position.unitCode) ||
            role === 'admin' ||
            role === 'auditor' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'delegations' })}
                  aria-current={current({ page: 'delegations' })}
                >
                  <span className="folder-name">{delegationScreenMessages.render('nav', language)}</span>
                </a>
              </li>
            ) : null}
            {role === 'admin' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'admin' })}
                  aria-current={current({ page: 'admin' })}
                >
                  <span className="folder-name">{adminScreenMessages.render('nav', language)}</span>
                </a>
              </li>
            ) : null}
            {role === 'admin' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'webhooks' })}
                  aria-current={current({ page: 'webhooks' })}
                >
                  <span className="folder-name">{webhookScreenMessages.render('nav', language)}</span>
                </a>
              </li>
            ) : null}
            {role === 'auditor' ? (
              <li>
                <a
                  className="folder-link"
                  href={href({ page: 'audit' })}
                  aria-current={current({ page: 'audit' })}
                >
                  <span className="folder-name">{t('audit')}</span>
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
