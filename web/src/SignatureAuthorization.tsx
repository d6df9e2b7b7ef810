import { browserSupportsWebAuthn, startAuthentication, WebAuthnAbortService } from '@simplewebauthn/browser';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { DocumentView } from '../../lambdas/contracts/documents';
import { ApiError } from './api';
import { formatDateTime } from './format';
import { type MessageKey, useI18n } from './i18n';
import { holdLiveUpdates } from './notifications/live';
import { passkeyErrorMessage } from './passkeys';
import { href } from './router';
import {
  type AuthorizationAnswer,
  type AuthorizationChallenge,
  authorizationChallenge,
  authorize,
  checkRevision,
  currentFileSha256,
  type HashCheck,
  hasFactor,
  inBatches,
  listAuthenticators,
  makeSignature,
  outcomeOf,
  type PreparedSignature,
  prepare,
  requestOptions,
  type SignatureJob,
  shortSha256,
  totpCode,
} from './signing';
import { Badge, ErrorMessage, Field, Icon, Loading } from './ui';

/*
 * The signing dialog (docs/SECURITY.md, "the path of one signature"): for one document or a batch, the
 * signatures are prepared, the person sees exactly what they are to authorize (title or number, capacity,
 * the revision's SHA-256, checked here against the file the server serves for viewing), and authorizes
 * with their own passkey or a code from their authenticator app. Until that authorization succeeds, "Hủy"
 * really cancels: nothing is signed, the prepared requests simply expire. After it, the signatures are
 * being made and cannot be stopped, so the dialog offers no cancel; an answer it does not get is "outcome
 * unknown", with a retry of the same request (same request id and Idempotency-Key: the server signs once).
 */

type Made = 'making' | 'done' | 'refused' | 'unknown';

function keyIn(keys: Map<string, string>, purpose: string): string {
  let key = keys.get(purpose);
  if (!key) {
    key = crypto.randomUUID();
    keys.set(purpose, key);
  }
  return key;
}

/** A definite answer ends the key's use; an unknown outcome keeps it for the retry. */
function settleIn(keys: Map<string, string>, purpose: string, failure?: unknown): void {
  if (failure === undefined || outcomeOf(failure) === 'refused') keys.delete(purpose);
}

interface Entry {
  readonly job: SignatureJob;
  readonly prepared?: PreparedSignature;
  readonly prepareError?: unknown;
  readonly check?: { readonly status: 'checking' } | { readonly status: 'done'; readonly result: HashCheck };
  readonly made?: Made;
  readonly makeError?: unknown;
  readonly view?: DocumentView;
}

type Stage =
  /** Looking up the person's factors and preparing the signatures. */
  | 'preparing'
  /** The person has neither a passkey nor an authenticator app. */
  | 'noFactor'
  /** No signature could be prepared. */
  | 'prepareFailed'
  /** Asking for the challenge and checking each revision's SHA-256. */
  | 'checking'
  /** A revision is not the file the page shows: the dialog refuses to go on. */
  | 'blocked'
  /** The SHA-256 could not be checked (the file did not load): retry or cancel. */
  | 'checkFailed'
  /** What will be signed, and the person's factor. */
  | 'ready'
  /** The answer is with the server. */
  | 'authorizing'
  /** The answer's outcome is unknown: retry the same answer, or cancel (nothing is signed either way). */
  | 'authorizeUnknown'
  /** The requests can no longer be authorized (expired, say): start again. */
  | 'restart'
  /** Authorized: the signatures are being made; no way back. */
  | 'signing'
  /** Every signature has an outcome (done, refused or unknown). */
  | 'finished';

const CANCELLABLE: ReadonlySet<Stage> = new Set([
  'preparing',
  'noFactor',
  'prepareFailed',
  'checking',
  'blocked',
  'checkFailed',
  'ready',
  'authorizing',
  'authorizeUnknown',
  'restart',
]);

export interface SignatureOutcome {
  /** Documents signed or issued, with their view as the server answered. */
  readonly done: readonly DocumentView[];
  /** How many may or may not have been signed (no answer). */
  readonly unknown: number;
}

