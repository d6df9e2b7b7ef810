import * as z from 'zod';

/*
 * Where a draft's signature block, seal and number/date line go ("sign here" fields, D30 PL I): proposed
 * from each page's own layout (the text and image boxes its content draws, core/pdf/layout.ts), moved by
 * the drafter or the clerk, and checked here, on the server, whoever proposed them. Rectangles are in PDF
 * points relative to the page's MediaBox lower-left corner (unrotated), the frame the stamping code uses.
 *
 * A signature on `page === pageCount` is on a new final page that docflow adds before signing: the way out
 * when no page has a free area large enough.
 */

export const RectSchema = z.object({
  page: z.int().min(0).max(100_000),
  x: z.number().min(-100_000).max(100_000),
  y: z.number().min(-100_000).max(100_000),
  width: z.number().positive().max(2000),
  height: z.number().positive().max(2000),
});
export type Rect = z.infer<typeof RectSchema>;

export const PLACED_ITEMS = ['signature', 'seal', 'number', 'date'] as const;
export type PlacedItem = (typeof PLACED_ITEMS)[number];

export const DraftPlacementSchema = z.object({
  signature: RectSchema,
  seal: RectSchema,
  number: RectSchema,
  date: RectSchema,
});
export type DraftPlacement = z.infer<typeof DraftPlacementSchema>;

/** The sizes docflow draws at (D30: 36 mm seal ≈ 102 pt; Times 13 pt lines). */
export const SIZES = {
  signature: { width: 230, height: 140 },
  seal: { width: 102, height: 102 },
  number: { width: 230, height: 16 },
  date: { width: 260, height: 16 },
} as const;

export interface Box {
  readonly kind: 'text' | 'image';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

type Area = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

export interface LaidOutPage {
  readonly area: Area;
  /** /Rotate (0, 90, 180, 270): proposals are made as the page is shown, then turned back. */
  readonly rotate?: number;
  readonly boxes: readonly Box[];
  /**
   * The template's own lines for the number ("Số:   /QĐ-UBND") and the date ("Hà Nội, ngày … tháng … năm …"):
   * the field placed over the whole line replaces it (its opaque appearance hides the blanks), so the
   * line's text does not count as covered by that field.
   */
  readonly placeholders?: { readonly number?: Area; readonly date?: Area; readonly signature?: Area };
}

/** What placement reads of a document: its pages' layouts, each read when asked. */
export interface LayoutSource {
  readonly count: number;
  page(index: number): LaidOutPage | undefined;
}

export type PlacementProblemCode =
  | 'placement_page_missing'
  | 'placement_off_page'
  | 'placement_covers_text'
  | 'placement_covers_image'
  | 'placement_seal_apart';

export interface PlacementProblem {
  readonly item: PlacedItem;
  readonly code: PlacementProblemCode;
  /** 1-based page, for the message. */
  readonly page: number;
}

/** Room kept around what is placed so ink never touches a glyph. */
const GAP = 2;
const MARGIN = 20;
const STEP = 6;

function overlaps(a: Omit<Rect, 'page'>, b: Omit<Box, 'kind'>, gap = GAP): boolean {
  return (
    a.x < b.x + b.width + gap &&
    b.x < a.x + a.width + gap &&
    a.y < b.y + b.height + gap &&
    b.y < a.y + a.height + gap
  );
}

function inside(r: Omit<Rect, 'page'>, area: LaidOutPage['area']): boolean {
  const e = 0.5;
  return (
    r.x >= area.x - e &&
    r.y >= area.y - e &&
    r.x + r.width <= area.x + area.width + e &&
    r.y + r.height <= area.y + area.height + e
  );
}

function within(b: Area, outer: Area, e = 2): boolean {
  return (
    b.x >= outer.x - e &&
    b.y >= outer.y - e &&
    b.x + b.width <= outer.x + outer.width + e &&
    b.y + b.height <= outer.y + outer.height + e
  );
}

/** The first box `r` covers; for the number or date over the whole of its placeholder, that line excepted. */
function firstCovered(r: Omit<Rect, 'page'>, page: LaidOutPage, item?: PlacedItem): Box | undefined {
  const own = item === 'number' || item === 'date' ? page.placeholders?.[item] : undefined;
  const replaced = own && within(own, r, 0.01) ? own : undefined;
  // In place of a line of text, the field may touch the lines next to it as that line did (the boxes of
  // lines set solid, descent to ascent, meet within a point).
  return page.boxes.find((b) => overlaps(r, b, replaced ? -1 : GAP) && !(replaced && within(b, replaced)));
}

/** The seal over the left third of the signature (D30 PL I), at real size. */
export function sealOver(signature: Rect): Rect {
  const d = SIZES.seal.width;
  return {
    page: signature.page,
    x: signature.x + signature.width / 3 - d * 0.2 - d / 2,
    y: signature.y + signature.height / 2 - d / 2,
    width: d,
    height: d,
  };
}

/** A blank page like the last one: where the signature goes when no page has room. */
export function newPageArea(layout: LayoutSource): LaidOutPage {
  const last = layout.page(layout.count - 1);
  const area = last?.area ?? { x: 0, y: 0, width: 595.28, height: 841.89 };
  return { area, boxes: [] };
}

function pageOf(layout: LayoutSource, index: number): LaidOutPage | undefined {
  if (index === layout.count) return newPageArea(layout);
  return layout.page(index);
}

/** Every way `placement` covers something or leaves its page; empty when it may be used. */
export function checkPlacement(layout: LayoutSource, placement: DraftPlacement): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  for (const item of PLACED_ITEMS) {
    const rect = placement[item];
    const onNewPage = rect.page === layout.count;
    // Only what goes with the signature may be on the page added for it.
    if (onNewPage && item !== 'signature' && placement.signature.page !== layout.count) {
      problems.push({ item, code: 'placement_page_missing', page: rect.page + 1 });
      continue;
    }
    const page = pageOf(layout, rect.page);
    if (!page) {
      problems.push({ item, code: 'placement_page_missing', page: rect.page + 1 });
      continue;
    }
    if (!inside(rect, page.area)) {
      problems.push({ item, code: 'placement_off_page', page: rect.page + 1 });
      continue;
    }
    const covered = firstCovered(rect, page, rect.page === 0 ? item : undefined);
    if (covered)
      problems.push({
        item,
        code: covered.kind === 'text' ? 'placement_covers_text' : 'placement_covers_image',
        page: rect.page + 1,
      });
  }
  // The seal belongs over the signature it authenticates (D30): on its page, touching it.
  const { seal, signature } = placement;
  if (seal.page !== signature.page || !overlaps(seal, signature, 0))
    problems.push({ item: 'seal', code: 'placement_seal_apart', page: seal.page + 1 });
  return problems;
}

