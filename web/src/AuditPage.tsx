import { useState } from 'react';
import * as z from 'zod';
import type { AuditHit } from '../../lambdas/contracts/audit';
import { documentContracts, UploadTargetSchema } from '../../lambdas/contracts/documents';
import { problemText } from '../../lambdas/core/i18n/problems';
import { checkPdf, Progress } from './ActionForms';
import { post, uploadFile } from './api';
import { AuditVerdict, SignatureList } from './DocumentPage';
import { FileDownload, readableFileName } from './FileDownload';
import { formatBytes, formatDate, hanoiTimes, matches } from './format';
import { type MessageKey, useI18n } from './i18n';
import { href, navigate } from './router';
import { useGet, useIdempotencyKey, useSession } from './session';
import { Badge, ErrorMessage, Field, FileInput, Icon, Loading, StateBadge } from './ui';
import {
  currentReport,
  DocumentAuditAnswer,
  type UploadVerification,
  UploadVerificationAnswer,
} from './verification';

/** GET /api/audit/documents, read as its type says (its schema sits with the audit's, see verification.ts). */
const AuditSearchAnswer = z.custom<{ items: AuditHit[]; truncated: boolean }>(
  (value) => typeof value === 'object' && value !== null,
);
/** POST /api/verify: where to upload the file (a presigned POST). */
const VerificationStartedSchema = z.object({ id: z.uuid(), upload: UploadTargetSchema });

/**
 * The auditor's desk: find an issued document (any organisation), read the server's verification of it
 * (every signature of every version, the trail's hash chain, the transparency log), download the evidence
 * package, and verify a PDF file on its own.
 */