export function SignatureAuthorization({
  jobs,
  onCancel,
  onFinished,
}: {
  jobs: readonly SignatureJob[];
  /** Before authorization: nothing was signed. */
  onCancel: () => void;
  /** After authorization: the dialog closes once the person has read the outcome. */
  onFinished: (outcome: SignatureOutcome) => void;
}) {
  const { t, locale } = useI18n();
  const headingId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [stage, setStage] = useState<Stage>('preparing');
  const [entries, setEntries] = useState<readonly Entry[]>(() => jobs.map((job) => ({ job })));
  const [challenge, setChallenge] = useState<AuthorizationChallenge | undefined>();
  const [factor, setFactor] = useState<'passkey' | 'totp'>('passkey');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  // The page stays as it is while the dialog is open (its outcome and retry must not be taken away).
  useEffect(() => holdLiveUpdates(), []);
  // Idempotency-Keys by purpose: kept while an outcome is unknown, so that a retry cannot do it twice.
  const keys = useRef(new Map<string, string>());
  const keyFor = (purpose: string) => keyIn(keys.current, purpose);
  const settleKey = (purpose: string, failure?: unknown) => settleIn(keys.current, purpose, failure);
  // The answer sent last, kept when its outcome is unknown: a retry sends the same one with the same key.
  const pendingAnswer = useRef<{ answer: AuthorizationAnswer; key: string } | undefined>(undefined);
  const cancelled = useRef(false);
  const challengeRound = useRef(0);
  const entriesRef = useRef(entries);
  const update = useCallback((next: readonly Entry[]) => {
    entriesRef.current = next;
    setEntries(next);
  }, []);

  const batch = jobs.length > 1;
  const issuing = jobs.every((j) => j.step === 'issue');
  const cancellable = CANCELLABLE.has(stage);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    heading.current?.focus();
    return () => element?.close();
  }, []);

  // While signatures are being made, leaving the page does not stop them: say so before the page goes.
  useEffect(() => {
    if (stage !== 'signing' && stage !== 'authorizing') return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [stage]);

  /** Asks for a challenge over the prepared requests and checks what it binds against the files. */
  const challengeAndCheck = async (current: readonly Entry[], signal: AbortSignal) => {
    const prepared = current.flatMap((e) => (e.prepared ? [e.prepared] : []));
    const purpose = `challenge:${challengeRound.current}`;
    let next: AuthorizationChallenge;
    try {
      next = await authorizationChallenge(
        prepared.map((p) => p.requestId),
        keyFor(purpose),
        signal,
      );
      settleKey(purpose);
    } catch (e) {
      settleKey(purpose, e);
      throw e;
    }
    // The challenge must bind exactly what was prepared: the same requests, revisions and digests.
    // After them, an issue's attachments may follow: their seals go with the main one (issue #17).
    const same =
      next.signatures.length >= prepared.length &&
      next.signatures.every((s, i) =>
        i < prepared.length
          ? s.requestId === prepared[i]?.requestId &&
            s.digest === prepared[i]?.digest &&
            s.revisionSha256 === prepared[i]?.revisionSha256
          : s.step === 'issue' && prepared.some((p) => p.step === 'issue' && p.documentId === s.documentId),
      );
    if (!same) {
      setChallenge(next);
      setStage('blocked');
      return;
    }
    setChallenge(next);
    if (!next.factors.passkey && !next.factors.totp) {
      setStage('noFactor');
      return;
    }
    setFactor(
      next.factors.passkey && browserSupportsWebAuthn() ? 'passkey' : next.factors.totp ? 'totp' : 'passkey',
    );
    // Checked already (a fresh challenge after a refused answer binds the same revisions): done.
    if (
      current.every((e) => !e.prepared || (e.check?.status === 'done' && e.check.result.kind === 'match'))
    ) {
      setStage('ready');
      return;
    }
    const checking = current.map((e) => (e.prepared ? { ...e, check: { status: 'checking' as const } } : e));
    update(checking);
    const results = await inBatches(checking, 4, async (entry) => {
      if (!entry.prepared) return entry;
      const fileSha256 = await currentFileSha256(entry.prepared.documentId, signal);
      return {
        ...entry,
        check: {
          status: 'done' as const,
          result: checkRevision(entry.prepared, fileSha256, entry.job.shownSha256),
        },
      };
    });
    if (signal.aborted) return;
    update(results);
    const failed = results.some((e) => e.check?.status === 'done' && e.check.result.kind !== 'match');
    setStage(failed ? 'blocked' : 'ready');
  };

  // Preparing, once per attempt (a retry after a failure starts here again, with the same keys when the
  // outcome was unknown).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per attempt; the rest is refs
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      setStage('preparing');
      setError(undefined);
      const factors = await listAuthenticators(signal);
      if (signal.aborted) return;
      if (!hasFactor(factors)) {
        setStage('noFactor');
        return;
      }
      const prepared = await inBatches(jobs, 4, async (job, index): Promise<Entry> => {
        const purpose = `prepare:${index}`;
        try {
          const result = await prepare(job, keyFor(purpose), signal);
          settleKey(purpose);
          return { job, prepared: result };
        } catch (e) {
          if ((e as Error).name === 'AbortError') throw e;
          settleKey(purpose, e);
          return { job, prepareError: e };
        }
      });
      if (signal.aborted) return;
      update(prepared);
      if (!prepared.some((e) => e.prepared)) {
        setStage('prepareFailed');
        return;
      }
      setStage('checking');
      await challengeAndCheck(prepared, signal);
    })().catch((e: Error) => {
      if (e.name === 'AbortError' || signal.aborted) return;
      setError(e);
      setStage(e instanceof ApiError && e.code === 'authenticator_missing' ? 'noFactor' : 'checkFailed');
    });
    return () => controller.abort();
  }, [attempt]);

  /** After the answer was refused, the challenge is used up: a fresh one over the same requests. */
  const freshChallenge = async () => {
    challengeRound.current += 1;
    setStage('checking');
    try {
      await challengeAndCheck(entriesRef.current, new AbortController().signal);
    } catch (e) {
      setError(e);
      // No answer: try again. A refusal (the requests expired, say): prepare them anew.
      setStage(outcomeOf(e) === 'unknown' ? 'checkFailed' : 'restart');
    }
  };

  /** Makes each authorized signature not yet made (or whose outcome is unknown), a few at a time. */
  const makeAll = async () => {
    setStage('signing');
    setError(undefined);
    let current: readonly Entry[] = entriesRef.current.map((e) =>
      e.prepared && (e.made === undefined || e.made === 'unknown') ? { ...e, made: 'making' } : e,
    );
    update(current);
    await inBatches(
      current.map((_, index) => index),
      3,
      async (index) => {
        const entry = current[index];
        if (!entry?.prepared || entry.made !== 'making') return;
        let next: Entry;
        try {
          const view = await makeSignature(entry.prepared, keyFor(`make:${entry.prepared.requestId}`));
          next = { ...entry, made: 'done', view, makeError: undefined };
        } catch (e) {
          next = { ...entry, made: outcomeOf(e), makeError: e };
        }
        current = current.map((c, i) => (i === index ? next : c));
        update(current);
      },
    );
    setStage('finished');
  };

  const send = async (attemptToSend: { answer: AuthorizationAnswer; key: string }) => {
    const wasUnknown = pendingAnswer.current !== undefined;
    setStage('authorizing');
    setError(undefined);
    try {
      await authorize(attemptToSend.answer, attemptToSend.key);
      pendingAnswer.current = undefined;
    } catch (e) {
      if (cancelled.current) return;
      if (outcomeOf(e) === 'unknown') {
        pendingAnswer.current = attemptToSend;
        setError(e);
        setStage('authorizeUnknown');
        return;
      }
      pendingAnswer.current = undefined;
      // An earlier answer whose outcome was unknown may have authorized these requests after all: the
      // signing step tells (it refuses, and signs nothing, if they are not authorized).
      if (
        wasUnknown &&
        e instanceof ApiError &&
        (e.code === 'authorization_challenge_unknown' || e.code === 'signature_request_used')
      ) {
        if (!cancelled.current) await makeAll();
        return;
      }
      setError(e);
      setCode('');
      await freshChallenge();
      return;
    }
    // Cancelled while the answer was on its way: the authorization stays unused and expires.
    if (cancelled.current) return;
    await makeAll();
  };

  const authorizeWithPasskey = async () => {
    if (!challenge?.options) return;
    setError(undefined);
    try {
      const response = await startAuthentication({ optionsJSON: requestOptions(challenge.options) });
      if (cancelled.current) return;
      await send({
        answer: { challengeId: challenge.challengeId, passkey: response },
        key: crypto.randomUUID(),
      });
    } catch (e) {
      if (cancelled.current) return;
      setError(new Error(passkeyErrorMessage(e, t, window.location)));
    }
  };

  const authorizeWithTotp = (event: FormEvent) => {
    event.preventDefault();
    if (!challenge || stage !== 'ready') return;
    const valid = totpCode(code);
    if (!valid) {
      setError(new Error(t('totpCodeFormat')));
      return;
    }
    void send({ answer: { challengeId: challenge.challengeId, totp: valid }, key: crypto.randomUUID() });
  };

  const cancel = () => {
    if (!CANCELLABLE.has(stage)) return;
    cancelled.current = true;
    WebAuthnAbortService.cancelCeremony();
    onCancel();
  };

  const finish = () =>
    onFinished({
      done: entriesRef.current.flatMap((e) => (e.view ? [e.view] : [])),
      unknown: entriesRef.current.filter((e) => e.made === 'unknown').length,
    });

  const prepared = entries.filter((e) => e.prepared);
  const done = entries.filter((e) => e.made === 'done');
  const unknown = entries.filter((e) => e.made === 'unknown');
  const refused = entries.filter((e) => e.made === 'refused');
  const blockedBy = entries.find((e) => e.check?.status === 'done' && e.check.result.kind !== 'match');
  const title = batch
    ? t(issuing ? 'sigDialogTitleIssueBatch' : 'sigDialogTitleBatch', { count: jobs.length })
    : t(issuing ? 'sigDialogTitleIssue' : 'sigDialogTitle');

  return (
    <dialog
      ref={dialog}
      className="sign-dialog"
      aria-labelledby={headingId}
      data-stage={stage}
      onCancel={(event) => {
        // Escape: a cancel only while one is still possible.
        event.preventDefault();
        cancel();
      }}
    >
      <div className="sign-dialog-body">
        <h2 id={headingId} ref={heading} tabIndex={-1} className="sign-dialog-title">
          <Icon name="lock" />
          {title}
        </h2>
        {stage === 'signing' || stage === 'finished' ? null : (
          <p className="hint sign-dialog-intro">{t('sigDialogIntro')}</p>
        )}

        <SignatureList entries={entries} challenge={challenge} />

        {stage === 'preparing' ? <Loading label={t('sigPreparing')} /> : null}
        {stage === 'checking' ? <Loading label={t('sigChecking')} /> : null}

        {stage === 'noFactor' ? (
          <div className="alert alert-warning" role="alert">
            <p>{t('sigNoFactor')}</p>
            <p>
              <a href={href({ page: 'profile' })} onClick={cancel}>
                {t('sigNoFactorLink')}
              </a>
            </p>
          </div>
        ) : null}

        {stage === 'prepareFailed' ? (
          <div className="alert alert-error" role="alert">
            <p>{t('sigPrepareFailed')}</p>
          </div>
        ) : null}

        {stage === 'blocked' ? (
          <div className="alert alert-error" role="alert" data-testid="sha-mismatch">
            <p>
              {t(
                blockedBy?.check?.status === 'done' && blockedBy.check.result.kind === 'stale'
                  ? 'sigStale'
                  : 'sigMismatch',
              )}
            </p>
          </div>
        ) : null}

        {stage === 'checkFailed' || stage === 'restart' ? <ErrorMessage error={error} /> : null}

        {(stage === 'ready' || stage === 'authorizing' || stage === 'authorizeUnknown') && challenge ? (
          <section className="sign-factor" aria-label={t('sigFactorHeading')}>
            <p className="sign-expiry">
              {t('sigAuthorizeBefore', { time: formatDateTime(challenge.expiresAt, locale) })}
            </p>
            {stage === 'authorizeUnknown' ? (
              <div className="alert alert-warning" role="alert">
                <p>{t('sigAuthorizeUnknown')}</p>
                <div className="form-buttons">
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => pendingAnswer.current && void send(pendingAnswer.current)}
                  >
                    {t('retry')}
                  </button>
                </div>
              </div>
            ) : factor === 'passkey' && challenge.factors.passkey ? (
              <div className="sign-factor-choice">
                <p>{t('sigPasskeyHint')}</p>
                <ErrorMessage error={error} />
                <div className="form-buttons">
                  <button
                    type="button"
                    className="button button-primary"
                    data-authorize="passkey"
                    disabled={stage !== 'ready'}
                    onClick={() => void authorizeWithPasskey()}
                  >
                    <Icon name="lock" />
                    {stage === 'authorizing' ? t('sigAuthorizing') : t('sigUsePasskey')}
                  </button>
                  {challenge.factors.totp ? (
                    <button
                      type="button"
                      className="button button-secondary"
                      disabled={stage !== 'ready'}
                      onClick={() => {
                        setError(undefined);
                        setFactor('totp');
                      }}
                    >
                      {t('sigSwitchToTotp')}
                    </button>
                  ) : null}
                </div>
              </div>
            ) : challenge.factors.totp ? (
              <form className="sign-factor-choice" onSubmit={authorizeWithTotp} noValidate>
                <Field label={t('sigTotpLabel')} hint={t('sigTotpHint')}>
                  {(p) => (
                    <input
                      {...p}
                      className="otp-input"
                      value={code}
                      onChange={(e) => setCode(e.target.value)}
                      inputMode="numeric"
                      autoComplete="one-time-code"
                      maxLength={7}
                      disabled={stage !== 'ready'}
                      data-totp="code"
                    />
                  )}
                </Field>
                <ErrorMessage error={error} />
                <div className="form-buttons">
                  <button
                    type="submit"
                    className="button button-primary"
                    data-authorize="totp"
                    disabled={stage !== 'ready'}
                  >
                    {stage === 'authorizing' ? t('sigAuthorizing') : t('sigUseTotp')}
                  </button>
                  {challenge.factors.passkey ? (
                    <button
                      type="button"
                      className="button button-secondary"
                      disabled={stage !== 'ready'}
                      onClick={() => {
                        setError(undefined);
                        setFactor('passkey');
                      }}
                    >
                      {t('sigSwitchToPasskey')}
                    </button>
                  ) : null}
                </div>
              </form>
            ) : (
              // A passkey only, in a browser that cannot use one here.
              <ErrorMessage error={new Error(t('passkeyUnsupported'))} />
            )}
          </section>
        ) : null}

        {stage === 'signing' ? (
          <div className="alert alert-info sign-progress" role="status" aria-live="polite">
            <p>
              <span className="spinner" aria-hidden="true" />
              {t(batch ? 'sigSigningBatch' : 'sigSigning', {
                done: done.length,
                count: prepared.length,
              })}
            </p>
            <p>{t('sigNoCancel')}</p>
          </div>
        ) : null}

        {stage === 'finished' ? (
          <div className="sign-outcome" role="status">
            {done.length > 0 ? (
              <p className="alert alert-success">
                {batch
                  ? t(issuing ? 'sigIssuedBatch' : 'sigDoneBatch', { count: done.length })
                  : issuing
                    ? t('sigIssued', { symbol: done[0]?.view?.symbol ?? done[0]?.prepared?.symbol ?? '' })
                    : t('sigDone')}
              </p>
            ) : null}
            {unknown.length > 0 ? (
              <div className="alert alert-warning" data-testid="outcome-unknown">
                <p>{t(batch ? 'sigUnknownBatch' : 'sigUnknown', { count: unknown.length })}</p>
                <TechnicalDetail error={unknown[0]?.makeError} />
              </div>
            ) : null}
            {refused.length > 0 ? (
              <div className="alert alert-error">
                <p>{t(batch ? 'sigRefusedBatch' : 'sigRefused', { count: refused.length })}</p>
                {refused.map((e) => (
                  <ErrorMessage key={e.job.documentId} error={e.makeError} />
                ))}
              </div>
            ) : null}
          </div>
        ) : null}

        <div className="form-buttons sign-dialog-buttons">
          {stage === 'prepareFailed' || stage === 'checkFailed' ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setError(undefined);
                // Prepared already: only the challenge and the check again. Else prepare again (a refused
                // preparation dropped its key, one whose outcome is unknown kept it).
                if (entriesRef.current.some((e) => e.prepared)) void freshChallenge();
                else setAttempt((n) => n + 1);
              }}
            >
              {t('retry')}
            </button>
          ) : null}
          {stage === 'restart' ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                keys.current.clear();
                challengeRound.current += 1;
                update(jobs.map((job) => ({ job })));
                setChallenge(undefined);
                setAttempt((n) => n + 1);
              }}
            >
              {t('sigStartAgain')}
            </button>
          ) : null}
          {stage === 'finished' && unknown.length > 0 ? (
            <button type="button" className="button button-primary" onClick={() => void makeAll()}>
              {t('sigRetrySame')}
            </button>
          ) : null}
          {stage === 'finished' ? (
            <button
              type="button"
              className={`button ${unknown.length > 0 ? 'button-secondary' : 'button-primary'}`}
              onClick={finish}
              data-close="true"
            >
              {t('close')}
            </button>
          ) : null}
          {cancellable ? (
            <button type="button" className="button button-secondary" onClick={cancel} data-cancel="true">
              {stage === 'noFactor' || stage === 'blocked' ? t('close') : t('cancel')}
            </button>
          ) : null}
        </div>
      </div>
    </dialog>
  );
}

