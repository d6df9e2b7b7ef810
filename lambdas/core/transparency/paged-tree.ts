import { fromHex, type Hash, leafHash, type TreeSource, treeRoot } from './merkle';

/*
 * The transparency log as it is stored: leaves in pages of 1,024 (one storage partition each), and the
 * hash of every complete page (an aligned subtree of 1,024 leaves) kept once computed. A root or a proof
 * then needs the page hashes plus the leaves of at most three pages, whatever the size of the tree.
 */

export const LEAVES_PER_PAGE = 1024;

export const pageOf = (leafIndex: number): number => Math.floor(leafIndex / LEAVES_PER_PAGE);

/** The pages completed by growing the tree from `from` leaves to `to`. */
export function pagesCompleted(from: number, to: number): number[] {
  const pages: number[] = [];
  for (let page = pageOf(from); (page + 1) * LEAVES_PER_PAGE <= to; page++) pages.push(page);
  return pages;
}

/** The leaf hashes of a page, from its events' hashes (hex) in leaf order. */
export const pageLeafHashes = (eventHashes: readonly string[]): Hash[] =>
  eventHashes.map((hash) => leafHash(fromHex(hash)));

/** The hash of a complete page. */
export function pageRoot(page: number, leaves: readonly Hash[]): Hash {
  if (leaves.length !== LEAVES_PER_PAGE) throw new Error(`page ${page} is not complete`);
  return treeRoot({ leafHash: (i) => leaves[i] as Hash }, LEAVES_PER_PAGE);
}

/** Thrown by a PagedTree asked for a leaf of a page it has not loaded: load it and ask again. */
export class NeedPage extends Error {
  constructor(readonly page: number) {
    super(`page ${page} not loaded`);
  }
}

/** A TreeSource over the pages read so far; asks for a missing page by throwing NeedPage. */
export class PagedTree implements TreeSource {
  readonly pages = new Map<number, Hash[]>();
  readonly pageHashes = new Map<number, Hash>();

  leafHash(index: number): Hash {
    const page = pageOf(index);
    const leaves = this.pages.get(page);
    if (!leaves) throw new NeedPage(page);
    const leaf = leaves[index % LEAVES_PER_PAGE];
    if (!leaf) throw new Error(`leaf ${index} is missing from the stored log`);
    return leaf;
  }

  completeSubtree(start: number, size: number): Hash | undefined {
    return size === LEAVES_PER_PAGE ? this.pageHashes.get(start / LEAVES_PER_PAGE) : undefined;
  }
}
