import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from './i18n';
import { Loading } from './ui';

/**
 * The PDF as pages of canvas, rendered by pdf.js (worker from the pdfjs-dist package, bundled by Vite).
 * Annotations' appearances are drawn, so the signature images, seal and the number show as on paper.
 * pdf.js is loaded on first use: the inbox itself stays small.
 *
 * Long documents (issue 18): each page has its place at once (the first page's proportions), but is drawn
 * only when it comes near the screen, so a 200-page scan opens with its first page; a page selector moves
 * to any page, and says which one is being read.
 */

type PdfJs = typeof import('pdfjs-dist');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let pdfjsLoading: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  pdfjsLoading ??= Promise.all([
    import('pdfjs-dist'),
    import('pdfjs-dist/build/pdf.worker.min.mjs?url'),
  ]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
    return pdfjs;
  });
  return pdfjsLoading;
}

/** A signature field of the file: its page and where on it (fractions of the page, from its top left). */
export interface SignatureSpot {
  readonly page: number;
  readonly name: string;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** How far beyond the screen pages are drawn ahead of the reader. */
const AHEAD = '1200px 0px';

/** A signature's check, by its field name (the verification report's `fieldName`). */
export type SignatureValidity = ReadonlyMap<string, 'valid' | 'invalid' | 'modified'>;

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

/** Text as searched: composed, lower case, spaces folded. */
const searchable = (text: string) => text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ');

/** Marks the text layer's spans that hold `query` (the whole query within one span, as pdf.js splits runs). */
function markHits(root: ParentNode, query: string): void {
  for (const span of root.querySelectorAll<HTMLElement>('.textLayer span')) {
    const hit = query !== '' && searchable(span.textContent ?? '').includes(query);
    span.classList.toggle('pdf-hit', hit);
  }
}

export function PdfPreview({
  url,
  onRetry,
  validity,
}: {
  url: string;
  onRetry?: () => void;
  /** Each signature's check, to show beside the jump to it; absent when not verified. */
  validity?: SignatureValidity;
}) {
  const { t } = useI18n();
  const container = useRef<HTMLElement>(null);
  const [zoom, setZoom] = useState(1);
  const pdfRef = useRef<PdfDocument | undefined>(undefined);
  const query = useRef('');
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<
    { query: string; pages: { page: number; count: number }[] } | undefined
  >();
  const searchInput = useId();
  const [status, setStatus] = useState<'loading' | 'ready' | Error>('loading');
  const [pages, setPages] = useState(0);
  const [current, setCurrent] = useState(1);
  const [typed, setTyped] = useState('1');
  const [spots, setSpots] = useState<SignatureSpot[]>([]);
  const pageInput = useId();

  useEffect(() => {
    let cancelled = false;
    const target = container.current;
    if (!target) return;
    setStatus('loading');
    target.replaceChildren();
    let destroy: (() => void) | undefined;
    const observers: IntersectionObserver[] = [];
    (async () => {
      const pdfjs = await loadPdfJs();
      // Only the byte ranges a page needs (the storage answers ranges): a 64 MB scan is not fetched whole first.
      const task = pdfjs.getDocument({ url, disableAutoFetch: true, disableStream: true });
      destroy = () => void task.destroy();
      const pdf: PdfDocument = await task.promise;
      if (cancelled) return;
      pdfRef.current = pdf;
      setPages(pdf.numPages);
      const width = Math.max(280, target.clientWidth) * zoom;
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      const first = (await pdf.getPage(1)).getViewport({ scale: 1 });
      if (cancelled) return;
      const rendering = new Set<number>();
      const draw = async (slot: HTMLElement, n: number) => {
        if (rendering.has(n)) return;
        rendering.add(n);
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
        await page.render({ canvas, viewport }).promise;
        if (cancelled) return;
        canvas.dataset.rendered = 'true';
        slot.prepend(canvas);
        // The text over the picture, transparent: selectable, and found by the search (pdf.js text layer).
        const css = page.getViewport({ scale: width / unscaled.width });
        const layer = document.createElement('div');
        layer.className = 'textLayer';
        layer.style.setProperty('--total-scale-factor', String(css.scale));
        slot.append(layer);
        const text = new pdfjs.TextLayer({
          textContentSource: page.streamTextContent(),
          container: layer,
          viewport: css,
        });
        text
          .render()
          .then(() => {
            layer.dataset.rendered = 'true';
            markHits(layer, query.current);
          })
          .catch(() => undefined);
        slot.style.aspectRatio = '';
        slot.dataset.rendered = 'true';
      };
      const near = new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            const slot = entry.target as HTMLElement;
            near.unobserve(slot);
            draw(slot, Number(slot.dataset.page)).catch((error: Error) => {
              if (!cancelled) setStatus(error);
            });
          }
        },
        { rootMargin: AHEAD },
      );
      const reading = new IntersectionObserver(
        (entries) => {
          const seen = entries
            .filter((e) => e.isIntersecting)
            .map((e) => Number((e.target as HTMLElement).dataset.page));
          if (seen.length > 0 && !cancelled) setCurrent(Math.min(...seen));
        },
        { threshold: 0.4 },
      );
      observers.push(near, reading);
      for (let n = 1; n <= pdf.numPages; n++) {
        const slot = document.createElement('div');
        slot.className = 'pdf-slot';
        slot.id = `pdf-page-${n}`;
        slot.dataset.page = String(n);
        if (zoom !== 1) slot.style.width = `${width}px`;
        // Its place before it is drawn (CSSOM, which the page's CSP allows): the first page's proportions.
        slot.style.aspectRatio = `${first.width} / ${first.height}`;
        target.append(slot);
      }
      // The first page is drawn alone before the preview says it is ready: the pages near it wait, so they do
      // not share the network and the worker with it (a 200-page scan opens as fast as one page).
      const firstSlot = target.firstElementChild as HTMLElement | null;
      if (firstSlot) await draw(firstSlot, 1);
      if (cancelled) return;
      for (const slot of target.children) {
        if (slot !== firstSlot) near.observe(slot);
        reading.observe(slot);
      }
      setStatus('ready');
      // Then, in the background, where the signatures are: each page's signature fields, in page order
      // (pdf.js's getFieldObjects leaves out a form of signatures only, so the pages are asked one by one),
      // once the browser is idle: not while the first page is shown and its text laid over it.
      await new Promise<void>((done) =>
        'requestIdleCallback' in window
          ? window.requestIdleCallback(() => done(), { timeout: 2000 })
          : setTimeout(done, 200),
      );
      const found: SignatureSpot[] = [];
      for (let n = 1; n <= pdf.numPages && !cancelled; n++) {
        const page = await pdf.getPage(n);
        const view = page.getViewport({ scale: 1, dontFlip: true });
        const annotations: { fieldType?: string; fieldName?: string; rect?: number[] }[] =
          await page.getAnnotations({ intent: 'display' });
        for (const a of annotations) {
          const [x1, y1, x2, y2] = a.rect ?? [];
          if (
            a.fieldType !== 'Sig' ||
            x1 === undefined ||
            y1 === undefined ||
            x2 === undefined ||
            y2 === undefined
          )
            continue;
          const [vx, vy, vw, vh] = view.viewBox;
          const width = (vw ?? 0) - (vx ?? 0);
          const height = (vh ?? 0) - (vy ?? 0);
          if (width <= 0 || height <= 0 || x2 - x1 <= 0 || y2 - y1 <= 0) continue;
          found.push({
            page: n,
            name: a.fieldName ?? '',
            left: (x1 - (vx ?? 0)) / width,
            top: ((vh ?? 0) - y2) / height,
            width: (x2 - x1) / width,
            height: (y2 - y1) / height,
          });
        }
      }
      if (!cancelled) setSpots(found);
    })().catch((error: Error) => {
      if (!cancelled) setStatus(error);
    });
    return () => {
      cancelled = true;
      for (const o of observers) o.disconnect();
      destroy?.();
    };
  }, [url, t, zoom]);

  useEffect(() => setTyped(String(current)), [current]);

  const show = (spot: SignatureSpot) => {
    go(spot.page);
    const slot = container.current?.querySelector<HTMLElement>(`.pdf-slot[data-page="${spot.page}"]`);
    if (!slot) return;
    slot.querySelector('.pdf-sig-mark')?.remove();
    const mark = document.createElement('div');
    mark.className = 'pdf-sig-mark';
    mark.dataset.signaturePage = String(spot.page);
    // Placed over the page (CSSOM, which the page's CSP allows), in fractions of its size.
    mark.style.left = `${spot.left * 100}%`;
    mark.style.top = `${spot.top * 100}%`;
    mark.style.width = `${spot.width * 100}%`;
    mark.style.height = `${spot.height * 100}%`;
    slot.append(mark);
    mark.scrollIntoView({ block: 'center' });
  };

  const find = async (wanted: string) => {
    const pdf = pdfRef.current;
    const q = searchable(wanted.trim());
    query.current = q;
    if (container.current) markHits(container.current, q);
    if (!pdf || q === '') {
      setFound(undefined);
      return;
    }
    const hits: { page: number; count: number }[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      const text = searchable(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
      let count = 0;
      for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + q.length)) count++;
      if (count > 0) hits.push({ page: n, count });
    }
    if (query.current !== q) return;
    setFound({ query: wanted.trim(), pages: hits });
    if (hits[0]) go(hits[0].page);
  };

  const go = (n: number) => {
    const page = Math.min(Math.max(1, Math.round(n)), pages);
    if (!Number.isFinite(page) || page < 1) return;
    setCurrent(page);
    container.current?.querySelector(`[data-page="${page}"]`)?.scrollIntoView({ block: 'start' });
  };

  const zoomAt = ZOOMS.indexOf(zoom as (typeof ZOOMS)[number]);
  const totalHits = found?.pages.reduce((n, p) => n + p.count, 0) ?? 0;
  return (
    <div className="pdf-preview" aria-busy={status === 'loading'}>
      <div className="pdf-tools">
        <fieldset className="pdf-zoom">
          <legend className="visually-hidden">{t('pvZoom')}</legend>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setZoom(ZOOMS[Math.max(0, zoomAt - 1)] ?? 1)}
            disabled={zoomAt <= 0}
            data-testid="pdf-zoom-out"
          >
            {t('pvZoomOut')}
          </button>
          <output data-testid="pdf-zoom" aria-live="polite">
            {Math.round(zoom * 100)}%
          </output>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, zoomAt + 1)] ?? 1)}
            disabled={zoomAt >= ZOOMS.length - 1}
            data-testid="pdf-zoom-in"
          >
            {t('pvZoomIn')}
          </button>
          {zoom !== 1 ? (
            <button type="button" className="button button-secondary" onClick={() => setZoom(1)}>
              {t('pvZoomFit')}
            </button>
          ) : null}
        </fieldset>
        <form
          className="pdf-search"
          onSubmit={(e) => {
            e.preventDefault();
            find(search).catch(() => undefined);
          }}
        >
          <label htmlFor={searchInput}>{t('pvSearchLabel')}</label>
          <input
            id={searchInput}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="pdf-search"
          />
          <button type="submit" className="button button-secondary">
            {t('pvSearch')}
          </button>
        </form>
      </div>
      <div role="status" className={found ? 'pdf-found' : 'visually-hidden'} data-testid="pdf-found">
        {found
          ? found.pages.length === 0
            ? t('pvNotFound', { query: found.query })
            : t('pvFound', { count: totalHits, pages: found.pages.length, query: found.query })
          : null}
      </div>
      {found && found.pages.length > 0 ? (
        <ul className="pdf-signatures" aria-label={t('pvFoundPages')}>
          {found.pages.slice(0, 50).map((hit) => (
            <li key={hit.page}>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => go(hit.page)}
                data-search-page={hit.page}
              >
                {t('pvFoundOnPage', { page: hit.page, count: hit.count })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {pages > 1 ? (
        <nav className="pdf-nav" aria-label={t('wdPdfNav')}>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => go(current - 1)}
            disabled={current <= 1}
          >
            {t('wdPdfPrevious')}
          </button>
          <form
            className="pdf-nav-page"
            onSubmit={(e) => {
              e.preventDefault();
              go(Number(typed));
            }}
          >
            <label htmlFor={pageInput}>{t('wdPdfPageLabel')}</label>
            <input
              id={pageInput}
              type="number"
              inputMode="numeric"
              min={1}
              max={pages}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onBlur={() => go(Number(typed))}
              data-testid="pdf-page-input"
            />
            <span>{t('wdPdfOf', { pages })}</span>
          </form>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => go(current + 1)}
            disabled={current >= pages}
          >
            {t('wdPdfNext')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => go(pages)}>
            {t('wdPdfLast')}
          </button>
        </nav>
      ) : null}
      {spots.length > 0 ? (
        <ul className="pdf-signatures" aria-label={t('wdPdfSignatures')}>
          {spots.map((spot, i) => (
            <li key={`${spot.page}-${spot.name}-${spot.left}`}>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => show(spot)}
                data-signature={i + 1}
              >
                {t('wdPdfGoToSignature', { n: i + 1, page: spot.page })}
                {validity?.get(spot.name) ? (
                  <span
                    className={`pdf-sig-validity pdf-sig-${validity.get(spot.name)}`}
                    data-validity={validity.get(spot.name)}
                  >
                    {' '}
                    (
                    {t(
                      validity.get(spot.name) === 'valid'
                        ? 'sigValid'
                        : validity.get(spot.name) === 'modified'
                          ? 'sigModified'
                          : 'sigInvalid',
                    )}
                    )
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
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
      <section
        ref={container}
        className="pdf-pages"
        // Scrolls sideways when zoomed in: reachable by keyboard.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the focus to scroll by keys
        tabIndex={0}
        aria-label={t('pdfPagesRegion')}
        data-pages={pages}
        data-current={current}
        data-status={status instanceof Error ? 'error' : status}
      />
    </div>
  );
}
