import { useEffect, useRef, useState } from 'react';
import {
  directoryContracts,
  type SignatureImageView as SignatureImage,
  type SignatureImageUpload,
} from '../../lambdas/contracts/directory';
import { Progress } from './ActionForms';
import { SigningAuthenticators } from './Authenticators';
import { ApiError, del, post, uploadFile } from './api';
import { formatBytes, formatDateTime } from './format';
import { useI18n } from './i18n';
import { NotificationPreferences } from './notifications/Preferences';
import { useGet, useIdempotencyKey, useSession } from './session';
import { ErrorMessage, FileInput, Loading } from './ui';

/**
 * The signed-in person's profile and their signature image (D30 PL I: blue, transparent PNG), which their
 * personal signatures draw between the title lines and the name. Replacing it is three steps, as for a
 * draft's PDF: ask for an upload target, POST the file straight to storage, then ask the API to check and use it.
 */

/** The signature image routes' answers, as their contracts give them. */
const routes = {
  current: directoryContracts['GET /api/people/{id}/signature-image'].response,
  startUpload: directoryContracts['POST /api/people/{id}/signature-image/uploads'].response,
  register: directoryContracts['POST /api/people/{id}/signature-image'].response,
  remove: directoryContracts['DELETE /api/people/{id}/signature-image'].response,
};

/** What the server announces as `upload.maxBytes`; shown before an upload starts, the server decides. */
const SIGNATURE_MAX_BYTES = 512 * 1024;

const isPng = (file: File) => file.type === 'image/png' || file.name.toLowerCase().endsWith('.png');

/** A blob: URL for bytes fetched from `url` (the CSP lets images come from blob:, not from storage hosts). */
function useFetchedImage(url: string | undefined): { src?: string; error?: unknown } {
  const [state, setState] = useState<{ src?: string; error?: unknown }>({});
  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    let objectUrl: string | undefined;
    setState({});
    fetch(url, { signal: controller.signal })
      .then((response) => {
        if (!response.ok) throw new ApiError(response.status, 'http', `HTTP ${response.status}`);
        return response.blob();
      })
      .then((blob) => {
        objectUrl = URL.createObjectURL(blob);
        setState({ src: objectUrl });
      })
      .catch((error: Error) => {
        if (error.name !== 'AbortError') setState({ error });
      });
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return state;
}