export type Proposal =
  | { readonly kind: 'placed'; readonly placement: DraftPlacement }
  /** No page has room for the signature: the placement puts it on a new final page. */
  | { readonly kind: 'new-page'; readonly placement: DraftPlacement };

function free(page: LaidOutPage, r: Omit<Rect, 'page'>): boolean {
  return inside(r, page.area) && !firstCovered(r, page);
}

/**
 * The signature's spot on `page`: right-aligned under the body (below the last line that spans most of
 * the width), as high as it fits; else anywhere free, right first; with room for the seal too.
 */
function signatureSpot(page: LaidOutPage, index: number): Rect | undefined {
  return markedSpot(page, index) ?? freeSpot(page, index);
}

/** How far a marked signature may land from the template's mark, in points. */
const MARK_REACH = 240;

/**
 * Where the template marks the signature (its block's heading or a "(Chữ ký)"): the free spot nearest below
 * the mark, centred under it; above it only when below is full.
 */
function markedSpot(page: LaidOutPage, index: number): Rect | undefined {
  const mark = page.placeholders?.signature;
  if (!mark) return undefined;
  const { area } = page;
  const { width, height } = SIZES.signature;
  const cx = mark.x + mark.width / 2;
  let best: { rect: Rect; cost: number } | undefined;
  for (let top = area.y + area.height - MARGIN; top - height >= area.y + MARGIN - 0.01; top -= STEP / 2)
    for (let x = area.x + MARGIN; x + width <= area.x + area.width - MARGIN + 0.01; x += STEP / 2) {
      const dy = top <= mark.y ? mark.y - top : 2 * (top - mark.y) + height;
      const cost = Math.hypot(x + width / 2 - cx, dy);
      if (cost > MARK_REACH || (best && cost >= best.cost)) continue;
      const rect = { page: index, x, y: top - height, width, height };
      if (free(page, rect) && free(page, sealOver(rect))) best = { rect, cost };
    }
  return best?.rect;
}

