import { describe, expect, it } from 'vitest';
import { readLayout } from '../../lambdas/core/pdf/layout';
import { jointSignatureSpot } from '../../lambdas/core/placement/joint';
import {
  type LaidOutPage,
  type LayoutSource,
  proposePlacement,
  type Rect,
  sealOver,
} from '../../lambdas/core/placement/placement';
import { draftDecision } from '../fixtures/documents';

/*
 * The co-issuers' signature blocks on a joint document (core/placement/joint.ts): beside the lead's on its
 * page, the first on the same row to its left (D30: co-issuers on the left), each with its seal, covering
 * no text, no image, no other block or seal and not the number or date; none when the page is full.
 */

const apart = (a: Omit<Rect, 'page'>, b: Omit<Rect, 'page'>) =>
  a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

describe('joint signature blocks', () => {
  it('sit beside the lead block on a real draft, covering nothing', async () => {
    const layout = await readLayout(await draftDecision(1));
    const { placement } = proposePlacement(layout);
    const first = jointSignatureSpot(layout, placement, 1);
    const second = jointSignatureSpot(layout, placement, 2);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    if (!first || !second) return;
    // The first co-issuer: to the left of the lead, on its row or as near below it as the text allows.
    expect(first.page).toBe(placement.signature.page);
    expect(first.x + first.width).toBeLessThanOrEqual(placement.signature.x);
    expect(first.y).toBeLessThanOrEqual(placement.signature.y);
    expect(first.y).toBeGreaterThan(placement.signature.y - first.height / 2);
    const page = layout.page(placement.signature.page) as LaidOutPage;
    const blocks = [placement.signature, placement.seal, placement.number, placement.date];
    for (const [spot, others] of [
      [first, blocks],
      [second, [...blocks, first, sealOver(first)]],
    ] as const) {
      for (const r of [spot, sealOver(spot)]) {
        for (const box of page.boxes) expect(apart(r, box), JSON.stringify({ r, box })).toBe(true);
        for (const other of others) expect(apart(r, other), JSON.stringify({ r, other })).toBe(true);
      }
    }
    // The same inputs give the same spot: the seal finds the block its leader signed.
    expect(jointSignatureSpot(layout, placement, 2)).toEqual(second);
  });

  it('find no room on a page covered with text', () => {
    const area = { x: 0, y: 0, width: 595.28, height: 841.89 };
    const full: LayoutSource = {
      count: 1,
      page: () => ({ area, boxes: [{ kind: 'text', x: 10, y: 10, width: 575, height: 820 }] }),
    };
    const rect = (x: number, y: number, width: number, height: number) => ({ page: 0, x, y, width, height });
    const placement = {
      signature: rect(340, 100, 230, 140),
      seal: rect(345, 119, 102, 102),
      number: rect(40, 800, 230, 16),
      date: rect(300, 800, 260, 16),
    };
    expect(jointSignatureSpot(full, placement, 1)).toBeUndefined();
  });
});
