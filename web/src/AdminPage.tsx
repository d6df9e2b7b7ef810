import './admin.css';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import * as z from 'zod';
import {
  AdministeredPersonSchema,
  DepartureSchema,
  type DepartureView,
  type OrganisationSummary,
} from '../../lambdas/contracts/directory';
import { PositionRequestSchema } from '../../lambdas/core/domain/administration-records';
import { type Position, PositionSchema, RoleSchema } from '../../lambdas/core/domain/directory';
import { adminScreenTranslator } from './admin-texts';
import { api, get, post } from './api';
import { useI18n } from './i18n';
import { useSession } from './session';
import { Badge, ErrorMessage, Loading } from './ui';

/*
 * The administration of people (issue 19): the people of an organisation the administrator manages, their
 * positions and certificates; adding a person, changing a position, recording a departure with a successor;
 * the position requests another administrator must decide (separation of duties).
 */

type Person = z.infer<typeof AdministeredPersonSchema>;
type Request = z.infer<typeof PositionRequestSchema>;
type Role = z.infer<typeof RoleSchema>;
type Rank = NonNullable<Position['rank']>;

const PeopleSchema = z.array(AdministeredPersonSchema);
const RequestsSchema = z.array(PositionRequestSchema);
const AppliedSchema = z.union([
  z.object({ request: PositionRequestSchema }),
  z.object({ id: z.string(), name: z.string() }).loose(),
]);
const ROLES: readonly Role[] = RoleSchema.options;
const RANKS: readonly Rank[] = ['head', 'deputy', 'acting-head'];

/** The organisations an administrator manages: their own and those under it (as the API decides). */
export function administered(orgs: readonly OrganisationSummary[], ownId: string): OrganisationSummary[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const under = (org: OrganisationSummary): boolean => {
    const seen = new Set<string>();
    for (let id: string | undefined = org.id; id && !seen.has(id); id = byId.get(id)?.parentId) {
      if (id === ownId) return true;
      seen.add(id);
    }
    return false;
  };
  return orgs.filter(under);
}

const idempotencyKey = () => crypto.randomUUID();

const USUAL_TITLES: Readonly<Record<Exclude<Role, 'leader'>, string>> = {
  specialist: 'Chuyên viên',
  clerk: 'Văn thư',
  auditor: 'Kiểm soát viên',
  admin: 'Quản trị hệ thống',
};

type Editing =
  | { readonly kind: 'add' }
  | { readonly kind: 'move'; readonly person: Person }
  | { readonly kind: 'depart'; readonly person: Person };

