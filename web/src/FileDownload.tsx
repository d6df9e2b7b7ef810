import { useState } from 'react';
import { FileUrlSchema } from '../../lambdas/contracts/documents';
import { ApiError, get } from './api';
import { useI18n } from './i18n';
import { ErrorMessage } from './ui';

/**
 * Downloads a stored file through a link asked for at the moment of the click: a presigned link lives five
 * minutes, a person may read for an hour. The file is fetched by the page and handed to the browser as a
 * download, so a refusal from storage (an expired or revoked link, XML in English) never reaches the
 * screen; the person reads what happened in their language, with a retry.
 */
export function FileDownload({
  path,
  fileName,
  label,
  className = 'button button-secondary',
  testId,
}: {
  /** The API path that answers `{ url }` (with `redirect=false`). */
  readonly path: string;
  readonly fileName: string;
  readonly label: string;
  readonly className?: string;
  readonly testId?: string;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const separator = path.includes('?') ? '&' : '?';
      // A fresh link each time: `at` keeps any cache from answering with an old one.
      const { url } = await get(`${path}${separator}at=${Date.now()}`, FileUrlSchema);
      let response: Response;
      try {
        response = await fetch(url);
      } catch {
        throw new ApiError(0, 'storage_unreachable', t('wdStorageUnreachable'));
      }
      if (!response.ok) throw new ApiError(response.status, 'storage_refused', t('wdStorageRefused'));
      const blob = await response.blob();
      const objectUrl = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = fileName;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // The browser has taken the file; the URL can go once the click has been handled.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="file-download">
      <button
        type="button"
        className={className}
        onClick={() => void download()}
        disabled={busy}
        data-testid={testId}
        aria-busy={busy}
      >
        {busy ? t('working') : label}
      </button>
      <ErrorMessage error={error} onRetry={() => void download()} />
    </div>
  );
}

/** A file name people can read: Vietnamese letters kept, only characters file systems refuse replaced. */
export function readableFileName(base: string, extension: string): string {
  const cleaned = base
    .normalize('NFC')
    .replace(/[\\/:*?"<>|]+/g, '-')
    .split('')
    .filter((c) => c.charCodeAt(0) >= 32)
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  return `${cleaned || 'van-ban'}.${extension}`;
}
