import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { OrganisationSummary, PersonSummary } from '../../lambdas/contracts/directory';
import {
  type DocumentAction,
  type DocumentView,
  DocumentViewSchema,
  type InboxItem,
  InboxPageSchema,
  type UploadTarget,
} from '../../lambdas/contracts/documents';
import { post, uploadFile } from './api';
import { capacityChoices, eitherWay, preferredChoice, signBody } from './capacities';
import { addDays, formatDate, vietnamToday } from './format';
import { type MessageKey, useI18n } from './i18n';
import { useJointTexts } from './JointIssuers';
import { GROUPS, type Group, OrgPicker } from './OrgPicker';
import { PlacementEditor } from './PlacementEditor';
import { usePeople } from './people';
import { SignatureAuthorization } from './SignatureAuthorization';
import { useGet, useIdempotencyKey, useSession } from './session';
import type { SignatureJob } from './signing';
import { ErrorMessage, Field, FileInput, Loading } from './ui';

/*
 * The actions a person may take on a document, as the document view lists them (the server asks its state
 * machines), each a small form that opens under the action bar. A form keeps what was typed when the API
 * refuses (the message says why); a retry after a network failure reuses the same Idempotency-Key, so the
 * action happens once.
 */

/** After an action: what was done, for the notice; undefined when the page should only show the document anew. */
type Done = (what: string | undefined) => void;

// Submitting names who will review it first (issue 18): a form of its own, not a direct action.
const DIRECT: ReadonlySet<DocumentAction> = new Set(['start']);
const UNDOING: ReadonlySet<DocumentAction> = new Set(['returnDraft', 'returnToSender', 'recall']);

export function ActionBar({ view, onDone }: { view: DocumentView; onDone: Done }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<DocumentAction | undefined>();
  const actions = view.actions;
  const direct = useDirectAction(view, onDone);
  const joint = useJointTexts();

  // A new state of the document closes whatever form was open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: view.state and record state drive it
  useEffect(() => setOpen(undefined), [view.state, view.record?.state]);

  if (actions.length === 0) return null;
  const sealing = view.state === 'ISSUED' && (view.issuers?.length ?? 0) > 1;
  const label = (a: DocumentAction) => (a === 'issue' && sealing ? joint('sealAction') : t(`act_${a}`));
  const done: Done = (what) => {
    setOpen(undefined);
    onDone(what);
  };
  return (
    <section className="actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading" className="visually-hidden">
        {t('actions')}
      </h2>
      <div className="action-buttons">
        {actions.map((a, i) => (
          <button
            key={a}
            type="button"
            // A step that undoes is never the primary one (red on the primary colour fails contrast).
            className={`button ${i === 0 && !UNDOING.has(a) ? 'button-primary' : 'button-secondary'}${UNDOING.has(a) ? ' button-danger-outline' : ''}`}
            aria-expanded={DIRECT.has(a) ? undefined : open === a}
            aria-controls={DIRECT.has(a) ? undefined : 'action-panel'}
            disabled={direct.busy}
            data-action={a}
            onClick={() => (DIRECT.has(a) ? direct.run(a, label(a)) : setOpen(open === a ? undefined : a))}
          >
            {direct.busy && direct.action === a ? t('working') : label(a)}
          </button>
        ))}
      </div>
      <ErrorMessage error={direct.error} />
      {open ? (
        <div id="action-panel" className="action-panel">
          <ActionForm
            action={open}
            view={view}
            title={label(open)}
            onDone={done}
            onCancel={() => setOpen(undefined)}
          />
        </div>
      ) : null}
    </section>
  );
}

