import { type PdfObject, PdfRef } from '@libpdf/core';

/** An object an incremental update writes: a dictionary, array or value, or a stream (dictionary + data). */
export interface NewObject {
  readonly ref: PdfRef;
  readonly value: PdfObject;
  /** Raw (encoded) data when the object is a stream; `value` is then its dictionary, without /Length. */
  readonly data?: Uint8Array;
}

/**
 * Numbers and collects the new objects of an update (appearances, fonts, images), from `first` on. An
 * object may be reserved before it is known (a font is referenced by the appearance and written once all
 * its glyphs are known) and must then be put before `objects()` is read.
 */
export class ObjectAllocator {
  private nextNumber: number;
  private readonly reserved = new Set<number>();
  private readonly written = new Map<number, NewObject>();

  constructor(first: number) {
    this.nextNumber = first;
  }

  /** The first object number not yet used. */
  get next(): number {
    return this.nextNumber;
  }

  reserve(): PdfRef {
    const ref = PdfRef.of(this.nextNumber++, 0);
    this.reserved.add(ref.objectNumber);
    return ref;
  }

  put(ref: PdfRef, value: PdfObject, data?: Uint8Array): void {
    if (!this.reserved.delete(ref.objectNumber))
      throw new Error(`object ${ref.objectNumber} was not reserved`);
    this.written.set(ref.objectNumber, { ref, value, ...(data ? { data } : {}) });
  }

  add(value: PdfObject, data?: Uint8Array): PdfRef {
    const ref = this.reserve();
    this.put(ref, value, data);
    return ref;
  }

  /** Every object, in number order; fails if a reserved object was never written. */
  objects(): NewObject[] {
    if (this.reserved.size > 0)
      throw new Error(`objects reserved but not written: ${[...this.reserved].join(', ')}`);
    return [...this.written.values()].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber);
  }
}
