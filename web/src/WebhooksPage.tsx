import { useId, useMemo, useState } from 'react';
import type * as z from 'zod';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEventTypeSchema,
  webhookContracts,
} from '../../lambdas/contracts/webhooks';
import { api, del, get, post } from './api';
import { formatDateTime } from './format';
import { useI18n } from './i18n';
import { useGet, useIdempotencyKey, useSession } from './session';
import { ErrorMessage, Loading } from './ui';
import { webhookScreenTranslator } from './webhooks-texts';

/*
 * The organisation's webhooks (issue 16, docs/WEBHOOKS.md), for its administrators: register an endpoint and
 * see its secret once, rotate it, enable, disable, delete, and read and replay the deliveries.
 */

const ListSchema = webhookContracts['GET /api/webhooks'].response;
const WithSecretSchema = webhookContracts['POST /api/webhooks'].response;
const OneSchema = webhookContracts['PUT /api/webhooks/{id}'].response;
const DeletedSchema = webhookContracts['DELETE /api/webhooks/{id}'].response;
const DeliveriesSchema = webhookContracts['GET /api/webhooks/{id}/deliveries'].response;
const DeliverySchema = webhookContracts['POST /api/webhooks/{id}/deliveries/{deliveryId}/replay'].response;
type Webhook = z.infer<typeof OneSchema>;
type Delivery = z.infer<typeof DeliverySchema>;
type EventType = z.infer<typeof WebhookEventTypeSchema>;

