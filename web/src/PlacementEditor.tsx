import { useEffect, useMemo, useRef, useState } from 'react';
import { documentContracts, FileUrlSchema } from '../../lambdas/contracts/documents';
import {
  type DraftPlacement,
  PLACED_ITEMS,
  type PlacedItem,
  type Rect,
} from '../../lambdas/core/placement/placement';
import { api } from './api';
import { useI18n } from './i18n';
import { loadPdfJs } from './PdfPreview';
import { useGet } from './session';
import { ErrorMessage, Loading } from './ui';

/*
 * Where the signature block, the seal and the number/date line go (issue 18), over the pages they are on:
 * the drafter or the clerk moves each box by drag or arrow keys and saves; the server checks the positions
 * against the page (nothing covered) and says why it refuses. The leader sees the same boxes, read-only,
 * before authorizing. Positions are PDF points from the page's lower-left corner; pdf.js's viewport turns
 * them to the screen and back, so any page size and rotation works.
 */

type PdfJs = Awaited<ReturnType<typeof loadPdfJs>>;
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type Viewport = ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['getViewport']>;
type DocumentView = import('../../lambdas/contracts/documents').DocumentView;

const STEP = 2;
const BIG_STEP = 12;

function moved(placement: DraftPlacement, item: PlacedItem, dx: number, dy: number): DraftPlacement {
  const shift = (r: Rect) => ({
    ...r,
    x: Math.round((r.x + dx) * 10) / 10,
    y: Math.round((r.y + dy) * 10) / 10,
  });
  // The seal goes with the signature it stamps; it may also be moved on its own.
  if (item === 'signature')
    return { ...placement, signature: shift(placement.signature), seal: shift(placement.seal) };
  return { ...placement, [item]: shift(placement[item]) };
}

