/*
 * The one mechanism for text shown to people, on the server and in the web (which imports this module): a
 * catalogue maps codes to a text in Vietnamese and in English, `{name}` marking a parameter; `render` fills
 * in the parameters in one language. A parameter that is itself text for people is never a finished string
 * in one language (nor a "vi / en" pair): it is a reference to another message (`text(code, params)`), a
 * list of them, or a `{vi, en}` pair computed elsewhere, and it is rendered in the same language as the
 * message around it. Plain strings and numbers are values: names, ids, numbers, times, machine details.
 * Pure, no dependencies: it runs in Lambdas, in the CLI and in the browser.
 */

export type Language = 'vi' | 'en';
export const LANGUAGES: readonly Language[] = ['vi', 'en'];

/** One message in both languages; `{name}` marks a parameter, the same ones in both. */
export interface Translation {
  readonly vi: string;
  readonly en: string;
}

/** A text for people already finished in both languages (e.g. a report's summary). */
export type Localized = Translation;

/** Another message of the same catalogue, rendered in the language of the message it is a parameter of. */
export interface MessageRef<C extends string = string> {
  readonly code: C;
  readonly params?: MessageParams<C>;
}

/** Items rendered one by one and joined two at a time by the `join` message (`{a}` and `{b}`). */
export interface MessageList<C extends string = string> {
  readonly join: C;
  readonly items: readonly MessageParam<C>[];
}

export type MessageParam<C extends string = string> =
  | string
  | number
  | MessageRef<C>
  | MessageList<C>
  | Localized;

export type MessageParams<C extends string = string> = Readonly<Record<string, MessageParam<C>>>;

export const text = <C extends string>(code: C, params?: MessageParams<C>): MessageRef<C> =>
  params ? { code, params } : { code };

export const list = <C extends string>(join: C, items: readonly MessageParam<C>[]): MessageList<C> => ({
  join,
  items,
});

export interface Messages<C extends string> {
  readonly catalogue: Readonly<Record<C, Translation>>;
  readonly codes: readonly C[];
  has(code: string): code is C;
  /** The message in one language with its parameters filled in; an unknown parameter stays `{name}`. */
  render(code: C, language: Language, params?: MessageParams<C>): string;
  /** A parameter value as text in one language. */
  renderParam(param: MessageParam<C>, language: Language): string;
  /** The message in both languages (for records that keep both, such as audit reports). */
  both(code: C, params?: MessageParams<C>): Localized;
}

const PARAM = /\{(\w+)\}/g;

/** The `{name}`s of a template, in order. */
export function paramNames(template: string): string[] {
  return [...template.matchAll(PARAM)].map((m) => m[1] as string);
}

/** Builds a catalogue: the object itself, typed, with the one render function bound to it. */
export function defineMessages<const M extends Readonly<Record<string, Translation>>>(
  catalogue: M,
): Messages<Extract<keyof M, string>> {
  type C = Extract<keyof M, string>;
  const entries = catalogue as Readonly<Record<C, Translation>>;
  const has = (code: string): code is C => Object.hasOwn(entries, code);

  function renderParam(param: MessageParam<C>, language: Language): string {
    if (typeof param === 'string' || typeof param === 'number') return String(param);
    if ('code' in param) return render(param.code, language, param.params);
    if ('items' in param) {
      const [first, ...rest] = param.items.map((item) => renderParam(item, language));
      return rest.reduce((a, b) => render(param.join, language, { a, b }), first ?? '');
    }
    return param[language];
  }

  function render(code: C, language: Language, params: MessageParams<C> = {}): string {
    const template = entries[code]?.[language];
    // A code from elsewhere (an old client, another service) is shown as it is rather than failing.
    if (template === undefined) return code;
    return template.replace(PARAM, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : renderParam(value, language);
    });
  }

  return {
    catalogue: entries,
    codes: Object.keys(entries) as C[],
    has,
    render,
    renderParam,
    both: (code, params) => ({ vi: render(code, 'vi', params), en: render(code, 'en', params) }),
  };
}

/**
 * Reads texts some part of the system keeps in a stable English machine form (the verifier's problems,
 * which evidence packages and the CLI's JSON carry as they are) back into a reference to the message
 * whose English template produced them, so that they can be shown in either language. Parameters whose
 * name starts with `problem` are read again, for problems that wrap another one.
 */
export function machineForms<C extends string>(
  messages: Messages<C>,
  codes: readonly C[],
): (machineText: string) => MessageRef<C> | undefined {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = codes.map((code) => {
    const template = messages.catalogue[code].en;
    const names = paramNames(template);
    const source = template
      .split(PARAM)
      .map((piece, i) => (i % 2 === 1 ? '(.+?)' : literal(piece)))
      .join('');
    return { code, names, pattern: new RegExp(`^${source}$`, 's') };
  });
  const read = (machineText: string): MessageRef<C> | undefined => {
    for (const { code, names, pattern } of patterns) {
      const match = pattern.exec(machineText);
      if (!match) continue;
      const params: Record<string, MessageParam<C>> = {};
      names.forEach((name, i) => {
        const value = match[i + 1] ?? '';
        params[name] = name.startsWith('problem') ? (read(value) ?? value) : value;
      });
      return names.length > 0 ? { code, params } : { code };
    }
    return undefined;
  };
  return read;
}

/** Picks the language from an Accept-Language header: English only when asked for before Vietnamese. */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'vi';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((r) => r.tag.startsWith('vi') || r.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'vi';
}