export function WebhooksPage() {
  const { language, locale } = useI18n();
  const t = useMemo(() => webhookScreenTranslator(language), [language]);
  const { me } = useSession();
  const isAdmin = me.position.role === 'admin';
  const list = useGet(isAdmin ? '/api/webhooks' : undefined, ListSchema);
  const ids = { url: useId(), description: useId(), events: useId() };
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventType[]>(['document.issued', 'document.sent']);
  const [secret, setSecret] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | undefined>();
  const [deliveries, setDeliveries] = useState<Delivery[] | undefined>();
  const registerKey = useIdempotencyKey();
  const rotateKey = useIdempotencyKey();
  const replayKey = useIdempotencyKey();

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const register = () =>
    act(async () => {
      try {
        const made = await post(
          '/api/webhooks',
          { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) },
          WithSecretSchema,
          registerKey.key(),
        );
        registerKey.settle();
        setSecret(made.secret);
        setNotice(t('registered'));
        setUrl('');
        setDescription('');
        list.reload();
      } catch (caught) {
        registerKey.settle(caught);
        throw caught;
      }
    });

  const rotate = (w: Webhook) => {
    if (!window.confirm(t('rotateConfirm'))) return;
    void act(async () => {
      try {
        const made = await post(
          `/api/webhooks/${encodeURIComponent(w.id)}/rotations`,
          {},
          WithSecretSchema,
          rotateKey.key(),
        );
        rotateKey.settle();
        setSecret(made.secret);
        const until = made.webhook.secrets.find((s) => s.expiresAt)?.expiresAt;
        setNotice(t('rotated', { time: formatDateTime(until, locale) }));
        list.reload();
      } catch (caught) {
        rotateKey.settle(caught);
        throw caught;
      }
    });
  };

  const toggle = (w: Webhook) =>
    act(async () => {
      await api('PUT', `/api/webhooks/${encodeURIComponent(w.id)}`, OneSchema, {
        body: { enabled: !w.enabled },
      });
      list.reload();
    });

  const remove = (w: Webhook) => {
    if (!window.confirm(t('removeConfirm', { url: w.url }))) return;
    void act(async () => {
      await del(`/api/webhooks/${encodeURIComponent(w.id)}`, DeletedSchema);
      setNotice(t('removed'));
      if (open === w.id) setOpen(undefined);
      list.reload();
    });
  };

  const showDeliveries = (w: Webhook) =>
    act(async () => {
      if (open === w.id) {
        setOpen(undefined);
        return;
      }
      const found = await get(`/api/webhooks/${encodeURIComponent(w.id)}/deliveries`, DeliveriesSchema);
      setDeliveries(found.items);
      setOpen(w.id);
    });

  const replay = (w: Webhook, d: Delivery) =>
    act(async () => {
      try {
        await post(
          `/api/webhooks/${encodeURIComponent(w.id)}/deliveries/${encodeURIComponent(d.id)}/replay`,
          {},
          DeliverySchema,
          replayKey.key(),
        );
        replayKey.settle();
        setNotice(t('replayed'));
        const found = await get(`/api/webhooks/${encodeURIComponent(w.id)}/deliveries`, DeliveriesSchema);
        setDeliveries(found.items);
      } catch (caught) {
        replayKey.settle(caught);
        throw caught;
      }
    });

  if (!isAdmin) {
    return (
      <section aria-labelledby="webhooks-title">
        <h1 id="webhooks-title">{t('title')}</h1>
        <p className="muted">{t('adminsOnly')}</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <p className={notice ? 'alert alert-success' : 'visually-hidden'} role="status">
        {notice}
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      {secret ? (
        <section className="panel" aria-label={t('secretTitle')}>
          <h2>{t('secretTitle')}</h2>
          <p className="hint">{t('secretHint')}</p>
          <code data-testid="webhook-secret">{secret}</code>
        </section>
      ) : null}
      <form
        className="panel form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          void register();
        }}
      >
        <div className="field">
          <label htmlFor={ids.url}>{t('url')}</label>
          <input
            id={ids.url}
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.description}>{t('description')}</label>
          <input id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <fieldset className="field">
          <legend>{t('events')}</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) =>
                  setEvents(e.target.checked ? [...events, type] : events.filter((x) => x !== type))
                }
              />{' '}
              {t(`event_${type}`)}
            </label>
          ))}
        </fieldset>
        <div className="form-buttons">
          <button type="submit" className="button button-primary" disabled={busy || events.length === 0}>
            {t('register')}
          </button>
        </div>
      </form>
      {list.status === 'loading' ? <Loading /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      {list.status === 'ready' ? (
        list.value.items.length === 0 ? (
          <p className="empty">{t('empty')}</p>
        ) : (
          <ul className="webhook-list">
            {list.value.items.map((w) => (
              <li key={w.id} className="panel">
                <p>
                  <strong>{w.url}</strong> · {w.enabled ? t('enabled') : t('disabled')} ·{' '}
                  {t('secrets', { count: w.secrets.length })}
                </p>
                {w.description ? <p className="muted">{w.description}</p> : null}
                <p className="muted">{w.events.map((e) => t(`event_${e}`)).join(', ')}</p>
                <div className="form-buttons">
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => void showDeliveries(w)}
                  >
                    {open === w.id ? t('hideDeliveries') : t('deliveries')}
                  </button>
                  <button type="button" className="button" disabled={busy} onClick={() => rotate(w)}>
                    {t('rotate')}
                  </button>
                  <button type="button" className="button" disabled={busy} onClick={() => void toggle(w)}>
                    {w.enabled ? t('disable') : t('enable')}
                  </button>
                  <button type="button" className="button" disabled={busy} onClick={() => remove(w)}>
                    {t('remove')}
                  </button>
                </div>
                {open === w.id && deliveries ? (
                  deliveries.length === 0 ? (
                    <p className="empty">{t('noDeliveries')}</p>
                  ) : (
                    <div className="table-scroll">
                      <table>
                        <thead>
                          <tr>
                            <th scope="col">{t('col_time')}</th>
                            <th scope="col">{t('col_event')}</th>
                            <th scope="col">{t('col_status')}</th>
                            <th scope="col">{t('col_attempts')}</th>
                            <th scope="col">{t('col_last')}</th>
                            <th scope="col" />
                          </tr>
                        </thead>
                        <tbody>
                          {deliveries.map((d) => (
                            <tr key={d.id}>
                              <td>{formatDateTime(d.createdAt, locale)}</td>
                              <td>{t(`event_${d.eventType}`)}</td>
                              <td>{t(`status_${d.status}`)}</td>
                              <td>{d.attempts}</td>
                              <td>{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                              <td>
                                {d.status !== 'pending' ? (
                                  <button
                                    type="button"
                                    className="button"
                                    disabled={busy}
                                    onClick={() => void replay(w, d)}
                                  >
                                    {t('replay')}
                                  </button>
                                ) : null}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  )
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
