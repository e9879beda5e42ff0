/**
 * What counts as a date or an instant in input. JavaScript's Date.parse rolls 2026-04-31 over to
 * 1 May and accepts year 0 and 23:59:60, all of which PostgreSQL refuses with an error; anything
 * let through here must be a value the database takes, so a bad one is a 400 and never a 500.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A bare date, or a date and time; seconds, fractions and a zone are optional (ISO 8601 / RFC 3339).
const INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YYYY-MM-DD naming a day that exists, in years 1–9999. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A calendar date, optionally with a real time of day and a zone offset within ±15:59. */
export function isInstant(text: string, options: { rfc3339?: boolean } = {}): boolean {
  const match = INSTANT.exec(text);
  if (!match || !isCalendarDate(match[1]!)) return false;
  const [, , hour, minute, second, offsetHours, offsetMinutes] = match;
  // RFC 3339 (JSON bodies' date-time) needs the time, its seconds and a zone.
  if (options.rfc3339 && (second === undefined || !/([Zz]|[+-]\d{2}:\d{2})$/.test(text))) return false;
  if (hour === undefined) return true;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return false;
  if (offsetHours !== undefined && (Number(offsetHours) > 15 || Number(offsetMinutes ?? 0) > 59))
    return false;
  return !Number.isNaN(Date.parse(text.replace(' ', 'T')));
}