export function AdminPage() {
  const { language, l } = useI18n();
  const t = useMemo(() => adminScreenTranslator(language), [language]);
  const session = useSession();
  const orgs = useMemo(
    () => administered(session.orgList, session.me.organisation.id),
    [session.orgList, session.me.organisation.id],
  );
  const orgSelect = useId();
  const [orgId, setOrgId] = useState(session.me.organisation.id);
  const [people, setPeople] = useState<Person[] | undefined>();
  const [requests, setRequests] = useState<Request[]>([]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();
  const [editing, setEditing] = useState<Editing | undefined>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const [list, pending] = await Promise.all([
        get(`/api/administration/people?orgId=${encodeURIComponent(orgId)}`, PeopleSchema),
        get('/api/position-requests', RequestsSchema),
      ]);
      setPeople(list);
      setRequests(pending);
    } catch (caught) {
      setError(caught);
    }
  }, [orgId]);

  useEffect(() => {
    setPeople(undefined);
    void load();
  }, [load]);

  const done = (message: string) => {
    setEditing(undefined);
    setNotice(message);
    void load();
  };

  const nameOf = (id: string) => people?.find((p) => p.id === id)?.name ?? id;

  return (
    <section aria-labelledby="admin-heading" className="admin-page">
      <div className="page-head">
        <h1 id="admin-heading">{t('title')}</h1>
        <p className="page-sub">{t('intro')}</p>
      </div>
      <div className="panel admin-toolbar">
        <div className="field">
          <label htmlFor={orgSelect}>{t('organisation')}</label>
          <select
            id={orgSelect}
            value={orgId}
            onChange={(e) => {
              setNotice(undefined);
              setEditing(undefined);
              setOrgId(e.target.value);
            }}
          >
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setNotice(undefined);
            setEditing({ kind: 'add' });
          }}
        >
          {t('addPerson')}
        </button>
      </div>
      {notice ? (
        <div className="alert alert-success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {error ? <ErrorMessage error={error} onRetry={() => void load()} /> : null}
      {editing?.kind === 'add' ? (
        <PositionForm
          key="add"
          mode="add"
          orgs={orgs}
          initial={{ orgId, role: 'specialist', title: '' }}
          onCancel={() => setEditing(undefined)}
          onDone={done}
        />
      ) : null}
      {editing?.kind === 'move' ? (
        <PositionForm
          key={`move-${editing.person.id}`}
          mode="move"
          person={editing.person}
          orgs={orgs}
          initial={editing.person.position}
          onCancel={() => setEditing(undefined)}
          onDone={done}
        />
      ) : null}
      {editing?.kind === 'depart' && people ? (
        <DepartureForm
          key={`depart-${editing.person.id}`}
          person={editing.person}
          candidates={people.filter((p) => p.id !== editing.person.id)}
          onCancel={() => setEditing(undefined)}
          onDone={(outcome) => {
            const lines = [
              t('departed', {
                name: editing.person.name,
                count: outcome.handedOver.length,
                successor: nameOf(outcome.successorId),
              }),
              t(outcome.signIn === 'disabled' ? 'signInDisabled' : 'signInNone'),
              ...(outcome.revokedCertificate
                ? [t('certificateRevoked', { serial: outcome.revokedCertificate })]
                : []),
            ];
            done(lines.join(' '));
          }}
        />
      ) : null}
      {requests.length > 0 ? (
        <div className="panel admin-requests">
          <h2>{t('requests')}</h2>
          <ul>
            {requests.map((r) => (
              <li key={r.id} data-request={r.id}>
                <span>
                  {t('requestLine', {
                    name: nameOf(r.personId),
                    title: r.position.title,
                    role: l.role(r.position.role),
                    org: session.orgName(r.position.orgId),
                    by: r.requestedBy,
                  })}
                </span>
                <span className="admin-actions">
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={async () => {
                      setError(undefined);
                      try {
                        await post(
                          `/api/position-requests/${r.id}/approve`,
                          {},
                          z.unknown(),
                          idempotencyKey(),
                        );
                        done(t('approved', { name: nameOf(r.personId) }));
                      } catch (caught) {
                        setError(caught);
                      }
                    }}
                  >
                    {t('approve')}
                  </button>
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={async () => {
                      setError(undefined);
                      try {
                        await post(
                          `/api/position-requests/${r.id}/reject`,
                          {},
                          z.unknown(),
                          idempotencyKey(),
                        );
                        done(t('rejected'));
                      } catch (caught) {
                        setError(caught);
                      }
                    }}
                  >
                    {t('reject')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {people === undefined && !error ? <Loading /> : null}
      {people ? (
        <div className="panel admin-people">
          <p className="muted">{t('count', { count: people.length })}</p>
          {people.length === 0 ? (
            <p className="empty">{t('empty')}</p>
          ) : (
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t('col_name')}</th>
                  <th scope="col">{t('col_position')}</th>
                  <th scope="col">{t('col_certificate')}</th>
                  <th scope="col">{t('col_actions')}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => {
                  const self = p.id === session.me.id;
                  return (
                    <tr key={p.id} data-person={p.id}>
                      <td data-label={t('col_name')}>
                        <strong>{p.name}</strong> {self ? t('you') : null}
                        <br />
                        <code className="muted">{p.id}</code>
                      </td>
                      <td data-label={t('col_position')}>
                        {p.position.title}
                        <br />
                        <span className="muted">
                          {l.role(p.position.role)}
                          {p.position.unitCode ? ` · ${p.position.unitCode}` : ''}
                        </span>
                      </td>
                      <td
                        data-label={t('col_certificate')}
                        data-certificate={p.certificate?.status ?? 'none'}
                      >
                        {p.certificate ? (
                          <>
                            <Badge tone={p.certificate.status === 'valid' ? 'success' : 'danger'}>
                              {t(p.certificate.status === 'valid' ? 'cert_valid' : 'cert_revoked')}
                            </Badge>
                            <br />
                            <span className="muted admin-serial">
                              {t('cert_serial', { serial: p.certificate.serial })}
                            </span>
                          </>
                        ) : (
                          <Badge>{t('cert_none')}</Badge>
                        )}
                      </td>
                      <td data-label={t('col_actions')}>
                        {self ? null : (
                          <span className="admin-actions">
                            <button
                              type="button"
                              className="button button-secondary"
                              onClick={() => {
                                setNotice(undefined);
                                setEditing({ kind: 'move', person: p });
                              }}
                            >
                              {t('changePosition')}
                            </button>
                            <button
                              type="button"
                              className="button button-ghost"
                              onClick={() => {
                                setNotice(undefined);
                                setEditing({ kind: 'depart', person: p });
                              }}
                            >
                              {t('recordDeparture')}
                            </button>
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      ) : null}
    </section>
  );
}

/** Adds a person, or moves one to a new position (a guarded role only requested: 202). */
function PositionForm(props: {
  readonly mode: 'add' | 'move';
  readonly person?: Person;
  readonly orgs: readonly OrganisationSummary[];
  readonly initial: Position;
  readonly onCancel: () => void;
  readonly onDone: (message: string) => void;
}) {
  const { language, l } = useI18n();
  const t = useMemo(() => adminScreenTranslator(language), [language]);
  const ids = {
    id: useId(),
    name: useId(),
    email: useId(),
    org: useId(),
    role: useId(),
    rank: useId(),
    title: useId(),
    unit: useId(),
    heading: useId(),
  };
  const [personId, setPersonId] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [orgId, setOrgId] = useState(props.initial.orgId);
  const [role, setRole] = useState<Role>(props.initial.role);
  const [rank, setRank] = useState<Rank>(props.initial.rank ?? 'deputy');
  const [title, setTitle] = useState(props.initial.title);
  const [unitCode, setUnitCode] = useState(props.initial.unitCode ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key] = useState(idempotencyKey);

  // The usual titles (core/domain/directory.ts defaultTitle); a leader's depends on the organisation: typed.
  const usualTitle = (): string => (role === 'leader' ? '' : USUAL_TITLES[role]);

  const submit = async () => {
    setError(undefined);
    const position = PositionSchema.safeParse({
      orgId,
      role,
      title: title.trim() || usualTitle(),
      ...(role === 'leader' ? { rank } : {}),
      ...(unitCode.trim() ? { unitCode: unitCode.trim() } : {}),
    });
    if (!position.success) {
      setError(new Error(position.error.issues.map((i) => i.message).join('; ')));
      return;
    }
    setBusy(true);
    try {
      if (props.mode === 'add') {
        const added = await post(
          '/api/people',
          {
            id: personId.trim(),
            name: name.trim(),
            position: position.data,
            ...(email.trim() ? { email: email.trim() } : {}),
          },
          z.object({ name: z.string(), signIn: z.string().optional() }).loose(),
          key,
        );
        props.onDone(t(added.signIn === 'created' ? 'addedInvited' : 'added', { name: added.name }));
      } else if (props.person) {
        const answer = await api(
          'PUT',
          `/api/people/${encodeURIComponent(props.person.id)}/position`,
          AppliedSchema,
          {
            body: position.data,
            idempotencyKey: key,
          },
        );
        props.onDone(t('request' in answer ? 'requested' : 'moved', { name: props.person.name }));
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel admin-form"
      aria-labelledby={ids.heading}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id={ids.heading}>
        {props.mode === 'add' ? t('addPerson') : `${t('changePosition')}: ${props.person?.name ?? ''}`}
      </h2>
      <div className="admin-fields">
        {props.mode === 'add' ? (
          <>
            <div className="field">
              <label htmlFor={ids.id}>{t('id')}</label>
              <input
                id={ids.id}
                required
                value={personId}
                aria-describedby={`${ids.id}-hint`}
                onChange={(e) => setPersonId(e.target.value)}
              />
              <p className="hint" id={`${ids.id}-hint`}>
                {t('idHint')}
              </p>
            </div>
            <div className="field">
              <label htmlFor={ids.name}>{t('name')}</label>
              <input id={ids.name} required value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.email}>{t('email')}</label>
              <input
                id={ids.email}
                type="email"
                value={email}
                aria-describedby={`${ids.email}-hint`}
                onChange={(e) => setEmail(e.target.value)}
              />
              <p className="hint" id={`${ids.email}-hint`}>
                {t('emailHint')}
              </p>
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor={ids.org}>{t('organisation')}</label>
          <select id={ids.org} value={orgId} onChange={(e) => setOrgId(e.target.value)}>
            {props.orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t('role')}</label>
          <select
            id={ids.role}
            value={role}
            aria-describedby={`${ids.role}-hint`}
            onChange={(e) => {
              const next = e.target.value as Role;
              // A usual title follows the role; one typed by hand stays.
              const usual: readonly string[] = Object.values(USUAL_TITLES);
              if (title.trim() === '' || usual.includes(title.trim()))
                setTitle(next === 'leader' ? '' : USUAL_TITLES[next]);
              setRole(next);
            }}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {l.role(r)}
              </option>
            ))}
          </select>
          <p className="hint" id={`${ids.role}-hint`}>
            {t('guardedHint')}
          </p>
        </div>
        {role === 'leader' ? (
          <div className="field">
            <label htmlFor={ids.rank}>{t('rank')}</label>
            <select id={ids.rank} value={rank} onChange={(e) => setRank(e.target.value as Rank)}>
              {RANKS.map((r) => (
                <option key={r} value={r}>
                  {t(`rank_${r}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={ids.title}>{t('positionTitle')}</label>
          <input
            id={ids.title}
            required={role === 'leader'}
            value={title}
            aria-describedby={`${ids.title}-hint`}
            onChange={(e) => setTitle(e.target.value)}
          />
          <p className="hint" id={`${ids.title}-hint`}>
            {t('titleHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={ids.unit}>{t('unitCode')}</label>
          <input id={ids.unit} value={unitCode} onChange={(e) => setUnitCode(e.target.value.toUpperCase())} />
        </div>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="form-buttons">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" className="button button-ghost" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function DepartureForm(props: {
  readonly person: Person;
  readonly candidates: readonly Person[];
  readonly onCancel: () => void;
  readonly onDone: (outcome: DepartureView) => void;
}) {
  const { language } = useI18n();
  const t = useMemo(() => adminScreenTranslator(language), [language]);
  const ids = { successor: useId(), heading: useId() };
  const [successorId, setSuccessorId] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key] = useState(idempotencyKey);
  return (
    <form
      className="panel admin-form admin-departure"
      aria-labelledby={ids.heading}
      onSubmit={async (event) => {
        event.preventDefault();
        setError(undefined);
        setBusy(true);
        try {
          props.onDone(
            await post(
              `/api/people/${encodeURIComponent(props.person.id)}/departure`,
              { successorId },
              DepartureSchema,
              key,
            ),
          );
        } catch (caught) {
          setError(caught);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id={ids.heading}>{t('departureTitle', { name: props.person.name })}</h2>
      <p>{t('departureExplain')}</p>
      <div className="field">
        <label htmlFor={ids.successor}>{t('successor')}</label>
        <select
          id={ids.successor}
          required
          value={successorId}
          onChange={(e) => setSuccessorId(e.target.value)}
        >
          <option value="">{t('chooseSuccessor')}</option>
          {props.candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} · {p.position.title}
            </option>
          ))}
        </select>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="form-buttons">
        <button type="submit" className="button button-danger" disabled={busy || !successorId}>
          {t('confirmDeparture')}
        </button>
        <button type="button" className="button button-ghost" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