export function PlacementEditor({
  view,
  editable,
  onDone,
}: {
  view: DocumentView;
  editable: boolean;
  onDone?: (what: string | undefined) => void;
}) {
  const { t } = useI18n();
  const doc = view.document;
  const saved = doc?.placement;
  const sha = doc?.documentSha256;
  const file = useGet(
    saved && sha ? `/api/documents/${encodeURIComponent(view.id)}/file?redirect=false&v=${sha}` : undefined,
    FileUrlSchema,
  );
  const [placement, setPlacement] = useState<DraftPlacement | undefined>(saved);
  const [pdf, setPdf] = useState<PdfDocument | Error | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const key = useRef(crypto.randomUUID());

  useEffect(() => setPlacement(saved), [saved]);
  const url = file.status === 'ready' ? file.value.url : undefined;
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    let destroy: (() => void) | undefined;
    (async () => {
      const pdfjs = await loadPdfJs();
      const task = pdfjs.getDocument({ url });
      destroy = () => void task.destroy();
      const loaded = await task.promise;
      if (!cancelled) setPdf(loaded);
    })().catch((e: Error) => {
      if (!cancelled) setPdf(e);
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [url]);

  if (!saved || !placement) return null;
  if (file.status === 'error') return <ErrorMessage error={file.error} onRetry={file.reload} />;
  if (pdf instanceof Error) return <ErrorMessage error={new Error(t('wdPdfUnavailable'))} />;
  if (!pdf) return <Loading />;
  const pageCount = pdf.numPages;
  const pages = [...new Set(PLACED_ITEMS.map((i) => placement[i].page))].sort((a, b) => a - b);
  const changed = JSON.stringify(placement) !== JSON.stringify(saved);
  const onNewPage = saved.signature.page >= pageCount;

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api(
        'PUT',
        `/api/documents/${encodeURIComponent(view.id)}/placement`,
        documentContracts['PUT /api/documents/{id}/placement'].response,
        { body: placement, idempotencyKey: key.current },
      );
      key.current = crypto.randomUUID();
      onDone?.(t('plSaved'));
    } catch (e) {
      key.current = crypto.randomUUID();
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // Same spot, on a blank page after the last one (docflow adds it when the leader signs).
  const toNewPage = () =>
    setPlacement({
      ...placement,
      signature: { ...placement.signature, page: pageCount },
      seal: { ...placement.seal, page: pageCount },
    });

  return (
    <section className="placement" aria-labelledby="placement-heading" data-testid="placement">
      <h3 id="placement-heading">{t('plHeading')}</h3>
      <p>{editable ? t('plIntro') : t('plReadOnly')}</p>
      {onNewPage ? (
        <p className="alert alert-info" data-testid="placement-new-page">
          {t('plNewPage')}
        </p>
      ) : null}
      <div className="placement-pages">
        {pages.map((page) => (
          <PlacementPage
            key={page}
            pdf={pdf}
            page={page}
            placement={placement}
            editable={editable}
            onMove={(item, dx, dy) => setPlacement((p) => (p ? moved(p, item, dx, dy) : p))}
          />
        ))}
      </div>
      {editable ? (
        <div className="placement-actions">
          {changed ? (
            <p role="status" className="placement-unsaved">
              {t('plUnsaved')}
            </p>
          ) : null}
          <ErrorMessage error={error} />
          <button
            type="button"
            className="button button-primary"
            onClick={save}
            disabled={busy || !changed}
            data-testid="placement-save"
          >
            {busy ? t('working') : t('plSave')}
          </button>
          {changed ? (
            <button type="button" className="button button-secondary" onClick={() => setPlacement(saved)}>
              {t('plUndo')}
            </button>
          ) : null}
          {placement.signature.page < pageCount ? (
            <button
              type="button"
              className="button button-secondary"
              onClick={toNewPage}
              data-testid="placement-to-new-page"
            >
              {t('plUseNewPage')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function PlacementPage({
  pdf,
  page,
  placement,
  editable,
  onMove,
}: {
  pdf: PdfDocument;
  page: number;
  placement: DraftPlacement;
  editable: boolean;
  onMove: (item: PlacedItem, dx: number, dy: number) => void;
}) {
  const { t } = useI18n();
  const holder = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport | undefined>();
  const [origin, setOrigin] = useState<[number, number]>([0, 0]);
  const isNew = page >= pdf.numPages;

  useEffect(() => {
    let cancelled = false;
    const target = holder.current;
    if (!target) return;
    (async () => {
      // A new final page looks like the last one, blank.
      const source = await pdf.getPage(Math.min(page, pdf.numPages - 1) + 1);
      const unscaled = source.getViewport({ scale: 1 });
      if (cancelled) return;
      setViewport(unscaled);
      const [vx = 0, vy = 0] = source.view;
      setOrigin([vx, vy]);
      target.querySelector('canvas')?.remove();
      if (isNew) return;
      const width = Math.max(260, target.clientWidth);
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      const scaled = source.getViewport({ scale: (width / unscaled.width) * ratio });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(scaled.width);
      canvas.height = Math.floor(scaled.height);
      canvas.className = 'pdf-page';
      canvas.setAttribute('aria-hidden', 'true');
      await source.render({ canvas, viewport: scaled }).promise;
      if (!cancelled) {
        target.prepend(canvas);
        target.dataset.rendered = 'true';
      }
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [pdf, page, isNew]);

  const boxes = useMemo(() => {
    if (!viewport) return [];
    return PLACED_ITEMS.filter((item) => placement[item].page === page).map((item) => {
      const r = placement[item];
      const [a = 0, b = 0] = viewport.convertToViewportPoint(r.x + origin[0], r.y + origin[1]);
      const [c = 0, d = 0] = viewport.convertToViewportPoint(
        r.x + r.width + origin[0],
        r.y + r.height + origin[1],
      );
      return {
        item,
        left: (Math.min(a, c) / viewport.width) * 100,
        top: (Math.min(b, d) / viewport.height) * 100,
        width: (Math.abs(c - a) / viewport.width) * 100,
        height: (Math.abs(d - b) / viewport.height) * 100,
        rect: r,
      };
    });
  }, [viewport, placement, page, origin]);

  /** A move on the screen (CSS pixels of this page) as a move in PDF points. */
  const toPdf = (dxCss: number, dyCss: number): [number, number] => {
    const target = holder.current;
    if (!viewport || !target) return [0, 0];
    const k = viewport.width / Math.max(1, target.clientWidth);
    const [x0 = 0, y0 = 0] = viewport.convertToPdfPoint(0, 0);
    const [x1 = 0, y1 = 0] = viewport.convertToPdfPoint(dxCss * k, dyCss * k);
    return [x1 - x0, y1 - y0];
  };
  const screenStep = (points: number): number => {
    const target = holder.current;
    if (!viewport || !target) return points;
    return (points * target.clientWidth) / viewport.width;
  };

  const drag = (item: PlacedItem) => (e: React.PointerEvent<HTMLElement>) => {
    if (!editable) return;
    e.preventDefault();
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    let last = { x: e.clientX, y: e.clientY };
    const move = (ev: PointerEvent) => {
      const [dx, dy] = toPdf(ev.clientX - last.x, ev.clientY - last.y);
      last = { x: ev.clientX, y: ev.clientY };
      if (dx || dy) onMove(item, dx, dy);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };

  const keys = (item: PlacedItem) => (e: React.KeyboardEvent<HTMLElement>) => {
    const step = screenStep(e.shiftKey ? BIG_STEP : STEP);
    const delta: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const d = delta[e.key];
    if (!d || !editable) return;
    e.preventDefault();
    const [dx, dy] = toPdf(d[0], d[1]);
    onMove(item, dx, dy);
  };

  const mm = (v: number) => Math.round((v / 72) * 25.4);
  return (
    <figure className="placement-page" data-placement-page={page + 1}>
      <div
        ref={holder}
        className={`placement-sheet${isNew ? ' placement-sheet-new' : ''}`}
        style={viewport ? { aspectRatio: `${viewport.width} / ${viewport.height}` } : undefined}
      >
        {boxes.map((b) => {
          const label = t('plBoxLabel', {
            item: t(`plItem_${b.item}`),
            page: page + 1,
            x: mm(b.rect.x),
            y: mm(b.rect.y),
          });
          const style = {
            left: `${b.left}%`,
            top: `${b.top}%`,
            width: `${b.width}%`,
            height: `${b.height}%`,
          };
          return editable ? (
            <button
              key={b.item}
              type="button"
              className={`placement-box placement-${b.item}`}
              style={style}
              aria-label={label}
              data-placement-item={b.item}
              onPointerDown={drag(b.item)}
              onKeyDown={keys(b.item)}
            >
              <span aria-hidden="true">{t(`plItem_${b.item}`)}</span>
            </button>
          ) : (
            <div
              key={b.item}
              className={`placement-box placement-${b.item}`}
              style={style}
              role="img"
              aria-label={label}
              data-placement-item={b.item}
            >
              <span aria-hidden="true">{t(`plItem_${b.item}`)}</span>
            </div>
          );
        })}
      </div>
      <figcaption>{isNew ? t('plNewPageCaption') : t('plPageCaption', { page: page + 1 })}</figcaption>
    </figure>
  );
}