/** A blob: URL showing a file the person picked, before it is uploaded. */
function useFilePreview(file: File | undefined): string | undefined {
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    if (!file || !isPng(file)) {
      setSrc(undefined);
      return;
    }
    const objectUrl = URL.createObjectURL(file);
    setSrc(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  return src;
}

function CurrentSignature({ image, name }: { image: SignatureImage; name: string }) {
  const { t, locale } = useI18n();
  const { src, error } = useFetchedImage(image.url);
  return (
    <figure className="signature-image-current">
      <div className="signature-paper">
        {src ? (
          <img src={src} alt={t('mySignatureAlt', { name })} data-sha256={image.sha256} />
        ) : error ? (
          <ErrorMessage error={error} />
        ) : (
          <Loading />
        )}
      </div>
      <figcaption className="muted">
        {t('mySignatureDetails', {
          width: image.width,
          height: image.height,
          size: formatBytes(image.bytes),
          time: formatDateTime(image.uploadedAt, locale),
        })}
      </figcaption>
    </figure>
  );
}

/** An upload under way: kept after an uncertain failure so that "try again" finishes it, not a new one. */
interface Pending {
  readonly file: File;
  readonly started: SignatureImageUpload;
  readonly uploaded: boolean;
  /** The confirm's Idempotency-Key, bound to this upload id. */
  readonly key: string;
}

function SignatureUpload({ path, onDone }: { path: string; onDone: (changed: boolean) => void }) {
  const { t } = useI18n();
  const startKey = useIdempotencyKey();
  const [file, setFile] = useState<File | undefined>();
  const preview = useFilePreview(file);
  const pending = useRef<Pending | undefined>(undefined);
  const [progress, setProgress] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const limit = formatBytes(SIGNATURE_MAX_BYTES);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setError(new Error(t('mySignatureFileRequired')));
      return;
    }
    if (!isPng(file)) {
      setError(new Error(t('mySignatureNotPng')));
      return;
    }
    if (file.size > SIGNATURE_MAX_BYTES) {
      setError(new Error(t('mySignatureTooLarge', { limit })));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      let current = pending.current?.file === file ? pending.current : undefined;
      if (!current) {
        const started = await post(`${path}/uploads`, {}, routes.startUpload, startKey.key());
        startKey.settle();
        current = { file, started, uploaded: false, key: crypto.randomUUID() };
        pending.current = current;
      }
      if (!current.uploaded) {
        await uploadFile(current.started.upload, file, setProgress);
        current = { ...current, uploaded: true };
        pending.current = current;
      }
      const result = await post(path, { uploadId: current.started.uploadId }, routes.register, current.key);
      pending.current = undefined;
      setProgress(undefined);
      onDone(result.changed);
    } catch (e) {
      startKey.settle(e);
      // A definite refusal (a bad image): the next attempt starts over with a new upload.
      if (!(e instanceof ApiError && e.uncertain)) pending.current = undefined;
      setError(e);
      setProgress(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="signature-upload" onSubmit={(e) => void submit(e)} noValidate>
      <FileInput
        label={t('mySignatureFile')}
        hint={t('mySignatureHint', { limit })}
        accept="image/png,.png"
        onChange={(next) => {
          setFile(next);
          setError(undefined);
        }}
      />
      {preview ? (
        <div className="signature-paper">
          <img src={preview} alt={t('mySignaturePreviewAlt')} />
        </div>
      ) : null}
      <p className="hint">{t('mySignatureReplaceNote')}</p>
      <Progress fraction={progress} />
      <ErrorMessage error={error} />
      <div className="form-buttons">
        <button type="submit" className="button button-primary" disabled={busy} data-submit="signature">
          {busy ? t('working') : t('mySignatureUpload')}
        </button>
      </div>
    </form>
  );
}

/** Removing the image, after the person confirms it in place. */
function RemoveSignature({ path, onDone }: { path: string; onDone: () => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // Already gone (another tab removed it) ends the same way: no image.
      await del(path, routes.remove);
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
      <div className="form-buttons">
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          {t('mySignatureRemove')}
        </button>
      </div>
    );
  }
  return (
    <fieldset className="signature-remove">
      <legend className="visually-hidden">{t('mySignatureRemove')}</legend>
      <p>{t('mySignatureRemoveConfirm')}</p>
      <ErrorMessage error={error} />
      <div className="form-buttons">
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove()}>
          {busy ? t('working') : t('mySignatureRemoveYes')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)}>
          {t('cancel')}
        </button>
      </div>
    </fieldset>
  );
}

export function ProfilePage() {
  const { t, l } = useI18n();
  const { me } = useSession();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  const path = `/api/people/${encodeURIComponent(me.id)}/signature-image`;
  const current = useGet(path, routes.current, version);

  return (
    <section className="profile-page" aria-labelledby="profile-heading">
      <div className="page-head">
        <h1 id="profile-heading">{t('profileTitle')}</h1>
      </div>
      <div className="panel">
        <dl className="meta">
          <dt>{t('profileName')}</dt>
          <dd>{me.name}</dd>
          <dt>{t('profilePosition')}</dt>
          <dd>
            {me.position.title} · {l.role(me.position.role)}
          </dd>
          <dt>{t('profileOrganisation')}</dt>
          <dd>{me.organisation.name}</dd>
        </dl>
      </div>
      <SigningAuthenticators />
      <NotificationPreferences />
      <section className="panel" aria-labelledby="signature-heading">
        <h2 id="signature-heading" className="panel-title">
          {t('mySignature')}
        </h2>
        <p>{t('mySignatureIntro')}</p>
        <p className={notice ? 'alert alert-success' : 'visually-hidden'} role="status">
          {notice}
        </p>
        {current.status === 'loading' ? (
          <Loading />
        ) : current.status === 'error' ? (
          <ErrorMessage error={current.error} onRetry={current.reload} />
        ) : current.value.image ? (
          <>
            <CurrentSignature image={current.value.image} name={me.name} />
            <RemoveSignature
              path={path}
              onDone={() => {
                setNotice(t('mySignatureRemoved'));
                setVersion((v) => v + 1);
              }}
            />
          </>
        ) : (
          <p className="empty">{t('mySignatureNone')}</p>
        )}
        <SignatureUpload
          // A fresh form after each registration: the file picked is now the current image.
          key={version}
          path={path}
          onDone={(changed) => {
            setNotice(t(changed ? 'mySignatureSaved' : 'mySignatureUnchanged'));
            setVersion((v) => v + 1);
          }}
        />
      </section>
    </section>
  );
}
