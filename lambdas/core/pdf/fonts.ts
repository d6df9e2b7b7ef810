import { readFile } from 'node:fs/promises';

/** TrueType programs used to draw signature appearances (Times-metric Tinos, Vietnamese coverage). */
export interface AppearanceFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
  readonly italic: Uint8Array;
}

const FONT_DIR = new URL('../../../assets/fonts/', import.meta.url);
let cached: Promise<AppearanceFonts> | undefined;

/**
 * Loads the bundled Tinos fonts once per process. A Lambda bundle must copy `assets/fonts` so this relative
 * location still resolves; callers may also pass their own fonts to the signing functions.
 */
export function defaultAppearanceFonts(): Promise<AppearanceFonts> {
  cached ??= (async () => {
    const [regular, bold, italic] = await Promise.all(
      ['Tinos_400Regular.ttf', 'Tinos_700Bold.ttf', 'Tinos_400Regular_Italic.ttf'].map(
        async (name) => new Uint8Array(await readFile(new URL(name, FONT_DIR))),
      ),
    );
    return { regular: regular as Uint8Array, bold: bold as Uint8Array, italic: italic as Uint8Array };
  })();
  return cached;
}
