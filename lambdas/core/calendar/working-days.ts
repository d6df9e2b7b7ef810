import * as z from 'zod';
import year2025 from './vietnam/2025.json';
import year2026 from './vietnam/2026.json';

/*
 * Working days in Vietnam: Monday to Friday, less the public holidays (Tết among them) and the days swapped
 * off, plus the Saturdays worked in their place. The holidays are data, one JSON file per year in
 * ./vietnam/ (the Ministry of Home Affairs announces each year's days and swaps): a new year or a changed
 * swap is a new or edited file, listed below, and nothing else. A year without a file counts the four
 * fixed solar-calendar holidays only (Tết moves with the lunar calendar and cannot be guessed).
 *
 * Dates are calendar dates `YYYY-MM-DD` as people in Hà Nội read them; arithmetic is done on UTC midnights,
 * where no day has other than 24 hours.
 */

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const NameSchema = z.object({ vi: z.string().min(1), en: z.string().min(1) });
const DayOff = z.union([
  z.object({ date: DateSchema, name: NameSchema }),
  z.object({ from: DateSchema, to: DateSchema, name: NameSchema }),
]);
export const HolidayYearSchema = z.object({
  year: z.int().min(2000).max(2200),
  source: z.string().min(1),
  holidays: z.array(DayOff),
  workingWeekends: z.array(z.object({ date: DateSchema, name: NameSchema })),
});
export type HolidayYear = z.infer<typeof HolidayYearSchema>;

const DAY_MS = 86_400_000;
const toDay = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / DAY_MS;
};
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The days off of a year without a file: those fixed by the solar calendar. */
const FIXED = ['01-01', '04-30', '05-01', '09-02'];

export class WorkingCalendar {
  private readonly off = new Map<string, { vi: string; en: string }>();
  private readonly worked = new Set<string>();
  private readonly years = new Set<number>();

  constructor(years: readonly unknown[]) {
    for (const raw of years) {
      const year = HolidayYearSchema.parse(raw);
      if (this.years.has(year.year)) throw new Error(`calendar year ${year.year} given twice`);
      this.years.add(year.year);
      for (const h of year.holidays) {
        const [from, to] = 'date' in h ? [h.date, h.date] : [h.from, h.to];
        if (toDay(to) < toDay(from)) throw new Error(`holiday ${from}..${to} ends before it starts`);
        for (let d = toDay(from); d <= toDay(to); d++) this.off.set(fromDay(d), h.name);
      }
      for (const w of year.workingWeekends) this.worked.add(w.date);
    }
  }

  /** Whether the calendar has the year's announced days (else only the fixed holidays count). */
  covers(year: number): boolean {
    return this.years.has(year);
  }

  /** The announced holiday a date falls on, if any (named as in its year's file). */
  holiday(date: string): { vi: string; en: string } | undefined {
    return this.off.get(date);
  }

  isWorkingDay(date: string): boolean {
    if (this.worked.has(date)) return true;
    const weekday = new Date(toDay(date) * DAY_MS).getUTCDay();
    if (weekday === 0 || weekday === 6 || this.off.has(date)) return false;
    return this.covers(Number(date.slice(0, 4))) || !FIXED.includes(date.slice(5));
  }

  /**
   * The working day `n` working days after `date` (before it when `n` is negative); `n = 0` gives `date`
   * itself if it is a working day, else the next one.
   */
  addWorkingDays(date: string, n: number): string {
    let day = toDay(date);
    if (n === 0) {
      while (!this.isWorkingDay(fromDay(day))) day++;
      return fromDay(day);
    }
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.isWorkingDay(fromDay(day))) left--;
    }
    return fromDay(day);
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let day = toDay(from) + 1; day <= toDay(to); day++) if (this.isWorkingDay(fromDay(day))) count++;
    return count;
  }
}

/** Hà Nội's calendar date of an instant (UTC+7, no daylight saving). */
export const hanoiDate = (instant: Date | string): string =>
  new Date(new Date(instant).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The instant of a Hà Nội wall-clock time on a calendar date: `hanoiInstant('2026-01-05', 8)` is 01:00Z. */
export const hanoiInstant = (date: string, hour: number): string =>
  new Date((toDay(date) * 24 + hour - 7) * 3_600_000).toISOString();

/** Vietnam's working calendar, from the files of ./vietnam/. */
export const vietnamCalendar = new WorkingCalendar([year2025, year2026]);
