import { useId, useState } from 'react';
import type { Delivery } from '../../lambdas/contracts/documents';
import type { ExternalDelivery } from '../../lambdas/contracts/exchange';
import { RecipientRemindersResultSchema } from '../../lambdas/contracts/notifications';
import { ApiError, post } from './api';
import { formatDateTime, matchesName } from './format';
import { type MessageKey, useI18n } from './i18n';
import { useSession } from './session';
import { Badge, type Tone } from './ui';

/*
 * Tracking a send to many (issue 18): who has not received, registered or finished it, by status (a chip
 * per status filters the list), by exact name, in the words the recipients' own screens use for the same
 * states.
 */

const DELIVERY_TONE: Record<string, Tone> = {
  pending: 'neutral',
  arrived: 'accent',
  refused: 'danger',
  accepted: 'info',
  assigned: 'info',
  'in-progress': 'info',
  done: 'success',
  recalled: 'warning',
};

/** The order statuses are listed in: along the way a document goes at a recipient. */
const ORDER = ['pending', 'arrived', 'accepted', 'assigned', 'in-progress', 'done', 'refused', 'recalled'];

/** Filters beyond one status: who is not yet at a step. */
const NOT_YET: Readonly<Record<string, ReadonlySet<string>>> = {
  notArrived: new Set(['pending']),
  notRegistered: new Set(['pending', 'arrived', 'refused']),
  notDone: new Set(['pending', 'arrived', 'accepted', 'assigned', 'in-progress', 'refused']),
};

/**
 * An external recipient's state (national document exchange) in the words of the city's own recipients:
 * not yet there (waiting, handed to the exchange) is "pending", a recall asked or accepted is "recalled", a
 * recall refused leaves the document with the recipient ("accepted").
 */
export function externalDeliveryStatus(state: ExternalDelivery['state']): Delivery['status'] {
  switch (state) {
    case 'pending':
    case 'sent':
      return 'pending';
    case 'recall-requested':
    case 'recall-accepted':
      return 'recalled';
    case 'recall-refused':
      return 'accepted';
    default:
      return state;
  }
}

export type DeliveryFilter = 'all' | keyof typeof NOT_YET | `status:${string}`;

export function filterDeliveries(
  deliveries: readonly Delivery[],
  filter: DeliveryFilter,
  query: string,
  name: (orgId: string) => string,
): Delivery[] {
  return deliveries.filter((d) => {
    if (!matchesName(query, name(d.orgId))) return false;
    if (filter === 'all') return true;
    if (filter.startsWith('status:')) return d.status === filter.slice('status:'.length);
    return NOT_YET[filter]?.has(d.status) ?? true;
  });
}

const SHOWN = 8;

/**
 * A recipient the sender may remind: one of the city's (not an external agency), that has the document and
 * has not registered (or refused) it yet. The server decides the same (use-cases/recipient-reminders.ts).
 */
export const remindable = (d: Delivery, external?: ReadonlyMap<string, string>) =>
  d.status === 'arrived' && !external?.has(d.orgId);

