/*
 * The fixed layout of drafts recorded before placement (issue 18, core/placement): an A4 document laid out
 * by D30 PL I, the number and date fields under the issuer's name (top left) and on the date line (top
 * right) of the first page; the personal signature at the bottom right of the last page; the seal over its
 * left third (sealPlacementOver in appearance.ts). A draft recorded since has its own placement, proposed
 * from its pages' layout and checked not to cover text or images; these are only its fallback.
 */

export interface Placement {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The number ("Số: …") and date line fields, prepared on the draft before anyone signs. */
export const ISSUE_FIELDS_LAYOUT = {
  number: { page: 0, x: 40, y: 700, width: 230, height: 16 },
  date: { page: 0, x: 300, y: 700, width: 260, height: 16 },
} as const satisfies Record<'number' | 'date', Placement>;

/** The personal signature's box: bottom right of the last page, 45 pt from its right edge. */
export function signaturePlacement(pages: {
  count: number;
  size(page: number): { width: number } | undefined;
}): Placement {
  const page = pages.count - 1;
  const width = pages.size(page)?.width ?? 595;
  return { page, x: width - 45 - 230, y: 140, width: 230, height: 140 };
}
