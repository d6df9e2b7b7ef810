import {
  type DraftPlacement,
  type LaidOutPage,
  type LayoutSource,
  newPageArea,
  type Rect,
  SIZES,
  sealOver,
} from './placement';

/*
 * The signature blocks of a joint document (văn bản liên tịch, D30 PL I): the lead organisation's where the
 * draft's placement puts it (right), each co-issuer's beside it, on the same page, covering no text, no
 * image and no other block or seal: to the left on the same row first (D30 puts the co-issuers on the left),
 * then on the rows below, then anywhere on that page. Derived from the page and the lead's placement alone,
 * so the leader's signing and the clerk's seal find the same spot without storing it.
 */

// The room placement.ts keeps around what it places: a row the lead fits in fits its co-issuers too.
const GAP = 2;
const STEP = 6;
const MARGIN = 20;

function overlaps(a: Omit<Rect, 'page'>, b: Omit<Rect, 'page'>): boolean {
  return (
    a.x < b.x + b.width + GAP &&
    b.x < a.x + a.width + GAP &&
    a.y < b.y + b.height + GAP &&
    b.y < a.y + a.height + GAP
  );
}

function fits(page: LaidOutPage, taken: readonly Rect[], r: Rect): boolean {
  const { area } = page;
  const inside =
    r.x >= area.x &&
    r.y >= area.y &&
    r.x + r.width <= area.x + area.width &&
    r.y + r.height <= area.y + area.height;
  return (
    inside &&
    !page.boxes.some((b) => overlaps(r, b)) &&
    !taken.some((t) => t.page === r.page && overlaps(r, t))
  );
}

/** Where co-issuer `index` (1 the first co-issuer) signs, or undefined when its page has no room left. */
export function jointSignatureSpot(
  layout: LayoutSource,
  placement: DraftPlacement,
  index: number,
): Rect | undefined {
  const taken: Rect[] = [placement.signature, placement.seal, placement.number, placement.date];
  let spot: Rect | undefined;
  for (let i = 1; i <= index; i++) {
    spot = nextSpot(layout, placement.signature, taken);
    if (!spot) return undefined;
    taken.push(spot, sealOver(spot));
  }
  return spot;
}

function nextSpot(layout: LayoutSource, lead: Rect, taken: readonly Rect[]): Rect | undefined {
  const page = lead.page === layout.count ? newPageArea(layout) : layout.page(lead.page);
  if (!page) return undefined;
  const { area } = page;
  const { width, height } = SIZES.signature;
  const ok = (r: Rect) => fits(page, taken, r) && fits(page, taken, sealOver(r));
  const xs: number[] = [];
  for (let x = area.x + area.width - MARGIN - width; x >= area.x + MARGIN - 0.01; x -= STEP) xs.push(x);
  // The same row, left of the lead's block.
  for (const x of xs.filter((x) => x + width <= lead.x)) {
    const r = { page: lead.page, x, y: lead.y, width, height };
    if (ok(r)) return r;
  }
  // The rows below the lead's, then above it.
  const rows: number[] = [];
  for (let y = lead.y - STEP; y >= area.y + MARGIN - 0.01; y -= STEP) rows.push(y);
  for (let y = lead.y + STEP; y + height <= area.y + area.height - MARGIN + 0.01; y += STEP) rows.push(y);
  for (const y of rows)
    for (const x of xs) {
      const r = { page: lead.page, x, y, width, height };
      if (ok(r)) return r;
    }
  return undefined;
}
