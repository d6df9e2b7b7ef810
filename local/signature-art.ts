import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';

/*
 * Demo signature images: a blue, transparent PNG of handwriting-like strokes, the same for the same name on
 * every run (the strokes come from a generator seeded with the name's hash). Looped cursive (a prolate
 * cycloid whose loops vary in height), a larger first loop for the initial, and an underline flourish,
 * drawn with a round pen whose width varies like pressure.
 */

/** Ballpoint blue: what D30 PL I asks of a signature image. */
const INK = [22, 54, 180] as const;

export interface SignatureArtOptions {
  readonly width?: number;
  readonly height?: number;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Point = readonly [x: number, y: number];

/** The pen's path in unit coordinates (x 0–1 across, y 0–1 down), densely sampled. */
function strokes(next: () => number, letters: number): Point[][] {
  const cursive: Point[] = [];
  const loops = letters + 2;
  // Each loop has its own advance, swing and height. A sideways swing larger than the advance per radian
  // makes a loop at the top of the arch (the pen moves left there): tall ones read as l, h, k, short as e.
  const shapes = Array.from({ length: loops }, (_, i) => {
    const advance = (0.8 / loops) * (0.7 + next() * 0.6);
    return {
      advance,
      swing: advance * (0.22 + next() * 0.2),
      height: i === 0 ? 0.27 : next() < 0.3 ? 0.18 + next() * 0.08 : 0.05 + next() * 0.09,
    };
  });
  const slant = 0.04 + next() * 0.12;
  let start = 0.06 + (shapes[0]?.swing ?? 0);
  for (const { advance, swing, height } of shapes) {
    for (let t = 0; t < 2 * Math.PI; t += 0.01) {
      const x = start + (t / (2 * Math.PI)) * advance + swing * Math.sin(t);
      cursive.push([x, 0.64 - height * (1 - Math.cos(t)) - slant * x]);
    }
    start += advance;
  }
  // The tail lifts off to the right.
  for (let s = 0; s <= 1; s += 0.01) cursive.push([start + 0.06 * s, 0.64 - slant * start - 0.12 * s * s]);
  const flourish: Point[] = [];
  const rise = 0.03 + next() * 0.1;
  const wave = 0.015 + next() * 0.035;
  const waves = 1 + next() * 3;
  for (let s = 0; s <= 1; s += 0.002) {
    flourish.push([0.08 + 0.86 * s, 0.82 - rise * s + wave * Math.sin(s * Math.PI * waves)]);
  }
  return [cursive, flourish];
}

/** A blue, transparent-background PNG of a signature for `name` (deterministic). */
export function signaturePng(name: string, options: SignatureArtOptions = {}): Uint8Array {
  const { width = 480, height = 160 } = options;
  const digest = createHash('sha256').update(name.normalize('NFC')).digest();
  const next = random(digest.readUInt32BE(0));
  const letters = 4 + ((digest[4] ?? 0) % 4);
  const png = new PNG({ width, height });
  png.data.fill(0);
  const alpha = new Float32Array(width * height);
  const scale = Math.min(width, height * 3);
  for (const path of strokes(next, letters)) {
    path.forEach(([ux, uy], i) => {
      const cx = ux * width;
      const cy = uy * height;
      // Pressure: thicker mid-stroke, thinner at the ends.
      const radius = (scale / 260) * (0.8 + 0.7 * Math.sin((Math.PI * i) / path.length));
      for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
        for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          const cover = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(x - cx, y - cy)));
          const p = y * width + x;
          if (cover > (alpha[p] ?? 0)) alpha[p] = cover;
        }
      }
    });
  }
  for (let p = 0; p < width * height; p++) {
    const a = Math.round((alpha[p] ?? 0) * 255);
    if (a === 0) continue;
    png.data.set([...INK, a], p * 4);
  }
  return new Uint8Array(PNG.sync.write(png));
}
