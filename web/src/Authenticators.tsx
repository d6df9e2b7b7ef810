import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { type FormEvent, useState } from 'react';
import { signatureContracts } from '../../lambdas/contracts/signatures';
import { ApiError } from './api';
import { formatDateTime } from './format';
import { useI18n } from './i18n';
import { passkeyErrorMessage } from './passkeys';
import { QrCode } from './QrCode';
import { useGet, useIdempotencyKey } from './session';
import {
  type Authenticators,
  addPasskey,
  confirmTotp,
  creationOptions,
  passkeyOptions,
  removePasskey,
  removeTotp,
  startTotp,
  type TotpEnrolment,
  totpCode,
} from './signing';
import { ErrorMessage, Field, Icon, Loading } from './ui';

/*
 * The person's own signing factors (docs/SECURITY.md): passkeys registered on their devices, and an
 * authenticator app. A signature is made only when its signer authorizes it with one of these, so each
 * person manages their own, here, and nobody else can (not even an administrator).
 */

const listRoute = signatureContracts['GET /api/me/authenticators'].response;

export function SigningAuthenticators() {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  const list = useGet('/api/me/authenticators', listRoute, version);
  const changed = (message: string) => {
    setNotice(message);
    setVersion((v) => v + 1);
  };
  return (
    <section className="panel" aria-labelledby="factors-heading" data-testid="authenticators">
      <h2 id="factors-heading" className="panel-title">
        {t('factorsTitle')}
      </h2>
      <p>{t('factorsWhy')}</p>
      <p className={notice ? 'alert alert-success' : 'visually-hidden'} role="status">
        {notice}
      </p>
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <ErrorMessage error={list.error} onRetry={list.reload} />
      ) : (
        <FactorLists value={list.value} onChanged={changed} />
      )}
    </section>
  );
}

function FactorLists({ value, onChanged }: { value: Authenticators; onChanged: (message: string) => void }) {
  const { t, locale } = useI18n();
  return (
    <>
      {value.passkeys.length === 0 && value.totp === null ? (
        <p className="alert alert-warning">{t('factorsNone')}</p>
      ) : null}
      <h3 className="panel-subtitle">{t('passkeysTitle')}</h3>
      <p className="hint">{t('passkeysHint')}</p>
      {value.passkeys.length === 0 ? (
        <p className="muted">{t('passkeysNone')}</p>
      ) : (
        <ul className="factor-list">
          {value.passkeys.map((p) => (
            <li key={p.credentialId} className="factor" data-passkey={p.label}>
              <span className="factor-name">
                <Icon name="lock" />
                {p.label}
              </span>
              <span className="factor-meta">
                {t('factorAddedOn', { time: formatDateTime(p.createdAt, locale) })}
              </span>
              <Remove
                what={p.label}
                confirmText={t('passkeyRemoveConfirm', { label: p.label })}
                remove={() => removePasskey(p.credentialId)}
                onDone={() => onChanged(t('passkeyRemoved', { label: p.label }))}
              />
            </li>
          ))}
        </ul>
      )}
      <AddPasskey onDone={(label) => onChanged(t('passkeyAdded', { label }))} />

      <h3 className="panel-subtitle">{t('totpTitle')}</h3>
      {value.totp ? (
        <ul className="factor-list">
          <li className="factor" data-totp="enrolled">
            <span className="factor-name">
              <Icon name="check" />
              {t('totpEnrolled')}
            </span>
            <span className="factor-meta">
              {t('factorAddedOn', { time: formatDateTime(value.totp.confirmedAt, locale) })}
            </span>
            <Remove
              what={t('totpTitle')}
              confirmText={t('totpRemoveConfirm')}
              remove={removeTotp}
              onDone={() => onChanged(t('totpRemoved'))}
            />
          </li>
        </ul>
      ) : (
        <TotpSetup onDone={() => onChanged(t('totpAdded'))} />
      )}
    </>
  );
}

