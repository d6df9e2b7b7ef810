import { useEffect, useState } from 'react';
import { documentContracts, type Folder, type InboxItem } from '../../lambdas/contracts/documents';
import { get } from './api';
import { deadlineStatus, formatDateTime } from './format';
import { type MessageKey, useI18n } from './i18n';
import { href } from './router';
import { useSession } from './session';
import { Badge, DeadlineBadge, ErrorMessage, Loading, StateBadge, UrgencyBadge } from './ui';

/*
 * "My work" (issue 18): what needs the signed-in person now, across folders, urgent first, with how many
 * items are new since their last visit. Read from the folders the API already answers; which state needs
 * whom follows the circulation (a leader approves, signs and assigns; a clerk registers, issues and sends;
 * a specialist handles what is assigned and revises what came back).
 */

export type Task = 'sign' | 'approve' | 'assign' | 'register' | 'issue' | 'send' | 'handle' | 'revise';

/** For each task: the folder it is read from, the states it covers and the roles it is for. */
const TASKS: readonly {
  readonly task: Task;
  readonly folder: Folder;
  readonly states: ReadonlySet<string>;
  readonly roles: ReadonlySet<string>;
}[] = [
  { task: 'sign', folder: 'to-sign', states: new Set(['SUBMITTED_TO_SIGNER']), roles: new Set(['leader']) },
  { task: 'approve', folder: 'drafts', states: new Set(['UNDER_REVIEW']), roles: new Set(['leader']) },
  { task: 'assign', folder: 'incoming', states: new Set(['PRESENTED']), roles: new Set(['leader']) },
  { task: 'register', folder: 'incoming', states: new Set(['ARRIVED']), roles: new Set(['clerk']) },
  { task: 'issue', folder: 'outgoing', states: new Set(['SIGNED']), roles: new Set(['clerk']) },
  { task: 'send', folder: 'outgoing', states: new Set(['ISSUED']), roles: new Set(['clerk']) },
  {
    task: 'handle',
    folder: 'assigned',
    states: new Set(['ASSIGNED', 'IN_PROGRESS']),
    roles: new Set(['specialist', 'leader']),
  },
  { task: 'revise', folder: 'drafts', states: new Set(['DRAFT']), roles: new Set(['specialist']) },
];

const URGENCY_RANK: Readonly<Record<string, number>> = { 'flash-timed': 0, flash: 1, urgent: 2, normal: 3 };

export interface WorkItem extends InboxItem {
  readonly task: Task;
}

/** Overdue first, then by urgency, then the nearest deadline, then the oldest waiting. Pure, for tests. */
export function byUrgency(a: WorkItem, b: WorkItem, today?: string): number {
  const overdue = (i: WorkItem) =>
    i.deadline && deadlineStatus(i.deadline, today).kind === 'overdue' ? 0 : 1;
  return (
    overdue(a) - overdue(b) ||
    (URGENCY_RANK[a.urgency] ?? 3) - (URGENCY_RANK[b.urgency] ?? 3) ||
    (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') ||
    a.updatedAt.localeCompare(b.updatedAt)
  );
}

const SEEN_KEY = 'docflow.workSeen.';

/** When the person last looked at this view (per person, in this browser). */
function useLastSeen(userId: string): string | undefined {
  const [seen] = useState(() => localStorage.getItem(SEEN_KEY + userId) ?? undefined);
  useEffect(() => {
    localStorage.setItem(SEEN_KEY + userId, new Date().toISOString());
  }, [userId]);
  return seen;
}

function useWork(role: string, version: number) {
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; items: WorkItem[] }
  >({ status: 'loading' });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and tick only trigger a reload
  useEffect(() => {
    const controller = new AbortController();
    const tasks = TASKS.filter((t) => t.roles.has(role));
    const folders = [...new Set(tasks.map((t) => t.folder))];
    Promise.all(
      folders.map((folder) =>
        get(
          `/api/inbox?folder=${folder}&limit=100`,
          documentContracts['GET /api/inbox'].response,
          controller.signal,
        ).then((page) => ({ folder, items: page.items })),
      ),
    ).then(
      (pages) => {
        const items: WorkItem[] = [];
        const seen = new Set<string>();
        for (const { folder, items: list } of pages) {
          for (const item of list) {
            const task = tasks.find((t) => t.folder === folder && t.states.has(item.state));
            if (!task || seen.has(item.id)) continue;
            seen.add(item.id);
            items.push({ ...item, task: task.task });
          }
        }
        setState({ status: 'ready', items: items.sort((a, b) => byUrgency(a, b)) });
      },
      (error: Error) => {
        if (error.name !== 'AbortError') setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [role, version, tick]);
  return { state, reload: () => setTick((n) => n + 1) };
}

export function MyWorkPage() {
  const { t, locale } = useI18n();
  const { me, countsVersion, orgName } = useSession();
  const seen = useLastSeen(me.id);
  const { state, reload } = useWork(me.position.role, countsVersion);
  const isNew = (item: WorkItem) => seen === undefined || item.updatedAt > seen;
  return (
    <section className="my-work" aria-labelledby="work-heading">
      <div className="page-head">
        <h1 id="work-heading" tabIndex={-1}>
          {t('wdWorkTitle')}
        </h1>
        {state.status === 'ready' ? (
          <p className="page-sub" data-testid="work-summary">
            {t('wdWorkSummary', {
              count: state.items.length,
              fresh: state.items.filter(isNew).length,
              overdue: state.items.filter((i) => i.deadline && deadlineStatus(i.deadline).kind === 'overdue')
                .length,
            })}
          </p>
        ) : null}
      </div>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorMessage error={state.error} onRetry={reload} /> : null}
      {state.status === 'ready' && state.items.length === 0 ? (
        <p className="empty panel">{t('wdWorkNone')}</p>
      ) : null}
      {state.status === 'ready' && state.items.length > 0 ? (
        <>
          <ul className="work-counts" aria-label={t('wdWorkByTask')}>
            {TASKS.filter((task) => state.items.some((i) => i.task === task.task)).map(({ task }) => {
              const of = state.items.filter((i) => i.task === task);
              const fresh = of.filter(isNew).length;
              return (
                <li key={task} data-task={task}>
                  <span className="work-task">{t(`wdTask_${task}` as MessageKey)}</span>{' '}
                  <Badge tone="info">{of.length}</Badge>
                  {fresh > 0 ? <Badge tone="accent">{t('wdNewCount', { count: fresh })}</Badge> : null}
                </li>
              );
            })}
          </ul>
          <ol className="doc-list work-list">
            {state.items.map((item) => (
              <li key={item.id} className="doc-row work-row" data-task={item.task} data-id={item.id}>
                <a href={href({ page: 'document', id: item.id })} className="doc-link">
                  <span className="doc-row-main">
                    <span className="doc-row-top">
                      <span className="work-task-label">{t(`wdTask_${item.task}` as MessageKey)}</span>
                      {item.symbol ? <span className="doc-symbol">{item.symbol}</span> : null}
                      {isNew(item) ? <Badge tone="accent">{t('wdNew')}</Badge> : null}
                    </span>
                    <span className="doc-title">{item.title}</span>
                    <span className="doc-row-meta">
                      {item.senderOrgId ? <span>{orgName(item.senderOrgId)}</span> : null}
                      <span>{formatDateTime(item.updatedAt, locale)}</span>
                    </span>
                  </span>
                  <span className="doc-row-badges">
                    <StateBadge state={item.state} />
                    <UrgencyBadge urgency={item.urgency} />
                    <DeadlineBadge deadline={item.deadline} />
                  </span>
                </a>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
