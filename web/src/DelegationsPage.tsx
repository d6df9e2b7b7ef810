import { useId, useMemo, useState } from 'react';
import type * as z from 'zod';
import { delegationContracts } from '../../lambdas/contracts/delegations';
import { post } from './api';
import { delegationScreenTranslator } from './delegations-texts';
import { formatDateTime } from './format';
import { DOC_TYPES, useI18n } from './i18n';
import { useGet, useIdempotencyKey, useSession } from './session';
import { ErrorMessage, Loading } from './ui';

/*
 * TL./TUQ. delegations of signing (issue 17): the organisation's head (or an administrator) lists, records
 * and revokes them. The server decides who may; this screen only offers it to those it lets.
 */

const ListSchema = delegationContracts['GET /api/delegations'].response;
const OneSchema = delegationContracts['POST /api/delegations'].response;
type Delegation = z.infer<typeof OneSchema>;

/** A `datetime-local` value (Hà Nội time) as an instant; undefined when empty. */
const instant = (local: string) => (local ? new Date(`${local}:00+07:00`).toISOString() : undefined);

export function DelegationsPage() {
  const { language, locale, l } = useI18n();
  const t = useMemo(() => delegationScreenTranslator(language), [language]);
  const { me, orgList } = useSession();
  const mayPickOrg = me.position.role === 'admin' || me.position.role === 'auditor';
  const [orgId, setOrgId] = useState(me.organisation.id);
  const list = useGet(`/api/delegations?orgId=${encodeURIComponent(orgId)}`, ListSchema);
  const ids = {
    org: useId(),
    kind: useId(),
    delegate: useId(),
    basis: useId(),
    from: useId(),
    until: useId(),
    types: useId(),
    title: useId(),
  };
  const [kind, setKind] = useState<'TL' | 'TUQ'>('TL');
  const [delegateId, setDelegateId] = useState('');
  const [basis, setBasis] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [signerTitle, setSignerTitle] = useState('');
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const grantKey = useIdempotencyKey();
  const revokeKey = useIdempotencyKey();
  const mayManage =
    me.position.role === 'admin' ||
    (me.position.role === 'leader' && me.position.rank === 'head' && !me.position.unitCode);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const made = await post(
        '/api/delegations',
        {
          kind,
          orgId,
          delegateId: delegateId.trim(),
          basis,
          ...(from ? { validFrom: instant(from) } : {}),
          ...(until ? { validUntil: instant(until) } : {}),
          ...(types.length > 0 ? { documentTypeIds: types } : {}),
          ...(signerTitle.trim() ? { signerTitle: signerTitle.trim() } : {}),
        },
        OneSchema,
        grantKey.key(),
      );
      grantKey.settle();
      setNotice(t('created', { name: made.delegateName }));
      setDelegateId('');
      setBasis('');
      list.reload();
    } catch (caught) {
      grantKey.settle(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (d: Delegation) => {
    if (!window.confirm(t('revokeConfirm', { name: d.delegateName }))) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await post(`/api/delegations/${encodeURIComponent(d.id)}/revoke`, {}, OneSchema, revokeKey.key());
      revokeKey.settle();
      setNotice(t('revoked', { name: d.delegateName }));
      list.reload();
    } catch (caught) {
      revokeKey.settle(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="delegations-title">
      <h1 id="delegations-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {mayPickOrg ? (
        <div className="field">
          <label htmlFor={ids.org}>{t('organisation')}</label>
          <select id={ids.org} value={orgId} onChange={(e) => setOrgId(e.target.value)}>
            {orgList.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <p className={notice ? 'alert alert-success' : 'visually-hidden'} role="status">
        {notice}
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      {mayManage ? (
        <form
          className="panel form-grid"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <div className="field">
            <label htmlFor={ids.kind}>{t('kind')}</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as 'TL' | 'TUQ')}>
              <option value="TL">{t('kind_TL')}</option>
              <option value="TUQ">{t('kind_TUQ')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.delegate}>{t('delegate')}</label>
            <input
              id={ids.delegate}
              required
              value={delegateId}
              aria-describedby={`${ids.delegate}-hint`}
              onChange={(e) => setDelegateId(e.target.value)}
            />
            <p className="hint" id={`${ids.delegate}-hint`}>
              {t('delegateHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={ids.basis}>{t('basis')}</label>
            <input
              id={ids.basis}
              required
              maxLength={300}
              value={basis}
              onChange={(e) => setBasis(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.from}>{t('validFrom')}</label>
            <input
              id={ids.from}
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.until}>{t('validUntil')}</label>
            <input
              id={ids.until}
              type="datetime-local"
              required={kind === 'TUQ'}
              value={until}
              aria-describedby={`${ids.until}-hint`}
              onChange={(e) => setUntil(e.target.value)}
            />
            <p className="hint" id={`${ids.until}-hint`}>
              {t('validUntilHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={ids.types}>{t('types')}</label>
            <select
              id={ids.types}
              multiple
              value={types}
              onChange={(e) => setTypes([...e.target.selectedOptions].map((o) => o.value))}
            >
              {Object.keys(DOC_TYPES).map((id) => (
                <option key={id} value={id}>
                  {l.docType(id)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.title}>{t('signerTitle')}</label>
            <input
              id={ids.title}
              maxLength={120}
              value={signerTitle}
              onChange={(e) => setSignerTitle(e.target.value)}
            />
          </div>
          <div className="form-buttons">
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('create')}
            </button>
          </div>
        </form>
      ) : null}
      {list.status === 'loading' ? <Loading /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      {list.status === 'ready' ? (
        list.value.length === 0 ? (
          <p className="empty">{t('empty')}</p>
        ) : (
          <div className="panel table-scroll">
            <table className="delegations-table">
              <thead>
                <tr>
                  <th scope="col">{t('col_delegate')}</th>
                  <th scope="col">{t('col_kind')}</th>
                  <th scope="col">{t('col_period')}</th>
                  <th scope="col">{t('col_basis')}</th>
                  <th scope="col">{t('col_status')}</th>
                  {mayManage ? <th scope="col">{t('col_actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {list.value.map((d) => (
                  <tr key={d.id} data-delegation={d.id}>
                    <td>
                      {d.delegateName}
                      <br />
                      <span className="muted">{d.delegateTitle}</span>
                    </td>
                    <td>{`${d.kind}.`}</td>
                    <td>
                      {formatDateTime(d.validFrom, locale)} –{' '}
                      {d.validUntil ? formatDateTime(d.validUntil, locale) : t('openEnded')}
                    </td>
                    <td>{d.basis}</td>
                    <td>{t(`status_${d.status}`)}</td>
                    {mayManage ? (
                      <td>
                        {d.status === 'active' || d.status === 'pending' ? (
                          <button
                            type="button"
                            className="button button-secondary"
                            disabled={busy}
                            onClick={() => void revoke(d)}
                          >
                            {t('revoke')}
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}
