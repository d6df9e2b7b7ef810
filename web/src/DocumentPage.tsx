import { useEffect, useRef, useState } from 'react';
import {
  type Assignee,
  type Delivery,
  type DocumentView,
  documentContracts,
  FileUrlSchema,
  type LogEntry,
  type PersonalSignature,
  type Signature,
} from '../../lambdas/contracts/documents';
import { exchangeContracts } from '../../lambdas/contracts/exchange';
import { problemText } from '../../lambdas/core/i18n/problems';
import { ActionBar } from './ActionForms';
import { AmendmentNote } from './Amendments';
import { ArchiveNote } from './ArchiveNote';
import { AttachmentsPanel } from './Attachments';
import { DeliveryTracking, externalDeliveryStatus } from './DeliveryTracking';
import { ExternalHistory } from './ExternalHistory';
import { ExternalSendPanel } from './ExternalSend';
import { FileDownload, readableFileName } from './FileDownload';
import { formatDate, formatDateTime } from './format';
import { useI18n } from './i18n';
import { JointIssuersPanel } from './JointIssuers';
import { PdfPreview, type SignatureValidity } from './PdfPreview';
import { usePeopleNames } from './people';
import { href } from './router';
import { useGet, useSession } from './session';
import { Badge, DeadlineBadge, ErrorMessage, Icon, Loading, StateBadge, type Tone, UrgencyBadge } from './ui';
import {
  currentReport,
  type DocumentAudit,
  DocumentAuditAnswer,
  type SignatureCheck,
  signatureChecks,
  type VerificationReport,
} from './verification';
import { SourceFileNotice } from './WordDraft';

