import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Every date and time on screen is the school's (CRM_TIMEZONE, which `me` names), whatever zone the
 * browser is in: a consultant travelling, or a server room's PC set to UTC, must read the same
 * "today" and the same deadline hour as the school. Dates without a time (a class's start date)
 * are calendar days and are never moved between zones.
 */
let schoolZone = 'Asia/Shanghai';

export function setSchoolTimezone(zone: string): void {
  if (!zone || zone === schoolZone) return;
  try {
    dayjs().tz(zone);
  } catch {
    return; // An unknown zone: keep the default rather than break every date.
  }
  schoolZone = zone;
}

export function schoolTimezone(): string {
  return schoolZone;
}

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An instant as a dayjs in the school's zone (what date pickers and formatters should hold). */
export function inSchool(value: string | number | Date | Dayjs): Dayjs {
  return dayjs(value).tz(schoolZone);
}

/** Now, in the school's zone. */
export function schoolNow(): Dayjs {
  return dayjs().tz(schoolZone);
}

/** `2026-12-06 09:30` in the school's zone; '' for nothing, the text itself when it is no date. */
export function formatDateTime(value: unknown, format = 'YYYY-MM-DD HH:mm'): string {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value);
  if (DAY_ONLY.test(text)) return text;
  const date = dayjs(text);
  return date.isValid() ? date.tz(schoolZone).format(format) : text;
}

/** `2026-12-06`: a calendar day as it is, an instant as the school's day it fell on. */
export function formatDate(value: unknown): string {
  return formatDateTime(value, 'YYYY-MM-DD');
}

/** The hour of the day at the school (0–23), for greetings. */
export function schoolHour(): number {
  return schoolNow().hour();
}

/** A day picked in a date picker, as the instant its school day starts (for `from` bounds). */
export function dayInSchool(day: string): Dayjs {
  return dayjs.tz(day, schoolZone);
}