function useDirectAction(view: DocumentView, onDone: Done) {
  const idem = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const [action, setAction] = useState<DocumentAction | undefined>();
  const [error, setError] = useState<unknown>();
  const run = async (a: DocumentAction, label: string) => {
    setBusy(true);
    setAction(a);
    setError(undefined);
    try {
      await post(`/api/documents/${encodeURIComponent(view.id)}/${a}`, {}, DocumentViewSchema, idem.key());
      idem.settle();
      onDone(label);
    } catch (e) {
      idem.settle(e);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, action, error, run: (a: DocumentAction, label: string) => void run(a, label) };
}

/** Runs one POST for a form, with the form's Idempotency-Key and its error kept beside the fields. */
function useSubmit(view: DocumentView, endpoint: string, onDone: Done, what: string) {
  const idem = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (body: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      await post(
        `/api/documents/${encodeURIComponent(view.id)}/${endpoint}`,
        body,
        DocumentViewSchema,
        idem.key(),
      );
      idem.settle();
      onDone(what);
    } catch (e) {
      idem.settle(e);
      setError(e);
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}

function Panel({
  title,
  onSubmit,
  busy,
  error,
  submitLabel,
  onCancel,
  children,
  danger,
}: {
  title: string;
  onSubmit: () => void;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onCancel: () => void;
  children?: ReactNode;
  danger?: boolean;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const handle = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <form
      className="panel form-panel"
      aria-labelledby={headingId}
      onSubmit={handle}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) onCancel();
      }}
      noValidate
    >
      <h3 id={headingId} ref={heading} tabIndex={-1} className="panel-title">
        {title}
      </h3>
      {children}
      <ErrorMessage error={error} />
      <div className="form-buttons">
        <button
          type="submit"
          className={`button ${danger ? 'button-danger' : 'button-primary'}`}
          disabled={busy}
          data-submit="true"
        >
          {busy ? t('working') : submitLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

interface FormProps {
  readonly action: DocumentAction;
  readonly view: DocumentView;
  readonly title: string;
  readonly onDone: Done;
  readonly onCancel: () => void;
}

function ActionForm(props: FormProps) {
  switch (props.action) {
    case 'upload':
    case 'replace':
      return <UploadForm {...props} />;
    case 'returnDraft':
    case 'returnToSender':
      return <ReasonForm {...props} endpoint="return" />;
    case 'recall':
      return <ReasonForm {...props} endpoint="recall" />;
    case 'archive':
      return <ConfirmForm {...props} endpoint="archive" text="archiveHint" />;
    case 'approve':
      return <ApproveForm {...props} />;
    case 'sign':
      return <SignForm {...props} />;
    case 'issue':
      return <IssueForm {...props} />;
    case 'register':
      return <ConfirmForm {...props} endpoint="register" text="registerHint" />;
    case 'send':
      return <SendForm {...props} />;
    case 'assign':
      return <AssignForm {...props} />;
    case 'resolve':
      return <ResolveForm {...props} />;
    case 'forward':
      return <ForwardForm {...props} />;
    case 'submit':
      return <SubmitForm {...props} />;
    case 'start':
      return null;
    case 'place':
      return <PlacementEditor view={props.view} editable onDone={props.onDone} />;
  }
}

function ConfirmForm({
  view,
  title,
  onDone,
  onCancel,
  endpoint,
  text,
}: FormProps & { endpoint: string; text: MessageKey }) {
  const { t } = useI18n();
  const { busy, error, submit } = useSubmit(view, endpoint, onDone, title);
  return (
    <Panel
      title={title}
      onSubmit={() => void submit({})}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <p>{t(text)}</p>
    </Panel>
  );
}

function ReasonForm({ view, title, onDone, onCancel, endpoint }: FormProps & { endpoint: string }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, setError, submit } = useSubmit(view, endpoint, onDone, title);
  return (
    <Panel
      title={title}
      onSubmit={() => (reason.trim() ? void submit({ reason }) : setError(new Error(t('reasonRequired'))))}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
      danger
    >
      <Field label={t('reason')} hint={t('reasonHint')}>
        {(p) => (
          <textarea
            {...p}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            maxLength={2000}
            required
          />
        )}
      </Field>
    </Panel>
  );
}

/** The people of one's own organisation (assignees, signers). */
function useColleagues(): PersonSummary[] | undefined {
  const { me } = useSession();
  return usePeople(me.position.orgId);
}

const personLabel = (p: PersonSummary) => `${p.name} — ${p.title}`;

function ApproveForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const people = useColleagues();
  const [signerId, setSignerId] = useState(view.document?.designatedSignerId ?? '');
  const [note, setNote] = useState('');
  const { busy, error, submit } = useSubmit(view, 'approve', onDone, title);
  const leaders = (people ?? []).filter((p) => p.role === 'leader' && !p.unitCode);
  return (
    <Panel
      title={title}
      onSubmit={() => void submit({ ...(signerId ? { signerId } : {}), ...(note.trim() ? { note } : {}) })}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <Field label={t('signer')}>
        {(p) => (
          <select {...p} value={signerId} onChange={(e) => setSignerId(e.target.value)}>
            <option value="">{t('signerAny')}</option>
            {leaders.map((person) => (
              <option key={person.id} value={person.id}>
                {personLabel(person)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('note')}>
        {(p) => (
          <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
        )}
      </Field>
    </Panel>
  );
}

function SignForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  // Only the capacities the signer holds for this document, as the view lists them.
  const choices = capacityChoices(view.capacities);
  const [choiceKey, setChoiceKey] = useState(preferredChoice(choices)?.key ?? '');
  const [onBehalf, setOnBehalf] = useState(true);
  const choice = choices.find((c) => c.key === choiceKey);
  const signing = useSigningDialog(view, title, onDone);
  return (
    <>
      <Panel
        title={title}
        onSubmit={() => signing.open({ step: 'sign', body: signBody(choice, onBehalf) })}
        busy={signing.busy}
        error={undefined}
        submitLabel={title}
        onCancel={onCancel}
      >
        <fieldset className="radio-group" disabled={signing.busy}>
          <legend>{t('capacity')}</legend>
          {[undefined, ...choices].map((option) => (
            <label key={option?.key ?? 'auto'} className="check">
              <input
                type="radio"
                name="capacity"
                value={option?.key ?? ''}
                checked={choiceKey === (option?.key ?? '')}
                onChange={() => setChoiceKey(option?.key ?? '')}
                data-capacity={option?.kind ?? 'auto'}
              />
              <span>{option ? t(`capacity_${option.kind}`) : t('capacityAuto')}</span>
            </label>
          ))}
        </fieldset>
        {eitherWay(choice) ? (
          <label className="check">
            <input
              type="checkbox"
              checked={onBehalf}
              disabled={signing.busy}
              onChange={(e) => setOnBehalf(e.target.checked)}
            />
            <span>{t('onBehalfOfCollective')}</span>
          </label>
        ) : null}
        <p className="alert alert-warning">{t('signWarning')}</p>
        <PlacementEditor view={view} editable={false} />
        <p className="hint">{t('sigAuthorizeNext')}</p>
        {signing.notice}
      </Panel>
      {signing.dialog}
    </>
  );
}

/** The clerk's issue: the number is reserved and the seal prepared, then the clerk authorizes it. */
function IssueForm({ view, title: issueTitle, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const joint = useJointTexts();
  // A co-issuer's seal on a joint document the lead has issued goes through the same step (JointIssuers.tsx).
  const sealing = view.state === 'ISSUED' && (view.issuers?.length ?? 0) > 1;
  const title = sealing ? joint('sealAction') : issueTitle;
  const signing = useSigningDialog(view, title, onDone);
  return (
    <>
      <Panel
        title={title}
        onSubmit={() => signing.open({ step: 'issue' })}
        busy={signing.busy}
        error={undefined}
        submitLabel={title}
        onCancel={onCancel}
      >
        {sealing ? null : <p>{t('issueWarning')}</p>}
        <p className="hint">{t('sigAuthorizeNext')}</p>
        {signing.notice}
      </Panel>
      {signing.dialog}
    </>
  );
}

/**
 * The signing dialog for this document, opened by a form. While it is open the form is locked; a cancel
 * before authorization leaves the form as it was, with a word that nothing was signed.
 */
function useSigningDialog(view: DocumentView, title: string, onDone: Done) {
  const { t } = useI18n();
  const [job, setJob] = useState<SignatureJob | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const notice = (
    <p className={note ? 'alert alert-info' : 'visually-hidden'} role="status" data-testid="sign-cancelled">
      {note}
    </p>
  );
  // Beside the form, not in it: the dialog has a form of its own.
  const dialog = job ? (
    <SignatureAuthorization
      jobs={[job]}
      onCancel={() => {
        setJob(undefined);
        setNote(t('sigCancelled'));
      }}
      onFinished={(outcome) => {
        setJob(undefined);
        // Done only when the server said so; otherwise the page reloads the document and shows it as it is.
        onDone(outcome.done.length > 0 ? title : undefined);
      }}
    />
  ) : null;
  return {
    busy: job !== undefined,
    notice,
    dialog,
    open: (what: Pick<SignatureJob, 'step' | 'body'>) => {
      setNote(undefined);
      setJob({
        ...what,
        documentId: view.id,
        title: view.title ?? view.id,
        shownSha256: view.record?.documentSha256 ?? view.document?.documentSha256,
      });
    },
  };
}

function SendForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const { orgList, me } = useSession();
  const named = view.document?.recipients?.map((r) => r.orgId) ?? [];
  const [recipients, setRecipients] = useState<string[]>(named);
  // The send goes out only after the clerk has read who receives it (issue 18).
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, submit } = useSubmit(view, 'send', onDone, title);
  const orgs = expandRecipients(recipients, orgList, me.position.orgId);
  return (
    <Panel
      title={title}
      onSubmit={() => {
        if (recipients.length === 0) setError(new Error(t('orgNoneSelected')));
        else if (!confirming) setConfirming(true);
        else void submit({ recipients });
      }}
      busy={busy}
      error={error}
      submitLabel={confirming ? t('wdSendConfirm', { count: orgs.length }) : title}
      onCancel={onCancel}
    >
      <OrgPicker
        legend={t('sendTo')}
        value={recipients}
        onChange={(next) => {
          setRecipients(next);
          setConfirming(false);
          // A choice made answers "none chosen": the message goes with it.
          setError(undefined);
        }}
      />
      {confirming ? <RecipientConfirmation orgs={orgs} /> : null}
    </Panel>
  );
}

/** The organisations a send reaches: groups expanded, each once, in the directory's order. */
export function expandRecipients(
  value: readonly string[],
  orgList: readonly OrganisationSummary[],
  own: string,
): OrganisationSummary[] {
  const chosen = new Set(value);
  return orgList.filter(
    (o) =>
      o.id !== own &&
      (chosen.has(o.id) || (Object.keys(GROUPS) as Group[]).some((g) => chosen.has(g) && GROUPS[g](o))),
  );
}

function RecipientConfirmation({ orgs }: { orgs: readonly OrganisationSummary[] }) {
  const { t } = useI18n();
  return (
    // Announced when it appears: the clerk hears whom the send reaches before confirming.
    <div className="confirm-box" aria-live="polite" data-testid="confirm-recipients">
      <p id="confirm-recipients-heading" className="confirm-title">
        {t('wdSendWillReach', { count: orgs.length })}
      </p>
      <ul className="confirm-list">
        {orgs.map((o) => (
          <li key={o.id} data-org={o.id}>
            {o.name}
          </li>
        ))}
      </ul>
      <p className="hint">{t('wdSendCheck')}</p>
    </div>
  );
}

/** Submitting a draft: who will review it, said before it goes, with an optional note. */
function SubmitForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const { orgName, me } = useSession();
  const people = useColleagues();
  const [note, setNote] = useState('');
  const { busy, error, submit } = useSubmit(view, 'submit', onDone, title);
  const leaders = (people ?? []).filter((p) => p.role === 'leader' && !p.unitCode);
  return (
    <Panel
      title={title}
      onSubmit={() => void submit(note.trim() ? { note } : {})}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <div className="confirm-box" data-testid="confirm-reviewers">
        <p className="confirm-title">{t('wdSubmitTo', { org: orgName(me.position.orgId) })}</p>
        {people ? (
          <ul className="confirm-list">
            {leaders.map((p) => (
              <li key={p.id} data-person={p.id}>
                {personLabel(p)}
              </li>
            ))}
          </ul>
        ) : (
          <Loading />
        )}
      </div>
      <Field label={t('note')}>
        {(p) => (
          <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
        )}
      </Field>
    </Panel>
  );
}

function ForwardForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const [to, setTo] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const { busy, error, setError, submit } = useSubmit(view, 'forward', onDone, title);
  return (
    <Panel
      title={title}
      onSubmit={() => {
        if (to.length === 0) setError(new Error(t('orgNoneSelected')));
        else void submit({ to, ...(note.trim() ? { note } : {}) });
      }}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <OrgPicker
        legend={t('forwardTo')}
        value={to}
        onChange={(next) => {
          setTo(next);
          setError(undefined);
        }}
        groups={false}
      />
      <Field label={t('note')}>
        {(p) => (
          <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
        )}
      </Field>
    </Panel>
  );
}

function PeopleChecks({
  legend,
  people,
  value,
  onChange,
  exclude,
  name,
}: {
  legend: string;
  people: readonly PersonSummary[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  exclude: ReadonlySet<string>;
  name: string;
}) {
  return (
    <fieldset className="people-checks">
      <legend>{legend}</legend>
      {people
        .filter((p) => !exclude.has(p.id))
        .map((p) => (
          <label key={p.id} className="check">
            <input
              type="checkbox"
              name={name}
              value={p.id}
              checked={value.includes(p.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, p.id] : value.filter((v) => v !== p.id))
              }
            />
            <span>{personLabel(p)}</span>
          </label>
        ))}
    </fieldset>
  );
}

function AssignForm({ view, title, onDone, onCancel }: FormProps) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const people = useColleagues();
  const [lead, setLead] = useState('');
  const [support, setSupport] = useState<string[]>([]);
  const [info, setInfo] = useState<string[]>([]);
  const [deadline, setDeadline] = useState(() => view.record?.dueDate ?? addDays(vietnamToday(), 7));
  const [note, setNote] = useState('');
  const { busy, error, setError, submit } = useSubmit(view, 'assign', onDone, title);
  const deadlineHint = (date: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
    const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    );
    return t('deadlineIs', { date: formatDate(date, locale), weekday });
  };
  if (!people) return <Loading />;
  // Handlers are the organisation's specialists and leaders other than the one directing.
  const handlers = people.filter((p) => (p.role === 'specialist' || p.role === 'leader') && p.id !== me.id);
  return (
    <Panel
      title={title}
      onSubmit={() => {
        const missing = !lead
          ? 'leadRequired'
          : !deadline
            ? 'deadlineRequired'
            : deadline < vietnamToday()
              ? 'wdDeadlinePast'
              : !note.trim()
                ? 'noteRequired'
                : undefined;
        if (missing) {
          setError(new Error(t(missing)));
          return;
        }
        void submit({
          lead,
          ...(support.length ? { support: support.filter((s) => s !== lead) } : {}),
          ...(info.length ? { info: info.filter((s) => s !== lead) } : {}),
          deadline,
          note,
        });
      }}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <Field label={t('lead')}>
        {(p) => (
          <select {...p} value={lead} onChange={(e) => setLead(e.target.value)} required>
            <option value="">{t('choosePerson')}</option>
            {handlers.map((person) => (
              <option key={person.id} value={person.id}>
                {personLabel(person)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="two-columns">
        <PeopleChecks
          legend={t('support')}
          name="support"
          people={handlers}
          value={support}
          onChange={setSupport}
          exclude={new Set([lead])}
        />
        <PeopleChecks
          legend={t('info')}
          name="info"
          people={people.filter((p) => p.id !== me.id)}
          value={info}
          onChange={setInfo}
          exclude={new Set([lead])}
        />
      </div>
      <Field label={t('deadline')} hint={deadlineHint(deadline)}>
        {(p) => (
          <input
            {...p}
            type="date"
            value={deadline}
            min={vietnamToday()}
            onChange={(e) => setDeadline(e.target.value)}
            required
          />
        )}
      </Field>
      <Field label={t('directionNote')}>
        {(p) => (
          <textarea
            {...p}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            rows={3}
            maxLength={2000}
            required
          />
        )}
      </Field>
    </Panel>
  );
}

function ResolveForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [reply, setReply] = useState<InboxItem | undefined>();
  const { busy, error, setError, submit } = useSubmit(view, 'resolve', onDone, title);
  return (
    <Panel
      title={title}
      onSubmit={() =>
        // A resolution says what was done (issue 18): an empty result is refused here, beside the field.
        note.trim()
          ? void submit({ note, ...(reply ? { replyId: reply.id } : {}) })
          : setError(new Error(t('wdResultRequired')))
      }
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <Field label={t('resolveNote')} hint={t('wdResultHint')}>
        {(p) => (
          <textarea
            {...p}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            rows={3}
            maxLength={2000}
            required
          />
        )}
      </Field>
      <ReplyPicker value={reply} onChange={setReply} />
    </Panel>
  );
}

/** The reply document, found among the organisation's outgoing documents by number, symbol or subject. */
function ReplyPicker({
  value,
  onChange,
}: {
  value: InboxItem | undefined;
  onChange: (item: InboxItem | undefined) => void;
}) {
  const { t, l } = useI18n();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const found = useGet(
    debounced ? `/api/inbox?folder=outgoing&limit=10&q=${encodeURIComponent(debounced)}` : undefined,
    InboxPageSchema,
  );
  if (value) {
    return (
      <div className="field">
        <p className="field-label">{t('wdReplyChosen')}</p>
        <p className="chip reply-chip" data-reply={value.id}>
          <span>
            {value.symbol ?? t('noNumber')} — {value.title}
          </span>
          <button type="button" className="chip-remove" onClick={() => onChange(undefined)}>
            {t('wdReplyRemove')}
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="reply-picker">
      <Field label={t('wdReplySearch')} hint={t('wdReplyHint')}>
        {(p) => (
          <input
            {...p}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
          />
        )}
      </Field>
      {debounced && found.status === 'ready' ? (
        found.value.items.length === 0 ? (
          <p className="empty">{t('wdReplyNone')}</p>
        ) : (
          <ul className="reply-results">
            {found.value.items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onChange(item)}
                  data-reply={item.id}
                >
                  <span className="reply-symbol">{item.symbol ?? t('noNumber')}</span>{' '}
                  <span className="muted">{l.docType(item.docType)}</span> — {item.title}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

// --- Uploading a draft's PDF ---------------------------------------------------------------------------------

export function checkPdf(file: File | undefined, maxBytes: number | undefined): MessageKey | undefined {
  if (!file) return 'fileRequired';
  if (file.type !== 'application/pdf' && !file.name.toLowerCase().endsWith('.pdf')) return 'fileNotPdf';
  if (maxBytes !== undefined && file.size > maxBytes) return 'fileTooLarge';
  return undefined;
}

/** PUTs the file to the presigned URL (with progress), then asks the API to check and record it. */
export async function uploadDraft(
  id: string,
  target: UploadTarget,
  file: File,
  onProgress: (fraction: number) => void,
  idempotencyKey: string,
): Promise<DocumentView> {
  await uploadFile(target, file, onProgress);
  return post(`/api/documents/${encodeURIComponent(id)}/content`, {}, DocumentViewSchema, idempotencyKey);
}

export function Progress({ fraction }: { fraction: number | undefined }) {
  const { t } = useI18n();
  if (fraction === undefined) return null;
  const percent = Math.round(fraction * 100);
  return (
    <div className="progress">
      <progress max={100} value={percent} aria-label={t('uploading', { percent })} />
      <span aria-live="polite">{fraction >= 1 ? t('uploadDone') : t('uploading', { percent })}</span>
    </div>
  );
}

function UploadForm({ view, title, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const idem = useIdempotencyKey();
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    const problem = checkPdf(file, view.upload?.maxBytes);
    if (problem || !file || !view.upload) {
      setError(new Error(t(problem ?? 'fileRequired')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await uploadDraft(view.id, view.upload, file, setProgress, idem.key());
      idem.settle();
      onDone(title);
    } catch (e) {
      idem.settle(e);
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Panel
      title={title}
      onSubmit={() => void run()}
      busy={busy}
      error={error}
      submitLabel={title}
      onCancel={onCancel}
    >
      <FileInput
        label={t('draftFile')}
        hint={t('draftFileHint')}
        accept="application/pdf,.pdf"
        onChange={setFile}
      />
      <Progress fraction={progress} />
    </Panel>
  );
}
