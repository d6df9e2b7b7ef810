import { deflateSync } from 'node:zlib';
import { PdfArray, PdfDict, PdfName, PdfNumber, type PdfRef } from '@libpdf/core';
import * as z from 'zod';
import { DomainError } from '../errors';
import type { AppearanceFonts } from './fonts';
import { embedImage } from './images';
import type { ObjectAllocator } from './new-objects';
import { EmbeddedFont, parseTrueType, type TrueTypeProgram } from './truetype';

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected image bytes (PNG or JPEG)');

/** Where a widget goes: a rectangle in PDF points (origin bottom-left), or anchored top-right of the page. */
export const PlacementSchema = z.union([
  z.object({
    page: z.number().int().min(0).default(0),
    x: z.number(),
    y: z.number(),
    width: z.number().positive(),
    height: z.number().positive(),
  }),
  z.object({
    page: z.number().int().min(0).default(0),
    anchor: z.literal('top-right'),
    width: z.number().positive(),
    height: z.number().positive(),
    margin: z.number().min(0).default(20),
  }),
]);
export type Placement = z.input<typeof PlacementSchema>;

export const TextLineSchema = z.object({
  text: z.string().min(1).max(200),
  style: z.enum(['regular', 'bold', 'italic']).default('regular'),
  size: z.number().min(4).max(36).default(10),
  align: z.enum(['left', 'center', 'right']).default('left'),
});

export const VisualSchema = z.discriminatedUnion('kind', [
  /** A person's signature: capacity and title in bold capitals, the blue signature image, then the name. */
  z.object({
    kind: z.literal('personal'),
    capacityLines: z.array(z.string().min(1).max(80)).min(1).max(3),
    name: z.string().min(1).max(80),
    signatureImage: bytes.optional(),
  }),
  /** The organisation's red seal: an image if given, otherwise drawn (rings, name around, star). */
  z.object({
    kind: z.literal('seal'),
    organisationName: z.string().min(1).max(120),
    sealImage: bytes.optional(),
  }),
  /** Plain lines of text (number and date, the top-right block of attachments and copies). */
  z.object({
    kind: z.literal('text'),
    lines: z.array(TextLineSchema).min(1).max(8),
    /** Painted white first: the number and date replace a template's "Số:  /…" or "ngày … tháng …" line. */
    opaque: z.boolean().default(false),
  }),
]);
export type Visual = z.input<typeof VisualSchema>;

export const WidgetSchema = z.object({ placement: PlacementSchema, visual: VisualSchema });
export type WidgetSpec = z.input<typeof WidgetSchema>;

export interface ResolvedRect {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The page's /Rotate: the appearance is drawn turned back by it, so it reads upright as shown. */
  readonly rotate?: number;
}

/**
 * The appearance's /Matrix on a page turned by `rotate` (as /MK /R, ISO 32000-1 §12.5.6.19): its box, drawn
 * upright as the page is shown, turned so that the viewer's turn brings it back.
 */
function turnMatrix(rotate: number, w: number, h: number): number[] | undefined {
  if (rotate === 90) return [0, 1, -1, 0, h, 0];
  if (rotate === 180) return [-1, 0, 0, -1, w, h];
  if (rotate === 270) return [0, -1, 1, 0, 0, w];
  return undefined;
}

const RED = '0.84 0.07 0.09';
const BLACK = '0 0 0';

function n(value: number): string {
  return Number(value.toFixed(3)).toString();
}

type FontStyle = 'regular' | 'bold' | 'italic';

/** Parsed font programs, once per process for the bundled fonts (and once per buffer for callers' own). */
const parsedPrograms = new WeakMap<Uint8Array, TrueTypeProgram>();

function programOf(bytes: Uint8Array): TrueTypeProgram {
  let program = parsedPrograms.get(bytes);
  if (!program) {
    program = parseTrueType(bytes);
    parsedPrograms.set(bytes, program);
  }
  return program;
}

/**
 * Draws appearances (Form XObjects) as new objects of one incremental update. Each font style is embedded
 * once per update, when first used, and written by `finish()` subset to the glyphs drawn.
 */
export class AppearanceWriter {
  private readonly fonts = new Map<FontStyle, { font: EmbeddedFont; ref: PdfRef }>();

