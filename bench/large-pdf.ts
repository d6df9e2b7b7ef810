import { open } from 'node:fs/promises';

/** Where "large" starts for the tests of large files: a scan of a long document. */
export const LARGE_PDF_BYTES = 8 * 1024 * 1024;

/**
 * Writes a deterministic PDF of about `targetBytes`: A4 pages, each showing one 8-bit grey image whose
 * samples come from a fixed-seed xorshift generator (incompressible, like a scanned page), classic xref
 * table. The same arguments always give the same bytes. Streams to disk: the generator itself stays small.
 * `exact`: exactly `targetBytes` (at least 64 KiB), the rest filled with comment lines before the xref
 * table (a file at a size limit).
 */
export async function writeLargePdf(
  path: string,
  targetBytes: number,
  options: { exact?: boolean } = {},
): Promise<void> {
  const perPage = 4 * 1024 * 1024;
  const pages = Math.max(1, Math.round(targetBytes / perPage));
  // Exact: a smaller image, so that the objects and the xref table always leave something to fill.
  const margin = options.exact ? 600 + 2048 + Math.ceil(1024 / pages) : 600;
  const imageBytes = Math.max(1024, Math.floor(targetBytes / pages) - margin);
  const width = 1024;
  const height = Math.floor(imageBytes / width);
  const handle = await open(path, 'w');
  let offset = 0;
  const offsets: number[] = [];
  const write = async (data: string | Uint8Array) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    await handle.write(bytes);
    offset += bytes.length;
  };
  const object = async (n: number, body: string) => {
    offsets[n] = offset;
    await write(`${n} 0 obj\n${body}\nendobj\n`);
  };
  try {
    await write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    // 1: catalog, 2: pages, then per page i: page 3+3i, content 4+3i, image 5+3i.
    await object(1, '<< /Type /Catalog /Pages 2 0 R >>');
    const kids = Array.from({ length: pages }, (_, i) => `${3 + 3 * i} 0 R`).join(' ');
    await object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
    let state = 0x2545f491;
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < pages; i++) {
      const page = 3 + 3 * i;
      await object(
        page,
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents ${page + 1} 0 R ` +
          `/Resources << /XObject << /Im0 ${page + 2} 0 R >> >> >>`,
      );
      const content = `q 495 0 0 ${Math.round((495 * height) / width)} 50 80 cm /Im0 Do Q`;
      await object(page + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
      offsets[page + 2] = offset;
      const length = width * height;
      await write(
        `${page + 2} 0 obj\n<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} ` +
          `/ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${length} >>\nstream\n`,
      );
      for (let done = 0; done < length; ) {
        const n = Math.min(chunk.length, length - done);
        for (let j = 0; j < n; j += 4) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          chunk.writeInt32LE(state | 0, j);
        }
        await write(chunk.subarray(0, n));
        done += n;
      }
      await write('\nendstream\nendobj\n');
    }
    const size = 3 + 3 * pages;
    const entries = [`0000000000 65535 f \n`];
    for (let n = 1; n < size; n++) entries.push(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
    const table = `xref\n0 ${size}\n${entries.join('')}`;
    const trailer = (xref: number) => `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    if (options.exact) {
      // The xref offset's digits depend on the filler: settle them first (one more digit at most).
      let fill = targetBytes - offset - table.length - trailer(offset).length;
      fill = targetBytes - offset - table.length - trailer(offset + fill).length;
      if (fill < 0) throw new Error(`writeLargePdf: ${targetBytes} bytes is too small for exact`);
      const line = `%${'x'.repeat(70)}\n`;
      const lines = line.repeat(Math.floor(fill / line.length));
      const rest = fill % line.length;
      await write(lines + (rest === 0 ? '' : rest === 1 ? '\n' : `%${'x'.repeat(rest - 2)}\n`));
    }
    const xref = offset;
    await write(table);
    await write(trailer(xref));
  } finally {
    await handle.close();
  }
}
