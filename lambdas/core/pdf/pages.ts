import { type PdfDict, PdfNumber, type PdfObject } from '@libpdf/core';
import { DomainError } from '../errors';
import { checkPdfBytes } from './input';
import { orDamaged, PdfStructureError } from './objects';
import { PdfFile, pageAt, Revision } from './reader';

/** A page's size as viewers show it, in points. */
export interface PageSize {
  readonly width: number;
  readonly height: number;
}

export interface DocumentPages {
  readonly count: number;
  /** Page `index` (0-based); undefined past the last page. */
  size(index: number): PageSize | undefined;
}

/**
 * The page count and page sizes of a PDF, checked to be a readable, unencrypted PDF with pages: the CropBox
 * where it is smaller than the MediaBox, turned by /Rotate (from the boxes' corners, ISO 32000-1 §7.9.5).
 * The file is read lazily (trailer, xref, page tree), never loaded whole.
 */
export async function readPages(
  pdf: Uint8Array,
  options: { maxBytes?: number } = {},
): Promise<DocumentPages> {
  checkPdfBytes(pdf, { maxBytes: options.maxBytes });
  return orDamaged(() => streamedPages(Revision.open(PdfFile.fromBytes(pdf))));
}

function streamedPages(rev: Revision): DocumentPages {
  if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
  const catalog = rev.catalog();
  const count = rev.resolve(rev.dict(catalog.get('Pages'))?.get('Count'));
  if (!(count instanceof PdfNumber) || !Number.isInteger(count.value) || count.value <= 0)
    throw new PdfStructureError('no page count');
  // The last page must be reachable: a /Count the tree does not back is a damaged file.
  if (!pageAt(rev, catalog, count.value - 1)) throw new PdfStructureError('page tree shorter than /Count');
  return {
    count: count.value,
    size(index) {
      const page = index >= 0 && index < count.value ? pageAt(rev, catalog, index) : undefined;
      if (!page) return undefined;
      const media = boxOf(page.mediaBox) ?? { width: 612, height: 792 };
      const crop = boxOf(numbers(rev, inherited(rev, page.dict, 'CropBox'))) ?? media;
      const rotate = inherited(rev, page.dict, 'Rotate');
      return viewed(media, crop, rotate instanceof PdfNumber ? rotate.value : 0);
    },
  };
}

/** What viewers show: the CropBox where it is smaller than the MediaBox, turned by /Rotate. */
function viewed(media: PageSize, crop: PageSize, rotate: number): PageSize {
  const box = crop.width < media.width || crop.height < media.height ? crop : media;
  const turn = ((rotate % 360) + 360) % 360;
  return turn === 90 || turn === 270 ? { width: box.height, height: box.width } : box;
}

function boxOf(values: readonly number[] | undefined): PageSize | undefined {
  const [x1, y1, x2, y2] = values ?? [];
  if (x1 === undefined || y1 === undefined || x2 === undefined || y2 === undefined) return undefined;
  return { width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/** An inheritable page attribute (ISO 32000-1 §7.7.3.4), from the page up its /Parent chain. */
function inherited(rev: Revision, page: PdfDict, key: string): PdfObject | undefined {
  const seen = new Set<PdfDict>();
  for (let node: PdfDict | undefined = page; node && !seen.has(node); node = rev.dict(node.get('Parent'))) {
    seen.add(node);
    const value = rev.resolve(node.get(key));
    if (value !== undefined) return value;
  }
  return undefined;
}

function numbers(rev: Revision, value: PdfObject | undefined): number[] | undefined {
  const items = rev.array(value)?.toArray();
  if (!items) return undefined;
  const out = items.map((v) => rev.resolve(v)).map((v) => (v instanceof PdfNumber ? v.value : Number.NaN));
  return out.some(Number.isNaN) ? undefined : out;
}