function freeSpot(page: LaidOutPage, index: number): Rect | undefined {
  const { area } = page;
  const { width, height } = SIZES.signature;
  const wide = page.boxes.filter((b) => b.width > area.width * 0.5);
  const bodyEnd = wide.length ? Math.min(...wide.map((b) => b.y)) : area.y + area.height;
  const candidates: Rect[] = [];
  for (let top = area.y + area.height - MARGIN; top - height >= area.y + MARGIN - 0.01; top -= STEP)
    for (let x = area.x + area.width - MARGIN - width; x >= area.x + MARGIN - 0.01; x -= STEP)
      candidates.push({ page: index, x, y: top - height, width, height });
  const fits = (r: Rect) => free(page, r) && free(page, sealOver(r));
  const below = (r: Rect) => r.y + r.height <= bodyEnd;
  const rightSide = (r: Rect) => r.x + r.width / 2 >= area.x + area.width / 2;
  return (
    candidates.find((r) => below(r) && rightSide(r) && fits(r)) ??
    candidates.find((r) => below(r) && fits(r)) ??
    candidates.find((r) => rightSide(r) && fits(r)) ??
    candidates.find((r) => fits(r))
  );
}

/**
 * A one-line field over the whole of the template's placeholder line, centred on it, as wide as the field
 * is drawn when the page has room (else as wide as the line); undefined without a placeholder or room.
 */
function placeholderSpot(
  page: LaidOutPage,
  item: 'number' | 'date',
  avoid: readonly Rect[],
): Rect | undefined {
  const line = page.placeholders?.[item];
  if (!line) return undefined;
  const { area } = page;
  const withAvoided: LaidOutPage = {
    ...page,
    boxes: [...page.boxes, ...avoid.map((r) => ({ ...r, kind: 'image' as const }))],
  };
  const { height, y } = line;
  for (let width = Math.max(SIZES[item].width, line.width + 4); width >= line.width + 2; width -= STEP) {
    const centred = line.x + line.width / 2 - width / 2;
    const x = Math.min(Math.max(centred, area.x + MARGIN), area.x + area.width - MARGIN - width);
    const r = { page: 0, x, y, width, height };
    if (within(line, r, 0) && inside(r, area) && !firstCovered(r, withAvoided, item)) return r;
  }
  return undefined;
}

/** A one-line field on the first page: under the top block on its side (left: number, right: date). */
function lineSpot(page: LaidOutPage, item: 'number' | 'date', avoid: readonly Rect[]): Rect | undefined {
  const placed = placeholderSpot(page, item, avoid);
  if (placed) return placed;
  const { area } = page;
  const { width, height } = SIZES[item];
  const half = area.x + area.width / 2;
  const right = area.x + area.width - MARGIN - width;
  const column =
    item === 'number'
      ? { from: area.x + MARGIN, to: Math.max(area.x + MARGIN, Math.min(right, half - width)) }
      : { from: Math.min(right, Math.max(area.x + MARGIN, half)), to: right };
  const sideBoxes = page.boxes.filter((b) => (item === 'number' ? b.x < half : b.x + b.width > half));
  const top = sideBoxes.length
    ? Math.max(...sideBoxes.map((b) => b.y + b.height))
    : area.y + area.height - MARGIN;
  const withAvoided: LaidOutPage = {
    area,
    boxes: [...page.boxes, ...avoid.map((r) => ({ ...r, kind: 'image' as const }))],
  };
  for (let y = Math.min(top, area.y + area.height - MARGIN) - height; y >= area.y + MARGIN; y -= 2) {
    const xs: number[] = [];
    for (let x = column.from; x <= column.to + 0.01; x += STEP) xs.push(x);
    if (item === 'date') xs.reverse();
    for (const x of xs) {
      const r = { page: 0, x, y, width, height };
      if (free(withAvoided, r)) return r;
    }
  }
  return undefined;
}

// --- Pages shown turned (/Rotate) ---------------------------------------------------------------------

type Turn = 0 | 90 | 180 | 270;

function turnOf(page: LaidOutPage | undefined): Turn {
  const r = page?.rotate ?? 0;
  return r === 90 || r === 180 || r === 270 ? r : 0;
}

/** A rectangle of the unturned page as shown (origin at the shown page's lower left), turned `turn` clockwise. */
function shown<R extends Area>(r: R, area: Area, turn: Turn): R {
  const { x, y, width: w, height: h } = r;
  const [dx, dy] = [x - area.x, y - area.y];
  const { width: W, height: H } = area;
  if (turn === 90) return { ...r, x: dy, y: W - dx - w, width: h, height: w };
  if (turn === 180) return { ...r, x: W - dx - w, y: H - dy - h, width: w, height: h };
  if (turn === 270) return { ...r, x: H - dy - h, y: dx, width: h, height: w };
  return r;
}