export function DeliveryTracking({
  deliveries,
  external,
  remind,
}: {
  deliveries: readonly Delivery[];
  /** Recipients outside the city (national exchange), by agency code: their names, as the sender gave them. */
  external?: ReadonlyMap<string, string>;
  /** The sending organisation's clerk or leader: recipients not registered yet can be reminded. */
  remind?: { readonly documentId: string };
}) {
  const { t, l, locale } = useI18n();
  const session = useSession();
  const orgName = (id: string) => external?.get(id) ?? session.orgName(id);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<DeliveryFilter>('all');
  const [all, setAll] = useState(false);
  const filterId = useId();
  const searchId = useId();
  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  const statuses = ORDER.filter((s) => counts.has(s));
  const accepted = deliveries.filter(
    (d) => !['pending', 'arrived', 'refused', 'recalled'].includes(d.status),
  ).length;
  const shown = filterDeliveries(deliveries, filter, query, orgName);
  const narrowed = filter !== 'all' || query.trim() !== '';
  const limit = all || narrowed ? shown.length : SHOWN;
  const many = deliveries.length > SHOWN;
  const reminders = useReminders(remind?.documentId);
  const canRemind = remind !== undefined && deliveries.some((d) => remindable(d, external));
  const shownRemindable = shown.slice(0, limit).filter((d) => remindable(d, external));
  return (
    <section className="panel" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading" className="panel-title">
        {t('deliveries')}
      </h2>
      <p className="deliveries-summary">
        {t('deliveriesSummary', { done: accepted, total: deliveries.length })}
      </p>
      <ul className="status-counts status-chips" aria-label={t('wdTrackChips')}>
        {statuses.map((status) => {
          const pressed = filter === `status:${status}`;
          return (
            <li key={status}>
              <button
                type="button"
                className={`status-chip status-chip-${DELIVERY_TONE[status] ?? 'neutral'}`}
                aria-pressed={pressed}
                data-status={status}
                onClick={() => setFilter(pressed ? 'all' : `status:${status}`)}
              >
                {l.delivery(status)}: {counts.get(status)}
              </button>
            </li>
          );
        })}
      </ul>
      {many ? (
        <div className="two-columns deliveries-filters">
          <div className="field">
            <label htmlFor={filterId}>{t('wdTrackFilter')}</label>
            <select
              id={filterId}
              value={filter}
              onChange={(e) => setFilter(e.target.value as DeliveryFilter)}
            >
              <option value="all">{t('wdTrackAll')}</option>
              {(Object.keys(NOT_YET) as (keyof typeof NOT_YET)[]).map((k) => (
                <option key={k} value={k}>
                  {t(`wdTrack_${k}` as MessageKey)}
                </option>
              ))}
              {statuses.map((s) => (
                <option key={s} value={`status:${s}`}>
                  {l.delivery(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={searchId}>{t('deliveriesFilter')}</label>
            <input
              id={searchId}
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoComplete="off"
              aria-describedby={`${searchId}-hint`}
            />
            <p className="hint" id={`${searchId}-hint`}>
              {t('wdTrackNameHint')}
            </p>
          </div>
        </div>
      ) : null}
      {narrowed ? (
        <p className="hint" role="status" data-testid="deliveries-shown">
          {t('wdTrackShown', { shown: shown.length, total: deliveries.length })}
        </p>
      ) : null}
      {canRemind ? (
        <RemindBar
          reminders={reminders}
          shownRemindable={shownRemindable.map((d) => d.orgId)}
          orgName={orgName}
        />
      ) : null}
      <ul className="delivery-list">
        {shown.slice(0, limit).map((d) => (
          <li key={d.orgId} className="delivery" data-org={d.orgId} data-status={d.status}>
            <span className="delivery-org">
              {canRemind && remindable(d, external) ? (
                <input
                  type="checkbox"
                  className="delivery-select"
                  checked={reminders.selected.has(d.orgId)}
                  onChange={() => reminders.toggle(d.orgId)}
                  aria-label={t('rmSelect', { name: orgName(d.orgId) })}
                />
              ) : null}{' '}
              {orgName(d.orgId)}
              {external?.has(d.orgId) ? <span className="hint"> · {t('exchangeExternal')}</span> : null}
            </span>
            <span className="delivery-status">
              <Badge tone={DELIVERY_TONE[d.status] ?? 'neutral'}>{l.delivery(d.status)}</Badge>
              <span className="delivery-time">{formatDateTime(d.updatedAt, locale)}</span>
            </span>
          </li>
        ))}
      </ul>
      {shown.length > limit ? (
        <button type="button" className="button button-secondary" onClick={() => setAll(true)}>
          {t('showAllDeliveries', { count: shown.length })}
        </button>
      ) : null}
    </section>
  );
}

type Result = { readonly tone: 'success' | 'danger'; readonly text: string; readonly warning?: string };

function useReminders(documentId: string | undefined) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>();
  const { t } = useI18n();
  const toggle = (orgId: string) => {
    const next = new Set(selected);
    if (!next.delete(orgId)) next.add(orgId);
    setSelected(next);
    setResult(undefined);
  };
  const send = async () => {
    if (!documentId || selected.size === 0) return;
    setBusy(true);
    try {
      const done = await post(
        `/api/documents/${documentId}/recipient-reminders`,
        { recipientOrgIds: [...selected] },
        RecipientRemindersResultSchema,
        crypto.randomUUID(),
      );
      setResult({
        tone: 'success',
        text: t('rmDone', {
          count: done.reminded.length,
          clerks: done.reminded.reduce((sum, r) => sum + r.clerks, 0),
        }),
      });
      setSelected(new Set());
    } catch (error) {
      setResult({ tone: 'danger', text: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return { selected, setSelected, toggle, confirming, setConfirming, busy, result, setResult, send };
}

/** Select, remind after a confirmation naming how many and whom, and the outcome. */
function RemindBar({
  reminders,
  shownRemindable,
  orgName,
}: {
  reminders: ReturnType<typeof useReminders>;
  shownRemindable: readonly string[];
  orgName: (id: string) => string;
}) {
  const { t } = useI18n();
  const { selected, confirming, busy, result } = reminders;
  const hintId = useId();
  return (
    <div className="remind-bar" data-testid="remind-bar">
      <p className="hint" id={hintId}>
        {t('rmHint')}
      </p>
      <div className="action-buttons">
        {shownRemindable.length > 0 ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => reminders.setSelected(new Set([...selected, ...shownRemindable]))}
          >
            {t('rmSelectAll', { count: shownRemindable.length })}
          </button>
        ) : null}
        {selected.size > 0 ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => reminders.setSelected(new Set())}
          >
            {t('rmClear')}
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={selected.size === 0 || busy}
          aria-describedby={hintId}
          onClick={() => {
            reminders.setResult(undefined);
            reminders.setConfirming(true);
          }}
        >
          {t('rmButton', { count: selected.size })}
        </button>
      </div>
      {confirming ? (
        <div className="confirm-panel" role="alertdialog" aria-labelledby={`${hintId}-confirm`}>
          <p id={`${hintId}-confirm`}>
            <strong>{t('rmConfirm', { count: selected.size })}</strong>
          </p>
          <p>{t('rmConfirmList')}</p>
          <ul>
            {[...selected].map((id) => (
              <li key={id}>{orgName(id)}</li>
            ))}
          </ul>
          <div className="action-buttons">
            <button type="button" className="button" disabled={busy} onClick={() => void reminders.send()}>
              {busy ? t('rmSending') : t('rmConfirmYes')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => reminders.setConfirming(false)}
            >
              {t('rmConfirmNo')}
            </button>
          </div>
        </div>
      ) : null}
      {result ? (
        <p
          className={`alert alert-${result.tone}`}
          role={result.tone === 'danger' ? 'alert' : 'status'}
          data-testid="remind-result"
        >
          {result.text}
        </p>
      ) : null}
      {result?.warning ? <p className="alert alert-warning">{result.warning}</p> : null}
    </div>
  );
}