/** The signatures in the dialog: what each one is, its SHA-256 and whether it matches, then its outcome. */
function SignatureList({
  entries,
  challenge,
}: {
  entries: readonly Entry[];
  challenge: AuthorizationChallenge | undefined;
}) {
  const { t } = useI18n();
  return (
    <ol className="sign-items">
      {entries.map((entry) => {
        const p = entry.prepared;
        const bound = challenge?.signatures.find((s) => s.requestId === p?.requestId);
        const shown = bound ?? p;
        return (
          <li
            key={entry.job.documentId}
            className="sign-item"
            data-document={entry.job.documentId}
            data-made={entry.made ?? ''}
          >
            <p className="sign-item-title">{shown?.title ?? entry.job.title}</p>
            {shown ? (
              <dl className="sign-item-meta">
                {shown.step === 'sign' ? (
                  <>
                    <dt>{t('capacity')}</dt>
                    <dd data-capacity={shown.capacity ?? 'own'}>
                      {capacityText(shown.capacity, t)}
                      {entry.job.body?.onBehalfOfCollective ? ` · ${t('onBehalfOfCollective')}` : ''}
                    </dd>
                  </>
                ) : (
                  <>
                    <dt>{t('sigNumber')}</dt>
                    <dd>{shown.symbol ?? '—'}</dd>
                  </>
                )}
                <dt>SHA-256</dt>
                <dd className="sign-item-hash">
                  <code className="hash" data-sha256={shown.revisionSha256} title={shown.revisionSha256}>
                    {shortSha256(shown.revisionSha256)}
                  </code>
                  <HashBadge check={entry.check} />
                </dd>
              </dl>
            ) : null}
            {entry.prepareError ? <ErrorMessage error={entry.prepareError} /> : null}
            <MadeBadge made={entry.made} />
          </li>
        );
      })}
      {challenge?.signatures
        .filter((s) => !entries.some((e) => e.prepared?.requestId === s.requestId))
        .map((s) => (
          <li key={s.requestId} className="sign-item" data-attachment-seal={s.requestId}>
            <p className="sign-item-title">{t('attSealWith', { title: s.title })}</p>
          </li>
        ))}
    </ol>
  );
}

