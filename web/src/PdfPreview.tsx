import { useEffect, useRef, useState } from 'react';
import { useI18n } from './i18n';
import { Loading } from './ui';

/**
 * The PDF as pages of canvas, rendered by pdf.js (worker from the pdfjs-dist package, bundled by Vite).
 * Annotations' appearances are drawn, so the signature images, seal and the number show as on paper.
 * pdf.js is loaded on first use: the inbox itself stays small.
 */

type PdfJs = typeof import('pdfjs-dist');

let pdfjsLoading: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfjsLoading ??= Promise.all([
    import('pdfjs-dist'),
    import('pdfjs-dist/build/pdf.worker.min.mjs?url'),
  ]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
    return pdfjs;
  });
  return pdfjsLoading;
}

export function PdfPreview({ url, onRetry }: { url: string; onRetry?: () => void }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | Error>('loading');
  const [pages, setPages] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const target = container.current;
    if (!target) return;
    setStatus('loading');
    target.replaceChildren();
    let destroy: (() => void) | undefined;
    (async () => {
      const pdfjs = await loadPdfJs();
      const task = pdfjs.getDocument({ url });
      destroy = () => void task.destroy();
      const pdf = await task.promise;
      if (cancelled) return;
      setPages(pdf.numPages);
      const width = Math.max(280, target.clientWidth);
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      for (let n = 1; n <= pdf.numPages; n++) {
        const page = await pdf.getPage(n);
        if (cancelled) return;
        const unscaled = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width / unscaled.width) * ratio });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.className = 'pdf-page';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', t('pdfPage', { page: n, pages: pdf.numPages }));
        canvas.dataset.page = String(n);
        target.append(canvas);
        await page.render({ canvas, viewport }).promise;
        canvas.dataset.rendered = 'true';
      }
      if (!cancelled) setStatus('ready');
    })().catch((error: Error) => {
      if (!cancelled) setStatus(error);
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [url, t]);

  return (
    <div className="pdf-preview" aria-busy={status === 'loading'}>
      {status === 'loading' ? <Loading label={t('pdfLoading')} /> : null}
      {status instanceof Error ? (
        // pdf.js speaks English: its words go to the details, the person reads ours.
        <div className="alert alert-error" role="alert">
          <p>{t('wdPdfUnavailable')}</p>
          <details className="alert-code">
            <summary>{t('wdErrorDetails')}</summary>
            <code>{status.message}</code>
          </details>
          {onRetry ? (
            <button type="button" className="button button-secondary" onClick={onRetry}>
              {t('retry')}
            </button>
          ) : null}
        </div>
      ) : null}
      <div
        ref={container}
        className="pdf-pages"
        data-pages={pages}
        data-status={status instanceof Error ? 'error' : status}
      />
    </div>
  );
}
