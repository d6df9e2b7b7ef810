/*
 * Dates in Vietnam time (UTC+7, no daylight saving), deadlines, search. Pure functions, unit-tested.
 */

import { fold } from '../../lambdas/core/text/search';

const VIETNAM = 'Asia/Ho_Chi_Minh';

/** Today's calendar date in Vietnam, `YYYY-MM-DD`. */
export function vietnamToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: VIETNAM }).format(now);
}

/** A calendar date `n` days after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type DeadlineStatus =
  | { readonly kind: 'overdue'; readonly days: number }
  | { readonly kind: 'today' }
  | { readonly kind: 'soon'; readonly days: number }
  | { readonly kind: 'later'; readonly days: number };

/** Where a deadline stands today: overdue, due today, within three days, or later. */
export function deadlineStatus(deadline: string, today: string = vietnamToday()): DeadlineStatus {
  const days = daysBetween(today, deadline.slice(0, 10));
  if (days < 0) return { kind: 'overdue', days: -days };
  if (days === 0) return { kind: 'today' };
  if (days <= 3) return { kind: 'soon', days };
  return { kind: 'later', days };
}

/** `05/01/2026` (vi) or `05/01/2026` (en-GB), from a calendar date. */
export function formatDate(date: string | undefined, locale: string): string {
  if (!date) return '—';
  const d = new Date(date.length === 10 ? `${date}T00:00:00+07:00` : date);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(locale, {
    timeZone: VIETNAM,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(d);
}

/** `08:09 27/11/2026`, Vietnam time. */
export function formatDateTime(instant: string | undefined, locale: string): string {
  if (!instant) return '—';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: VIETNAM,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${time} ${formatDate(instant, locale)}`;
}

export { fold, matches } from '../../lambdas/core/text/search';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * A report's text with each ISO instant in it (the verifier writes them in UTC) shown as Hà Nội time, as
 * every other time on the screens is.
 */
export function hanoiTimes(text: string, locale: string): string {
  return text.replace(INSTANT, (instant) => formatDateTime(instant, locale));
}

/**
 * Whether a name answers the query word for word (issue 18: "ba dinh" finds Ba Đình, not every "Ủy ban"):
 * each word typed must be a whole word of the name, with or without accents; the last one may be the start
 * of a word while it is being typed, once it has three letters.
 */
export function matchesName(query: string, name: string): boolean {
  const words = fold(query)
    .split(/[\s,.;()-]+/)
    .filter(Boolean);
  if (words.length === 0) return true;
  const nameWords = fold(name)
    .split(/[\s,.;()-]+/)
    .filter(Boolean);
  const typing = !/\s$/.test(query);
  return words.every((word, i) => {
    const last = i === words.length - 1;
    return nameWords.some((w) => w === word || (last && typing && word.length >= 3 && w.startsWith(word)));
  });
}
