import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** TrueType programs used to draw signature appearances (Times-metric Tinos, Vietnamese coverage). */
export interface AppearanceFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
  readonly italic: Uint8Array;
}

/**
 * Where `assets/fonts` is: beside a Lambda bundle (`index.mjs`, with the directory copied next to it by
 * DocflowFunction's `assets`), or three levels up from this module in the source tree.
 */
function fontDir(): URL {
  const candidates = [
    new URL('./assets/fonts/', import.meta.url),
    new URL('../../../assets/fonts/', import.meta.url),
  ];
  const found = candidates.find((dir) => existsSync(new URL('Tinos_400Regular.ttf', dir)));
  if (!found)
    throw new Error(
      `the appearance fonts are missing (looked in ${candidates.map((c) => c.pathname).join(', ')})`,
    );
  return found;
}

let cached: Promise<AppearanceFonts> | undefined;

/**
 * Loads the Tinos fonts once per process; callers may also pass their own fonts to the signing functions.
 */
export function defaultAppearanceFonts(): Promise<AppearanceFonts> {
  cached ??= (async () => {
    const dir = fontDir();
    const [regular, bold, italic] = await Promise.all(
      ['Tinos_400Regular.ttf', 'Tinos_700Bold.ttf', 'Tinos_400Regular_Italic.ttf'].map(
        async (name) => new Uint8Array(await readFile(new URL(name, dir))),
      ),
    );
    return { regular: regular as Uint8Array, bold: bold as Uint8Array, italic: italic as Uint8Array };
  })();
  return cached;
}