const CAPACITY_KEYS: Readonly<Record<string, MessageKey>> = {
  'TM.': 'capacity_TM',
  'KT.': 'capacity_KT',
  'Q.': 'capacity_Q',
  'TL.': 'capacity_TL',
  'TUQ.': 'capacity_TUQ',
};

function capacityText(mark: string | undefined, t: (key: MessageKey) => string): string {
  if (!mark) return t('capacity_own');
  const key = CAPACITY_KEYS[mark];
  return key ? t(key) : mark;
}

function HashBadge({ check }: { check: Entry['check'] }) {
  const { t } = useI18n();
  if (!check) return null;
  if (check.status === 'checking')
    return <span className="hint sign-hash-status">{t('sigHashChecking')}</span>;
  switch (check.result.kind) {
    case 'match':
      return (
        <span className="sign-hash-status" data-hash="match">
          <Badge tone="success">
            <Icon name="check" />
            {t('sigHashMatch')}
          </Badge>
        </span>
      );
    case 'stale':
      return (
        <span className="sign-hash-status" data-hash="stale">
          <Badge tone="danger">
            <Icon name="cross" />
            {t('sigHashStale')}
          </Badge>
        </span>
      );
    case 'mismatch':
      return (
        <span className="sign-hash-status" data-hash="mismatch">
          <Badge tone="danger">
            <Icon name="cross" />
            {t('sigHashMismatch')}
          </Badge>
          <code className="hash" title={check.result.fileSha256}>
            {t('sigHashFile', { sha: shortSha256(check.result.fileSha256) })}
          </code>
        </span>
      );
  }
}

function MadeBadge({ made }: { made: Made | undefined }) {
  const { t } = useI18n();
  switch (made) {
    case undefined:
    case 'making':
      return null;
    case 'done':
      return (
        <Badge tone="success">
          <Icon name="check" />
          {t('sigItemDone')}
        </Badge>
      );
    case 'unknown':
      return (
        <Badge tone="warning">
          <Icon name="warning" />
          {t('sigItemUnknown')}
        </Badge>
      );
    case 'refused':
      return (
        <Badge tone="danger">
          <Icon name="cross" />
          {t('sigItemRefused')}
        </Badge>
      );
  }
}

/**
 * What went wrong, for whoever supports the person: the code only. The server's own words for a failure
 * whose outcome is unknown may say "not done", which the page cannot know.
 */
function TechnicalDetail({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return null;
  return <p className="alert-code">{error.status ? `${error.code} · HTTP ${error.status}` : error.code}</p>;
}