/** The inverse of `shown`: a rectangle placed on the shown page, on the unturned page. */
function unshown<R extends Area>(r: R, area: Area, turn: Turn): R {
  const { x: u, y: v, width: w, height: h } = r;
  const { width: W, height: H } = area;
  if (turn === 90) return { ...r, x: area.x + W - v - h, y: area.y + u, width: h, height: w };
  if (turn === 180) return { ...r, x: area.x + W - u - w, y: area.y + H - v - h, width: w, height: h };
  if (turn === 270) return { ...r, x: area.x + v, y: area.y + H - u - w, width: h, height: w };
  return r;
}

/**
 * The page as a reader sees it: its area and boxes turned by /Rotate. The template's lines are only read
 * upright on the unturned page, so a turned page offers none.
 */
function shownPage(page: LaidOutPage): LaidOutPage {
  const turn = turnOf(page);
  if (!turn) return page;
  const { area } = page;
  const w = turn === 180 ? area.width : area.height;
  const h = turn === 180 ? area.height : area.width;
  return { area: { x: 0, y: 0, width: w, height: h }, boxes: page.boxes.map((b) => shown(b, area, turn)) };
}

function shownLayout(layout: LayoutSource): LayoutSource {
  return {
    count: layout.count,
    page: (index) => {
      const page = layout.page(index);
      return page && shownPage(page);
    },
  };
}

/** The last page whose template marks the signature (its block's heading or a "(Chữ ký)"), if any. */
function markedPage(layout: LayoutSource): number | undefined {
  for (let index = layout.count - 1; index >= 0; index--)
    if (layout.page(index)?.placeholders?.signature) return index;
  return undefined;
}

/**
 * Positions for a new draft: the signature on the last page (or the page a template marks, near the mark),
 * the seal over it, the number and date on page 1 (over the template's lines for them when it has them);
 * `new-page` when no page from `signaturePage` on has room.
 */
export function proposePlacement(layout: LayoutSource, options: { signaturePage?: number } = {}): Proposal {
  const proposal = proposeShown(shownLayout(layout), options);
  const frame = (page: number) => {
    const p = page === layout.count ? layout.page(layout.count - 1) : layout.page(page);
    return { area: p?.area ?? newPageArea(layout).area, turn: turnOf(p) };
  };
  const back = (r: Rect): Rect => {
    const { area, turn } = frame(r.page);
    return unshown(r, area, turn);
  };
  const { signature, seal, number, date } = proposal.placement;
  return {
    kind: proposal.kind,
    placement: { signature: back(signature), seal: back(seal), number: back(number), date: back(date) },
  };
}

function proposeShown(layout: LayoutSource, options: { signaturePage?: number }): Proposal {
  const first = layout.page(0);
  const last = layout.count - 1;
  const wanted = Math.min(options.signaturePage ?? markedPage(layout) ?? last, last);
  let signature: Rect | undefined;
  for (let index = wanted; index <= last && !signature; index++) {
    const page = layout.page(index);
    if (page) signature = signatureSpot(page, index);
  }
  const kind = signature ? 'placed' : 'new-page';
  if (!signature) {
    const { area } = newPageArea(layout);
    const { width, height } = SIZES.signature;
    signature = {
      page: layout.count,
      x: area.x + area.width - MARGIN - 30 - width,
      y: area.y + area.height - 80 - height,
      width,
      height,
    };
  }
  const seal = sealOver(signature);
  const page0 = first ?? newPageArea(layout);
  const onFirst = [signature, seal].filter((r) => r.page === 0);
  const number = lineSpot(page0, 'number', onFirst);
  const date = number && lineSpot(page0, 'date', [...onFirst, number]);
  if (number && date) return { kind, placement: { signature, seal, number, date } };
  // Page 1 is full too (a scan): everything on the new final page, the number and date above the signature.
  const { area } = newPageArea(layout);
  const top = area.y + area.height - 60 - SIZES.number.height;
  const newSignature = { ...signature, page: layout.count, y: top - 40 - SIZES.signature.height };
  return {
    kind: 'new-page',
    placement: {
      signature: newSignature,
      seal: sealOver(newSignature),
      number: { page: layout.count, x: area.x + 40, y: top, ...SIZES.number },
      date: { page: layout.count, x: area.x + area.width - 30 - SIZES.date.width, y: top, ...SIZES.date },
    },
  };
}