  constructor(
    readonly objects: ObjectAllocator,
    private readonly programs: AppearanceFonts,
  ) {}

  font(style: FontStyle): { font: EmbeddedFont; ref: PdfRef } {
    let entry = this.fonts.get(style);
    if (!entry) {
      entry = { font: new EmbeddedFont(programOf(this.programs[style])), ref: this.objects.reserve() };
      this.fonts.set(style, entry);
    }
    return entry;
  }

  /** The widget's normal appearance for `visual` in a `rect`-sized box. */
  draw(rect: ResolvedRect, visual: Visual): PdfRef {
    return buildAppearance(this, rect, visual);
  }

  /** Writes the fonts used so far; call once, after the last `draw`. */
  finish(): void {
    for (const { font, ref } of this.fonts.values()) font.write(this.objects, ref);
  }
}

/** Builds one Form XObject content stream with its own resources. */
class Canvas {
  readonly ops: string[] = [];
  private readonly fonts = new PdfDict();
  private readonly xobjects = new PdfDict();
  private readonly states = new PdfDict();

  constructor(private readonly writer: AppearanceWriter) {}

  text(
    raw: string,
    x: number,
    y: number,
    size: number,
    style: FontStyle,
    color = BLACK,
    matrix?: [number, number, number, number],
  ): void {
    const { font, ref } = this.writer.font(style);
    const text = raw.normalize('NFC');
    if (!font.canEncode(text)) {
      throw new DomainError('pdf_appearance_text_unsupported', 422, {
        characters: font.unencodableCharacters(text).join(''),
      });
    }
    const name = `F${style[0]?.toUpperCase()}`;
    this.fonts.set(name, ref);
    const gids = font.encode(text);
    const hexGids = gids.map((g) => g.toString(16).padStart(4, '0')).join('');
    const [a, b, c, d] = matrix ?? [1, 0, 0, 1];
    this.ops.push(
      `BT ${color} rg /${name} ${n(size)} Tf ${n(a)} ${n(b)} ${n(c)} ${n(d)} ${n(x)} ${n(y)} Tm <${hexGids}> Tj ET`,
    );
  }

  width(text: string, size: number, style: FontStyle): number {
    return this.writer.font(style).font.widthOf(text.normalize('NFC'), size);
  }

  image(ref: PdfRef, x: number, y: number, width: number, height: number): void {
    const name = `Im${this.xobjects.size + 1}`;
    this.xobjects.set(name, ref);
    this.ops.push(`q ${n(width)} 0 0 ${n(height)} ${n(x)} ${n(y)} cm /${name} Do Q`);
  }

  /** Seal ink: multiplied over what is below, so the signature stays readable through it. */
  inkState(): string {
    const name = 'GSink';
    this.states.set(
      name,
      PdfDict.of({
        Type: PdfName.of('ExtGState'),
        BM: PdfName.of('Multiply'),
        ca: PdfNumber.of(0.9),
        CA: PdfNumber.of(0.9),
      }),
    );
    return name;
  }

  resources(): PdfDict {
    const res = new PdfDict();
    if (this.fonts.size) res.set('Font', this.fonts);
    if (this.xobjects.size) res.set('XObject', this.xobjects);
    if (this.states.size) res.set('ExtGState', this.states);
    return res;
  }
}

function circle(cx: number, cy: number, r: number): string {
  // Four Bézier arcs; 0.5523 is the usual control-point factor for a quarter circle.
  const k = 0.5523 * r;
  return [
    `${n(cx + r)} ${n(cy)} m`,
    `${n(cx + r)} ${n(cy + k)} ${n(cx + k)} ${n(cy + r)} ${n(cx)} ${n(cy + r)} c`,
    `${n(cx - k)} ${n(cy + r)} ${n(cx - r)} ${n(cy + k)} ${n(cx - r)} ${n(cy)} c`,
    `${n(cx - r)} ${n(cy - k)} ${n(cx - k)} ${n(cy - r)} ${n(cx)} ${n(cy - r)} c`,
    `${n(cx + k)} ${n(cy - r)} ${n(cx + r)} ${n(cy - k)} ${n(cx + r)} ${n(cy)} c h`,
  ].join(' ');
}