export function DocumentPage({ id }: { id: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  const [validity, setValidity] = useState<SignatureValidity | undefined>();
  const view = useGet(
    `/api/documents/${encodeURIComponent(id)}`,
    documentContracts['GET /api/documents/{id}'].response,
    version,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const external = useExternalDeliveries(id, view.status === 'ready' ? view.value : undefined, version);

  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error') return <ErrorMessage error={view.error} onRetry={view.reload} />;
  const doc = view.value;

  const onDone = (what: string | undefined) => {
    setNotice(what ? t('done', { what }) : undefined);
    setVersion((v) => v + 1);
    session.refreshCounts();
    heading.current?.focus();
  };

  return (
    <article className="document" aria-labelledby="doc-title">
      <DocumentHeader view={doc} headingRef={heading} />
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : (
        <p className="visually-hidden" role="status" />
      )}
      <ActionBar view={doc} onDone={onDone} />
      <ArchiveNote view={doc} />
      <AmendmentNote view={doc} />
      <div className="doc-grid">
        <section className="panel doc-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading" className="panel-title">
            {t('preview')}
          </h2>
          <DocumentFile view={doc} validity={validity} />
        </section>
        <div className="doc-side">
          <Metadata view={doc} />
          <JointIssuersPanel view={doc} />
          <AttachmentsPanel view={doc} onChanged={() => onDone(undefined)} />
          <SignaturePanel view={doc} onValidity={setValidity} />
          {(doc.deliveries?.length ?? 0) + external.deliveries.length > 0 ? (
            <DeliveryTracking
              deliveries={[...(doc.deliveries ?? []), ...external.deliveries]}
              external={external.names}
              remind={remindsRecipients(doc, session.me) ? { documentId: doc.id } : undefined}
            />
          ) : null}
          {external.deliveries.length > 0 ? <ExternalHistory documentId={doc.id} version={version} /> : null}
          <ExternalSendPanel view={doc} onDone={onDone} />
          {external.failed ? (
            <p className="alert alert-warning" role="status">
              {t('exchangeExternalLoadFailed')}
            </p>
          ) : null}
          <Timeline view={doc} />
        </div>
      </div>
    </article>
  );
}

function DocumentHeader({
  view,
  headingRef,
}: {
  view: DocumentView;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const { t, l } = useI18n();
  const { me } = useSession();
  const record = view.record;
  const ownState = record && record.orgId === me.position.orgId ? record.state : view.state;
  const urgency = view.document?.urgency ?? record?.urgency;
  const deadline =
    record?.handlerDeadline ?? record?.assignment?.deadline ?? record?.dueDate ?? view.document?.dueDate;
  const folder = record
    ? 'incoming'
    : view.document?.state === 'SUBMITTED_TO_SIGNER'
      ? 'to-sign'
      : view.document && ['DRAFT', 'UNDER_REVIEW'].includes(view.document.state)
        ? 'drafts'
        : 'outgoing';
  return (
    <header className="doc-header">
      <p className="back">
        <a href={href({ page: 'folder', folder })}>
          <span aria-hidden="true">← </span>
          {t(`folder_${folder}`)}
        </a>
      </p>
      <p className="doc-kicker">
        <span className="doc-type-label">{l.docType(view.docType)}</span>
        <span className="doc-symbol-large">{view.symbol ?? t('noNumber')}</span>
      </p>
      <h1 id="doc-title" ref={headingRef} tabIndex={-1}>
        {view.title ?? view.id}
      </h1>
      <p className="doc-badges">
        <StateBadge state={ownState} />
        <UrgencyBadge urgency={urgency} />
        <DeadlineBadge deadline={deadline} done={ownState === 'RESOLVED' || ownState === 'FORWARDED'} />
      </p>
    </header>
  );
}

function DocumentFile({ view, validity }: { view: DocumentView; validity?: SignatureValidity }) {
  const { t } = useI18n();
  const sha = view.record?.documentSha256 ?? view.document?.documentSha256;
  const hasFile = view.state !== 'AWAITING_CONTENT' && sha !== undefined;
  const file = useGet(
    hasFile ? `/api/documents/${encodeURIComponent(view.id)}/file?redirect=false&v=${sha}` : undefined,
    FileUrlSchema,
  );
  if (!hasFile) return <p className="empty">{t('pdfNone')}</p>;
  if (file.status === 'loading') return <Loading />;
  if (file.status === 'error') return <ErrorMessage error={file.error} onRetry={file.reload} />;
  return (
    <>
      <PdfPreview url={file.value.url} onRetry={file.reload} validity={validity} />
      <div className="pdf-download">
        <FileDownload
          path={`/api/documents/${encodeURIComponent(view.id)}/file?redirect=false`}
          fileName={readableFileName(view.symbol ?? view.title ?? view.id, 'pdf')}
          label={t('pdfDownload')}
          testId="pdf-download"
        />
      </div>
    </>
  );
}

function assigneeName(a: Assignee, people: ReadonlyMap<string, string>): string {
  return a.kind === 'person' ? (people.get(a.personId) ?? a.personId) : `${a.unitCode}`;
}

function Metadata({ view }: { view: DocumentView }) {
  const { t, l, locale } = useI18n();
  const { orgName, me } = useSession();
  const doc = view.document;
  const record = view.record;
  const ownRecord = record && record.orgId === me.position.orgId;
  const people = usePeopleNames(me.position.orgId);
  const designated = doc?.designatedSignerId ? people.get(doc.designatedSignerId) : undefined;
  const signer = view.signatures.find((s): s is PersonalSignature => s.kind === 'person');
  const assignment = record?.assignment;
  return (
    <section className="panel" aria-labelledby="meta-heading">
      <h2 id="meta-heading" className="panel-title">
        {t('docMeta')}
      </h2>
      <dl className="meta">
        <dt>{t('fieldSymbol')}</dt>
        <dd>{view.symbol ?? t('noNumber')}</dd>
        <dt>{t('fieldDate')}</dt>
        <dd>{formatDate(doc?.issuedOn ?? record?.issuedOn, locale)}</dd>
        <dt>{t('fieldType')}</dt>
        <dd>{l.docType(view.docType)}</dd>
        <dt>{t('fieldIssuer')}</dt>
        <dd>{orgName(doc?.orgId ?? record?.senderOrgId)}</dd>
        <dt>{t('fieldSigner')}</dt>
        <dd>
          {signer
            ? `${signer.signerName}, ${signer.signerTitle}`
            : designated
              ? t('signerPending', { name: designated })
              : '—'}
        </dd>
        <dt>{t('fieldUrgency')}</dt>
        <dd>{l.urgency(doc?.urgency ?? record?.urgency)}</dd>
        {doc?.recipients && doc.recipients.length > 0 ? (
          <>
            <dt>{t('fieldRecipients')}</dt>
            <dd>
              {doc.recipients.length <= 3
                ? doc.recipients.map((r) => orgName(r.orgId)).join('; ')
                : t('recipientsCount', { count: doc.recipients.length })}
            </dd>
          </>
        ) : null}
        {doc?.pageCount ? (
          <>
            <dt>{t('fieldPages')}</dt>
            <dd>{doc.pageCount}</dd>
          </>
        ) : null}
        <SourceFileNotice source={doc?.source} />
        {ownRecord && record.arrivalNumber !== undefined ? (
          <>
            <dt>{t('fieldArrival')}</dt>
            <dd>
              {record.arrivalNumber} · {formatDateTime(record.registeredAt ?? record.arrivedAt, locale)}
            </dd>
          </>
        ) : null}
        {ownRecord ? (
          <>
            <dt>{t('fieldYourState')}</dt>
            <dd>
              <StateBadge state={record.state} />
            </dd>
          </>
        ) : null}
        {assignment ? (
          <>
            <dt>{t('fieldLead')}</dt>
            <dd>{assigneeName(record?.handler ?? assignment.lead, people)}</dd>
            {assignment.supporting.length > 0 ? (
              <>
                <dt>{t('fieldSupport')}</dt>
                <dd>{assignment.supporting.map((a) => assigneeName(a, people)).join('; ')}</dd>
              </>
            ) : null}
            {assignment.forInformation.length > 0 ? (
              <>
                <dt>{t('fieldInfo')}</dt>
                <dd>{assignment.forInformation.map((a) => assigneeName(a, people)).join('; ')}</dd>
              </>
            ) : null}
            <dt>{t('fieldDeadline')}</dt>
            <dd>{formatDate(record?.handlerDeadline ?? assignment.deadline, locale)}</dd>
            <dt>{t('fieldNote')}</dt>
            <dd className="note">{assignment.note}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

// --- Signatures ------------------------------------------------------------------------------------------------

const VERDICT_TONE: Record<string, Tone> = {
  valid: 'success',
  modified: 'danger',
  invalid: 'danger',
  unsigned: 'warning',
};

export function SignaturePanel({
  view,
  onValidity,
}: {
  view: DocumentView;
  /** Each signature's check by field name, for the preview's jumps to the signatures. */
  onValidity?: (validity: SignatureValidity | undefined) => void;
}) {
  const { t } = useI18n();
  const { capabilities } = useSession();
  const sha = view.record?.documentSha256 ?? view.document?.documentSha256;
  const recorded = view.signatures;
  const audit = useGet(
    capabilities.documentVerification && recorded.length > 0
      ? `/api/documents/${encodeURIComponent(view.id)}/verification?v=${sha ?? ''}`
      : undefined,
    DocumentAuditAnswer,
  );
  const report = audit.status === 'ready' ? currentReport(audit.value) : undefined;
  useEffect(() => {
    onValidity?.(
      report
        ? new Map(
            signatureChecks(report).map((c) => [
              c.fieldName ?? '',
              c.verdict === 'valid' ? 'valid' : c.verdict === 'modified' ? 'modified' : 'invalid',
            ]),
          )
        : undefined,
    );
  }, [report, onValidity]);
  return (
    <section className="panel" aria-labelledby="sig-heading" data-testid="signature-panel">
      <h2 id="sig-heading" className="panel-title">
        {t('signatures')}
      </h2>
      {recorded.length === 0 ? <p className="empty">{t('signaturesNone')}</p> : null}
      {recorded.length > 0 && !capabilities.documentVerification ? (
        <p className="alert alert-info">{t('sigUncheckedWhy')}</p>
      ) : null}
      {recorded.length > 0 && capabilities.documentVerification && audit.status === 'loading' ? (
        <Loading label={t('verifying')} />
      ) : null}
      {audit.status === 'error' ? <ErrorMessage error={audit.error} onRetry={audit.reload} /> : null}
      {audit.status === 'ready' ? <AuditVerdict audit={audit.value} /> : null}
      <SignatureList recorded={recorded} report={report} />
    </section>
  );
}

/** The overall verdict of a document audit and, when it fails, each problem found. */
export function AuditVerdict({ audit }: { audit: DocumentAudit }) {
  const { t, language, locale } = useI18n();
  return (
    <div className={`verdict verdict-${audit.verdict}`} data-verdict={audit.verdict}>
      <p>
        <Badge tone={VERDICT_TONE[audit.verdict] ?? 'warning'}>
          <Icon name={audit.verdict === 'valid' ? 'check' : 'cross'} />
          {t(audit.verdict === 'valid' ? 'auditDocValid' : 'auditDocInvalid')}
        </Badge>
      </p>
      <p className="hint">{t('auditCheckedAt', { time: formatDateTime(audit.checkedAt, locale) })}</p>
      {audit.problems.length > 0 ? (
        <ul className="signature-problems">
          {audit.problems.map((p) => (
            <li key={`${p.code}-${p[language]}`}>{p[language]}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SignatureList({
  recorded,
  report,
}: {
  recorded: readonly Signature[];
  report: VerificationReport | undefined;
}) {
  const checks = report ? signatureChecks(report) : [];
  const count = report ? Math.max(checks.length, recorded.length) : recorded.length;
  return (
    <ol className="signature-list">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: signatures are in signing order and never reorder
        <SignatureItem key={i} signature={recorded[i]} check={report ? (checks[i] ?? null) : undefined} />
      ))}
    </ol>
  );
}

/** `check`: undefined when nothing was verified; null when the report has no signature for this one. */
function SignatureItem({
  signature,
  check,
}: {
  signature: Signature | undefined;
  check: SignatureCheck | null | undefined;
}) {
  const { t, locale } = useI18n();
  const { orgName } = useSession();
  const verdict = check === undefined ? 'unchecked' : check === null ? 'invalid' : check.verdict;
  const tone: Tone = verdict === 'valid' ? 'success' : verdict === 'unchecked' ? 'neutral' : 'danger';
  const label =
    verdict === 'valid'
      ? t('sigValid')
      : verdict === 'modified'
        ? t('sigModified')
        : verdict === 'unchecked'
          ? t('sigUnchecked')
          : t('sigInvalid');
  const person = signature?.kind === 'person' ? signature : undefined;
  const lines = person?.lines ?? (check?.capacity ? [check.capacity] : []);
  return (
    <li className={`signature signature-${verdict}`} data-verdict={verdict}>
      <div className="signature-head">
        <span className="signature-kind">
          {signature?.kind === 'organisation' || check?.kind === 'organisation'
            ? t('sigOrganisation')
            : t('sigPerson')}
        </span>
        <Badge tone={tone}>
          {verdict === 'unchecked' ? null : <Icon name={verdict === 'valid' ? 'check' : 'cross'} />}
          {label}
        </Badge>
      </div>
      {lines.length > 0 ? (
        <p className="capacity-lines">
          {lines.map((line) => (
            <span key={line}>{line}</span>
          ))}
        </p>
      ) : null}
      <p className="signature-name">
        {person
          ? person.signerName
          : signature?.kind === 'organisation'
            ? orgName(signature.orgId)
            : (check?.signer?.commonName ?? '—')}
      </p>
      <p className="signature-meta">
        {t('sigAt', { time: formatDateTime(signature?.at ?? check?.claimedTime ?? undefined, locale) })}
        {check?.signer ? (
          <>
            <br />
            {t('sigCert', { cn: check.signer.commonName })}
          </>
        ) : null}
        {check?.timestamp ? (
          <>
            <br />
            {t('sigTimestamp', { time: formatDateTime(check.timestamp.time, locale) })}
          </>
        ) : null}
      </p>
      {check ? <Checks check={check} /> : null}
      {check === null ? <p className="signature-problems">{t('sigInvalid')}</p> : null}
    </li>
  );
}

function Checks({ check }: { check: SignatureCheck }) {
  const { t, language } = useI18n();
  const items: [string, boolean][] = [
    [t('checkDigest'), check.digestValid],
    [t('checkSignature'), check.signatureValid],
    [t('checkChain'), check.chainTrusted],
    [t('checkTime'), check.certificateValidAtSigningTime],
    [t('checkRevocation'), check.revocation === 'good' || check.revocation === 'revoked-later'],
  ];
  return (
    <details className="checks" open={check.verdict !== 'valid'}>
      <summary>{t('sigChecks')}</summary>
      <ul>
        {items.map(([label, ok]) => (
          <li key={label} className={ok ? 'check-ok' : 'check-fail'}>
            <Icon name={ok ? 'check' : 'cross'} /> {label}
          </li>
        ))}
      </ul>
      {check.problems.length > 0 ? (
        <>
          <p className="checks-why">{t('sigReasons')}:</p>
          <ul className="signature-problems">
            {check.problems.map((p) => (
              <li key={p}>{problemText(p, language)}</li>
            ))}
          </ul>
        </>
      ) : null}
    </details>
  );
}

// --- Timeline ----------------------------------------------------------------------------------------------------

interface TimelineGroup {
  readonly first: LogEntry;
  readonly last: LogEntry;
  readonly count: number;
}

function groupLog(log: readonly LogEntry[]): TimelineGroup[] {
  const groups: TimelineGroup[] = [];
  for (const entry of log) {
    const previous = groups.at(-1);
    if (
      previous &&
      previous.first.type === entry.type &&
      previous.first.actor.userId === entry.actor.userId &&
      // Steps with different reasons stay apart: each reason is worth reading.
      previous.first.note === entry.note
    ) {
      groups[groups.length - 1] = { ...previous, last: entry, count: previous.count + 1 };
    } else if (previous && previous.first.type === entry.type && entry.type === 'arrived') {
      groups[groups.length - 1] = { ...previous, last: entry, count: previous.count + 1 };
    } else {
      groups.push({ first: entry, last: entry, count: 1 });
    }
  }
  return groups;
}

function Timeline({ view }: { view: DocumentView }) {
  const { t, l, locale, language } = useI18n();
  const { orgName, me } = useSession();
  // Names of one's own colleagues are known; people elsewhere appear by role and organisation.
  const colleagues = usePeopleNames(me.position.orgId);
  const actor = (e: LogEntry) => {
    const name = e.orgId === me.position.orgId ? colleagues.get(e.actor.userId) : undefined;
    return name ?? `${l.role(e.actor.role)}, ${orgName(e.orgId)}`;
  };
  const groups = groupLog(view.log);
  const chain = view.chain;
  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="panel-title">
        {t('timeline')}
      </h2>
      <ol className="timeline">
        {groups.map((g) => (
          <li key={g.first.seq} className={`timeline-item event-${g.first.type}`} data-event={g.first.type}>
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-body">
              <p className="timeline-title">
                {l.event(g.first.type)}
                {g.count > 1 ? (
                  <span className="timeline-count"> · {t('timelineRepeat', { count: g.count })}</span>
                ) : null}
              </p>
              <p className="timeline-meta">
                <time dateTime={g.first.at}>{formatDateTime(g.first.at, locale)}</time>
                {' · '}
                {g.first.type === 'arrived' && g.count > 1
                  ? t('recipientsCount', { count: g.count })
                  : actor(g.first)}
              </p>
              {g.first.note ? <p className="timeline-note">{g.first.note}</p> : null}
            </div>
          </li>
        ))}
      </ol>
      <p className={`chain ${chain.valid ? 'chain-ok' : 'chain-bad'}`}>
        <Icon name={chain.valid ? 'lock' : 'warning'} />
        {chain.valid
          ? t('chainValid', { count: chain.length })
          : t('chainInvalid', {
              seq: chain.atSeq,
              message: problemText(chain.message || chain.problem, language),
            })}
      </p>
    </section>
  );
}

/** Sent documents only: those may have gone outside the city as well. */
const EXTERNAL_STATES: ReadonlySet<string> = new Set(['ISSUED', 'SENT', 'RECALLED', 'REPLACED', 'ARCHIVED']);

/** The sender's external recipients (national document exchange), as deliveries (externalDeliveryStatus). */
function useExternalDeliveries(id: string, doc: DocumentView | undefined, version: number) {
  const asked = doc !== undefined && !doc.record && EXTERNAL_STATES.has(doc.state ?? '');
  const answer = useGet(
    asked ? `/api/documents/${encodeURIComponent(id)}/external-deliveries` : undefined,
    exchangeContracts['GET /api/documents/{id}/external-deliveries'].response,
    version,
  );
  const rows = answer.status === 'ready' ? answer.value.deliveries : [];
  return {
    deliveries: rows.map(
      (d): Delivery => ({
        orgId: d.organId,
        purpose: 'action',
        status: externalDeliveryStatus(d.state),
        updatedAt: d.updatedAt,
      }),
    ),
    names: new Map(rows.map((d) => [d.organId, d.organName ?? d.organId])),
    failed: asked && answer.status === 'error',
  };
}

/** The sending organisation's own clerk or leader may remind recipients (use-cases/recipient-reminders.ts). */
function remindsRecipients(view: DocumentView, me: { position: { orgId: string; role: string } }): boolean {
  return (
    view.document?.orgId === me.position.orgId &&
    (me.position.role === 'clerk' || me.position.role === 'leader')
  );
}