/** A remove button that asks first, in place. */
function Remove({
  what,
  confirmText,
  remove,
  onDone,
}: {
  what: string;
  confirmText: string;
  remove: () => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await remove();
      setConfirming(false);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!confirming) {
    return (
      <button
        type="button"
        className="button button-secondary factor-remove"
        onClick={() => setConfirming(true)}
        aria-label={t('factorRemoveLabel', { what })}
      >
        {t('factorRemove')}
      </button>
    );
  }
  return (
    <fieldset className="factor-confirm">
      <legend className="visually-hidden">{t('factorRemoveLabel', { what })}</legend>
      <p>{confirmText}</p>
      <ErrorMessage error={error} />
      <div className="form-buttons">
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void run()}>
          {busy ? t('working') : t('factorRemoveYes')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => setConfirming(false)}
        >
          {t('cancel')}
        </button>
      </div>
    </fieldset>
  );
}

function AddPasskey({ onDone }: { onDone: (label: string) => void }) {
  const { t } = useI18n();
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const supported = browserSupportsWebAuthn();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const name = label.trim() || t('passkeyDefaultLabel');
    // Fresh keys each attempt: each registration answers its own single-use challenge, so none can repeat.
    try {
      const { challengeId, options } = await passkeyOptions(crypto.randomUUID());
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: creationOptions(options) });
      } catch (e) {
        throw new Error(passkeyErrorMessage(e, t, window.location));
      }
      await addPasskey({ challengeId, response, label: name }, crypto.randomUUID());
      setLabel('');
      onDone(name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="factor-add" onSubmit={(e) => void submit(e)} noValidate>
      <Field label={t('passkeyLabel')} hint={t('passkeyLabelHint')}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={label}
            maxLength={80}
            onChange={(e) => setLabel(e.target.value)}
            autoComplete="off"
            data-passkey-label="true"
          />
        )}
      </Field>
      {supported ? null : <p className="alert alert-warning">{t('passkeyUnsupported')}</p>}
      <ErrorMessage error={error} />
      <div className="form-buttons">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !supported}
          data-submit="passkey"
        >
          {busy ? t('passkeyWaiting') : t('passkeyAdd')}
        </button>
      </div>
    </form>
  );
}

/** Enrolling an authenticator app: the secret as a QR code and as text, then a code it shows. */
function TotpSetup({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const startKey = useIdempotencyKey();
  const confirmKey = useIdempotencyKey();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setEnrolment(await startTotp(startKey.key()));
      startKey.settle();
    } catch (e) {
      startKey.settle(e);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const valid = totpCode(code);
    if (!valid) {
      setError(new Error(t('totpCodeFormat')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await confirmTotp(valid, confirmKey.key());
      confirmKey.settle();
      onDone();
    } catch (e) {
      confirmKey.settle(e);
      // A wrong code keeps the form: the person types the next one.
      if (e instanceof ApiError && e.code === 'totp_code_invalid') setCode('');
      setError(e);
      setBusy(false);
    }
  };

  if (!enrolment) {
    return (
      <>
        <p className="muted">{t('totpNone')}</p>
        <ErrorMessage error={error} />
        <div className="form-buttons">
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => void start()}
            data-submit="totp-start"
          >
            {busy ? t('working') : t('totpStart')}
          </button>
        </div>
      </>
    );
  }
  return (
    <form className="totp-setup" onSubmit={(e) => void confirm(e)} noValidate>
      <ol className="totp-steps">
        <li>
          <p>{t('totpStepScan')}</p>
          <QrCode text={enrolment.uri} label={t('totpQrLabel')} />
          <details className="totp-text">
            <summary>{t('totpShowText')}</summary>
            <dl className="meta">
              <dt>{t('totpSecret')}</dt>
              <dd>
                <code className="totp-secret" data-secret={enrolment.secret}>
                  {enrolment.secret.match(/.{1,4}/g)?.join(' ')}
                </code>
              </dd>
              <dt>{t('totpUri')}</dt>
              <dd>
                <code className="totp-uri">{enrolment.uri}</code>
              </dd>
            </dl>
          </details>
        </li>
        <li>
          <Field label={t('totpConfirmLabel')} hint={t('totpConfirmHint')}>
            {(p) => (
              <input
                {...p}
                className="otp-input"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                data-totp="confirm"
              />
            )}
          </Field>
        </li>
      </ol>
      <ErrorMessage error={error} />
      <div className="form-buttons">
        <button type="submit" className="button button-primary" disabled={busy} data-submit="totp-confirm">
          {busy ? t('working') : t('totpConfirm')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => {
            setEnrolment(undefined);
            setCode('');
            setError(undefined);
          }}
        >
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