function star(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${n(cx + r * Math.cos(angle))} ${n(cy + r * Math.sin(angle))} ${i === 0 ? 'm' : 'l'}`);
  }
  return `${points.join(' ')} h f`;
}

function drawSeal(canvas: Canvas, w: number, h: number, organisationName: string): void {
  const d = Math.min(w, h);
  const cx = w / 2;
  const cy = h / 2;
  const outer = d / 2 - 1.5;
  const gs = canvas.inkState();
  canvas.ops.push(`q /${gs} gs ${RED} RG ${RED} rg`);
  canvas.ops.push(`2.4 w ${circle(cx, cy, outer)} S`);
  canvas.ops.push(`0.6 w ${circle(cx, cy, outer - 4)} S`);
  const innerRing = outer * 0.62;
  canvas.ops.push(`1 w ${circle(cx, cy, innerRing)} S`);
  canvas.ops.push(star(cx, cy, innerRing * 0.55));

  // The name runs clockwise over the top, centred, in the band between the rings.
  const text = organisationName.normalize('NFC').toLocaleUpperCase('vi');
  const band = outer - 4 - innerRing;
  let size = Math.min(band * 0.62, 11);
  const radius = () => innerRing + (band - size * 0.72) / 2;
  const spacing = () => size * 0.12;
  const arc = () => (canvas.width(text, size, 'bold') + spacing() * (text.length - 1)) / radius();
  while (arc() > Math.PI * 1.75 && size > 4) size -= 0.25;
  const r = radius();
  let theta = Math.PI / 2 + arc() / 2;
  for (const ch of text) {
    const cw = canvas.width(ch, size, 'bold');
    const mid = theta - cw / 2 / r;
    const phi = mid - Math.PI / 2;
    const ox = cx + r * Math.cos(mid) - (cw / 2) * Math.cos(phi);
    const oy = cy + r * Math.sin(mid) - (cw / 2) * Math.sin(phi);
    if (ch.trim())
      canvas.text(ch, ox, oy, size, 'bold', RED, [
        Math.cos(phi),
        Math.sin(phi),
        -Math.sin(phi),
        Math.cos(phi),
      ]);
    theta -= (cw + spacing()) / r;
  }
  canvas.ops.push('Q');
}

function fitInside(
  imgW: number,
  imgH: number,
  boxW: number,
  boxH: number,
): { width: number; height: number } {
  const scale = Math.min(boxW / imgW, boxH / imgH);
  return { width: imgW * scale, height: imgH * scale };
}

function drawTextLines(canvas: Canvas, w: number, h: number, lines: z.output<typeof TextLineSchema>[]): void {
  let y = h;
  for (const line of lines) {
    y -= line.size * 1.15;
    const width = canvas.width(line.text, line.size, line.style);
    const x = line.align === 'center' ? (w - width) / 2 : line.align === 'right' ? w - width : 0;
    canvas.text(line.text, x, y + line.size * 0.22, line.size, line.style);
    y -= line.size * 0.15;
  }
}

/** Resolves a placement against the page box. */
export function resolvePlacement(placement: Placement, pageWidth: number, pageHeight: number): ResolvedRect {
  const p = PlacementSchema.parse(placement);
  if ('anchor' in p) {
    return {
      page: p.page,
      x: pageWidth - p.margin - p.width,
      y: pageHeight - p.margin - p.height,
      width: p.width,
      height: p.height,
    };
  }
  return p;
}

/** Creates the widget's normal appearance (a Form XObject) and returns its reference. */
function buildAppearance(writer: AppearanceWriter, rect: ResolvedRect, visualInput: Visual): PdfRef {
  const visual = VisualSchema.parse(visualInput);
  const canvas = new Canvas(writer);
  const turn = rect.rotate ?? 0;
  // On a page shown turned a quarter, the box as shown is the rectangle on the page turned.
  const [w, h] = turn === 90 || turn === 270 ? [rect.height, rect.width] : [rect.width, rect.height];
  const matrix = turnMatrix(turn, w, h);
  if (visual.kind === 'personal') {
    const size = 13;
    const lines = visual.capacityLines.map((l) => l.normalize('NFC').toLocaleUpperCase('vi'));
    let y = h - size;
    for (const line of lines) {
      canvas.text(line, (w - canvas.width(line, size, 'bold')) / 2, y, size, 'bold');
      y -= size * 1.2;
    }
    const nameY = 4;
    canvas.text(visual.name, (w - canvas.width(visual.name, size, 'bold')) / 2, nameY, size, 'bold');
    if (visual.signatureImage) {
      const image = embedImage(writer.objects, visual.signatureImage);
      const boxTop = y + size * 0.6;
      const boxBottom = nameY + size * 1.3;
      const box = fitInside(image.width, image.height, w - 20, Math.max(boxTop - boxBottom, 1));
      canvas.image(
        image.ref,
        (w - box.width) / 2,
        boxBottom + (boxTop - boxBottom - box.height) / 2,
        box.width,
        box.height,
      );
    }
  } else if (visual.kind === 'seal') {
    if (visual.sealImage) {
      const image = embedImage(writer.objects, visual.sealImage);
      const box = fitInside(image.width, image.height, w, h);
      const gs = canvas.inkState();
      canvas.ops.push(`q /${gs} gs`);
      canvas.image(image.ref, (w - box.width) / 2, (h - box.height) / 2, box.width, box.height);
      canvas.ops.push('Q');
    } else {
      drawSeal(canvas, w, h, visual.organisationName);
    }
  } else {
    if (visual.opaque) canvas.ops.push(`q 1 g 0 0 ${n(w)} ${n(h)} re f Q`);
    drawTextLines(canvas, w, h, visual.lines);
  }
  return writer.objects.add(
    PdfDict.of({
      Type: PdfName.of('XObject'),
      Subtype: PdfName.of('Form'),
      BBox: new PdfArray([PdfNumber.of(0), PdfNumber.of(0), PdfNumber.of(w), PdfNumber.of(h)]),
      ...(matrix ? { Matrix: new PdfArray(matrix.map((v) => PdfNumber.of(v))) } : {}),
      Resources: canvas.resources(),
      Filter: PdfName.of('FlateDecode'),
    }),
    deflateSync(Buffer.from(canvas.ops.join('\n'), 'utf8')),
  );
}

/**
 * Where the organisation's seal goes: over about the left third of the person's signature (D30, PL I),
 * at real size (a 36 mm seal is about 102 pt across).
 */
export function sealPlacementOver(
  personal: { page?: number; x: number; y: number; width: number; height: number },
  diameter = 102,
): { page: number; x: number; y: number; width: number; height: number } {
  const cx = personal.x + personal.width / 3 - diameter * 0.2;
  const cy = personal.y + personal.height / 2;
  return {
    page: personal.page ?? 0,
    x: cx - diameter / 2,
    y: cy - diameter / 2,
    width: diameter,
    height: diameter,
  };
}

/** ISO 8601 in Vietnam time (UTC+7, no daylight saving): 2026-01-05T09:30:00+07:00. */
export function isoVietnam(date: Date): string {
  return `${new Date(date.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

/**
 * The organisation's signature on an attachment in a separate file (D30 PL I): top right of page 1, number
 * and symbol, then the signing time in ISO 8601 Vietnam time, Times 10 pt.
 */
export function attachmentStamp(args: {
  numberSymbol: string;
  signingTime: Date;
  page?: number;
}): WidgetSpec {
  return {
    placement: { page: args.page ?? 0, anchor: 'top-right', width: 180, height: 28, margin: 14 },
    visual: {
      kind: 'text',
      lines: [
        { text: args.numberSymbol, size: 10 },
        { text: isoVietnam(args.signingTime), size: 10 },
      ],
    },
  };
}

/** The organisation's signature on an electronic copy (sao y): copy form, copying body, ISO 8601 time. */
export function copyStamp(args: {
  copyForm: string;
  copyingBody: string;
  signingTime: Date;
  page?: number;
}): WidgetSpec {
  return {
    placement: { page: args.page ?? 0, anchor: 'top-right', width: 220, height: 40, margin: 14 },
    visual: {
      kind: 'text',
      lines: [
        { text: args.copyForm, size: 10, style: 'bold' },
        { text: args.copyingBody, size: 10 },
        { text: isoVietnam(args.signingTime), size: 10 },
      ],
    },
  };
}
