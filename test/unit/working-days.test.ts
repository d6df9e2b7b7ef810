import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HolidayYearSchema,
  hanoiDate,
  hanoiInstant,
  vietnamCalendar,
  WorkingCalendar,
} from '../../lambdas/core/calendar/working-days';

const cal = vietnamCalendar;

describe("Vietnam's working days", () => {
  it('counts weekends, Tết and the other public holidays as days off', () => {
    expect(cal.isWorkingDay('2026-01-05')).toBe(true); // a Monday
    expect(cal.isWorkingDay('2026-01-03')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-01-04')).toBe(false); // Sunday
    expect(cal.isWorkingDay('2026-01-01')).toBe(false);
    // Tết Bính Ngọ: 14 to 22 February 2026, every weekday between off.
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'])
      expect(cal.isWorkingDay(d), d).toBe(false);
    expect(cal.isWorkingDay('2026-02-13')).toBe(true);
    expect(cal.isWorkingDay('2026-02-23')).toBe(true);
    expect(cal.holiday('2026-02-17')?.vi).toBe('Tết Nguyên đán Bính Ngọ');
    expect(cal.isWorkingDay('2026-09-02')).toBe(false);
    // The swaps of 2026 (README.md beside the data names the sources): New Year 1–4 January with Friday 2
    // January off and Saturday 10 January worked; National Day 29 August–2 September with Monday 31 August
    // off and Saturday 22 August worked; Giỗ Tổ on Sunday 26 April, in lieu on Monday 27 April.
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-01-10')).toBe(true);
    for (const d of ['2026-08-31', '2026-09-01']) expect(cal.isWorkingDay(d), d).toBe(false);
    expect(cal.isWorkingDay('2026-08-22')).toBe(true);
    expect(cal.isWorkingDay('2026-04-27')).toBe(false);
    expect(cal.isWorkingDay('2026-09-03')).toBe(true);
    // 2025: Tết Ất Tỵ 25 January–2 February; National Day 30 August–2 September.
    for (const d of ['2025-01-27', '2025-01-31']) expect(cal.isWorkingDay(d), d).toBe(false);
    expect(cal.isWorkingDay('2025-02-03')).toBe(true);
    expect(cal.isWorkingDay('2025-09-01')).toBe(false);
  });

  it('works a Saturday swapped for a day off, and gives that day off', () => {
    expect(cal.isWorkingDay('2025-04-26')).toBe(true);
    expect(cal.isWorkingDay('2025-05-02')).toBe(false);
  });

  it('adds and counts working days across Tết', () => {
    // One working day before Monday 23 February 2026 is Friday 13 February: Tết lies between.
    expect(cal.addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-02-14', 0)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-01-05', 0)).toBe('2026-01-05');
    expect(cal.addWorkingDays('2026-01-02', 5)).toBe('2026-01-09');
    expect(cal.workingDaysBetween('2026-02-12', '2026-02-24')).toBe(3); // 13, 23, 24
    expect(cal.workingDaysBetween('2026-02-24', '2026-02-12')).toBe(0);
  });

  it('counts only the fixed holidays of a year it has no file for', () => {
    expect(cal.covers(2031)).toBe(false);
    expect(cal.isWorkingDay('2031-09-02')).toBe(false); // a Tuesday, National Day
    expect(cal.isWorkingDay('2031-09-03')).toBe(true);
  });

  it('reads Hà Nội dates and times', () => {
    expect(hanoiDate('2026-01-04T17:30:00Z')).toBe('2026-01-05');
    expect(hanoiDate('2026-01-04T16:59:00Z')).toBe('2026-01-04');
    expect(hanoiInstant('2026-01-05', 8)).toBe('2026-01-05T01:00:00.000Z');
  });

  it('refuses a calendar file that is malformed or gives a year twice', () => {
    const year = { year: 2030, source: 'x', holidays: [], workingWeekends: [] };
    expect(() => new WorkingCalendar([year, year])).toThrow(/twice/);
    expect(
      () =>
        new WorkingCalendar([
          { ...year, holidays: [{ from: '2030-02-05', to: '2030-02-01', name: { vi: 'a', en: 'a' } }] },
        ]),
    ).toThrow(/before it starts/);
    expect(() => new WorkingCalendar([{ ...year, year: 'x' }])).toThrow();
  });

  it('holds every file of the calendar to its schema, named by its year, and loads them all', () => {
    const dir = resolve(import.meta.dirname, '../../lambdas/core/calendar/vietnam');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const year = HolidayYearSchema.parse(JSON.parse(readFileSync(resolve(dir, file), 'utf8')));
      expect(file).toBe(`${year.year}.json`);
      expect(cal.covers(year.year), file).toBe(true);
      for (const h of year.holidays)
        for (const date of 'date' in h ? [h.date] : [h.from, h.to])
          expect(date.slice(0, 4)).toBe(String(year.year));
    }
  });
});