export function AuditPage({ id }: { id?: string }) {
  const { t } = useI18n();
  const [docId, setDocId] = useState(id ?? '');
  return (
    <section className="audit" aria-labelledby="audit-heading">
      <div className="page-head">
        <h1 id="audit-heading">{t('auditTitle')}</h1>
        <p className="page-sub">{t('auditIntro')}</p>
      </div>
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (docId.trim()) navigate({ page: 'audit', id: docId.trim() });
        }}
      >
        <Field label={t('auditDocId')}>
          {(p) => (
            <input {...p} value={docId} onChange={(e) => setDocId(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <button type="submit" className="button button-primary">
          {t('auditOpen')}
        </button>
      </form>
      {/* Checking a file of one's own comes before the long list, not after it (issue 18). */}
      <UploadVerificationPanel />
      {id ? <AuditReport key={id} id={id} /> : <IssuedDocuments />}
    </section>
  );
}

/** Issued documents across organisations (the auditors' search), filtered in the page by any words. */
function IssuedDocuments() {
  const { t, l, locale } = useI18n();
  const { orgName, me } = useSession();
  const [query, setQuery] = useState('');
  const search = useGet(
    me.position.role === 'auditor' ? '/api/audit/documents?limit=200' : undefined,
    AuditSearchAnswer,
  );
  if (me.position.role !== 'auditor') return null;
  if (search.status === 'loading') return <Loading />;
  if (search.status === 'error') return <ErrorMessage error={search.error} onRetry={search.reload} />;
  const items = search.value.items.filter((i) =>
    matches(query, i.symbol ?? '', i.subject ?? '', i.signer ?? '', orgName(i.orgId)),
  );
  return (
    <section className="panel" aria-labelledby="issued-heading">
      <h2 id="issued-heading" className="panel-title">
        {t('auditIssued')}
      </h2>
      <Field label={t('auditSearch')}>
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
      {items.length === 0 ? <p className="empty">{t('emptyFolder')}</p> : null}
      <ul className="audit-list">
        {items.slice(0, 50).map((item) => (
          <li key={item.documentId}>
            <a href={href({ page: 'audit', id: item.documentId })} className="audit-item">
              <span className="doc-row-top">
                <span className="doc-symbol">{item.symbol ?? item.number}</span>
                <span className="doc-type">{item.docType ? l.docType(item.docType) : null}</span>
                <span className="doc-type">{formatDate(item.issuedOn ?? undefined, locale)}</span>
              </span>
              <span className="doc-title">{item.subject}</span>
              <span className="doc-row-meta">
                <span>{orgName(item.orgId)}</span>
                {item.signer ? <span>{item.signer}</span> : null}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AuditReport({ id }: { id: string }) {
  const { t, language, locale } = useI18n();
  const { capabilities } = useSession();
  const view = useGet(
    `/api/documents/${encodeURIComponent(id)}`,
    documentContracts['GET /api/documents/{id}'].response,
  );
  const audit = useGet(
    capabilities.documentVerification ? `/api/documents/${encodeURIComponent(id)}/verification` : undefined,
    DocumentAuditAnswer,
  );
  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error') return <ErrorMessage error={view.error} onRetry={view.reload} />;
  const doc = view.value;
  return (
    <div className="audit-report" data-testid="audit-report">
      <section className="panel" aria-labelledby="audit-doc-heading">
        <p className="doc-kicker">
          <span className="doc-symbol-large">{doc.symbol ?? t('noNumber')}</span>
          <StateBadge state={doc.state} />
        </p>
        <h2 id="audit-doc-heading" className="audit-doc-title">
          {doc.title}
        </h2>
        <p>
          <a href={href({ page: 'document', id: doc.id })}>{t('openDocument')}</a>
        </p>
        {capabilities.evidence ? <EvidenceDownload id={doc.id} symbol={doc.symbol} /> : null}
      </section>
      <section className="panel" aria-labelledby="audit-result-heading" data-testid="signature-panel">
        <h2 id="audit-result-heading" className="panel-title">
          {t('auditReport')}
        </h2>
        {!capabilities.documentVerification ? (
          <>
            <p className="alert alert-info">{t('auditUnavailable')}</p>
            <SignatureList recorded={doc.signatures} report={undefined} />
          </>
        ) : audit.status === 'loading' ? (
          <Loading label={t('verifying')} />
        ) : audit.status === 'error' ? (
          <ErrorMessage error={audit.error} onRetry={audit.reload} />
        ) : (
          <>
            <AuditVerdict audit={audit.value} />
            <SignatureList recorded={doc.signatures} report={currentReport(audit.value)} />
            <h3 className="panel-subtitle">{t('auditRevisions')}</h3>
            <ol className="revision-list">
              {audit.value.revisions.map((r) => (
                <li key={r.index} className="revision">
                  <span>
                    {t('revision', { n: r.index })} · {t(`revRole_${r.role}` as MessageKey)}
                  </span>
                  <Badge tone={r.file === 'ok' ? 'success' : 'danger'}>
                    {t(`revFile_${r.file}` as MessageKey)}
                  </Badge>
                  <code className="hash" title={r.sha256}>
                    {r.sha256.slice(0, 16)}…
                  </code>
                </li>
              ))}
            </ol>
            <p className={`chain ${audit.value.chain.ok ? 'chain-ok' : 'chain-bad'}`}>
              {audit.value.chain.ok
                ? t('chainValid', { count: audit.value.chain.length })
                : t('chainInvalid', {
                    seq: audit.value.chain.atSeq ?? '?',
                    message: problemText(audit.value.chain.message ?? '', language),
                  })}
            </p>
            {audit.value.transparency ? (
              <p className="hint">
                {t('auditTransparency', {
                  included: audit.value.transparency.included,
                  events: audit.value.transparency.events,
                })}
              </p>
            ) : null}
            <details className="summary-text">
              <summary>{t('auditSummary')}</summary>
              <pre>{hanoiTimes(audit.value.summary[language], locale)}</pre>
            </details>
          </>
        )}
      </section>
    </div>
  );
}

function EvidenceDownload({ id, symbol }: { id: string; symbol: string | undefined }) {
  const { t } = useI18n();
  return (
    <div className="evidence">
      {/* Named after the symbol with its Vietnamese letters ("18-QĐ-UBND"), fetched afresh on each click. */}
      <FileDownload
        path={`/api/documents/${encodeURIComponent(id)}/evidence?redirect=false`}
        fileName={readableFileName(`evidence-${(symbol ?? id).replaceAll('/', '-')}`, 'zip')}
        label={t('auditEvidence')}
        testId="evidence-download"
      />
      <p className="hint">{t('auditEvidenceHint')}</p>
    </div>
  );
}

/** POST /api/verify for an upload target, POST the file there, then POST /api/verify/{id} for the report. */
function UploadVerificationPanel() {
  const { t, language, locale } = useI18n();
  const { capabilities } = useSession();
  const startKey = useIdempotencyKey();
  const verifyKey = useIdempotencyKey();
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<(UploadVerification & { fileName: string }) | undefined>();

  const run = async () => {
    const problem = checkPdf(file, undefined);
    // A report stays only beside the file it is about.
    setResult(undefined);
    if (problem || !file) {
      setError(new Error(t(problem ?? 'fileRequired')));
      return;
    }
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    setProgress(undefined);
    try {
      const started = await post('/api/verify', {}, VerificationStartedSchema, startKey.key());
      startKey.settle();
      await uploadFile(started.upload, file, setProgress);
      const verified = await post(
        `/api/verify/${encodeURIComponent(started.id)}`,
        {},
        UploadVerificationAnswer,
        verifyKey.key(),
      );
      verifyKey.settle();
      setResult({ ...verified, fileName: file.name });
    } catch (e) {
      startKey.settle(e);
      verifyKey.settle(e);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const report = result?.report;
  return (
    <section className="panel" aria-labelledby="upload-verify-heading">
      <h2 id="upload-verify-heading" className="panel-title">
        {t('auditUpload')}
      </h2>
      {!capabilities.uploadVerification ? (
        <p className="alert alert-info" data-testid="upload-verify-unavailable">
          {t('auditUploadUnavailable')}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void run();
          }}
          noValidate
        >
          <FileInput
            label={t('auditUploadFile')}
            hint={t('auditUploadHint')}
            accept="application/pdf,.pdf"
            onChange={(next) => {
              setFile(next);
              setResult(undefined);
              setError(undefined);
            }}
          />
          <Progress fraction={progress} />
          <ErrorMessage error={error} />
          <button type="submit" className="button button-primary" disabled={busy} data-submit="true">
            {busy ? t('working') : t('auditUploadRun')}
          </button>
        </form>
      )}
      {result && report ? (
        <div className="upload-report" data-testid="upload-report" data-verdict={report.verdict}>
          <h3 className="panel-subtitle">
            {t('auditReport')}: {result.fileName}
          </h3>
          <p className="verdict">
            <Badge tone={report.verdict === 'valid' ? 'success' : 'danger'}>
              <Icon name={report.verdict === 'valid' ? 'check' : 'cross'} />
              {t(`auditVerdict_${report.verdict}`)}
            </Badge>
          </p>
          <p className="hint">
            {t('auditFile', { size: formatBytes(report.fileSize), revisions: report.revisions })} · SHA-256{' '}
            <code className="hash">{result.sha256.slice(0, 16)}…</code>
          </p>
          <pre className="summary-pre">{hanoiTimes(report.summary[language], locale)}</pre>
          <SignatureList recorded={[]} report={report} />
        </div>
      ) : null}
    </section>
  );
}
