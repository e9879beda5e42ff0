/**
 * The one clock. Business code asks `now()`, never `new Date()`, so tests and the HTTP test clock
 * (CRM_TEST_CLOCK=1) can move time for the whole process.
 */
let frozenAt: number | null = null;

export function now(): Date {
  return new Date(frozenAt ?? Date.now());
}

/** Freezes the clock at `at`; `null` returns to real time. */
export function setClock(at: Date | null): void {
  frozenAt = at === null ? null : at.getTime();
}

export function clockIsFrozen(): boolean {
  return frozenAt !== null;
}

const DAY_MS = 86_400_000;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** The calendar date (YYYY-MM-DD) of an instant in the school's time zone. */
export function businessDate(at: Date, timezone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Minutes east of UTC of `timezone` at the instant `at` (e.g. 480 for Asia/Shanghai). */
function offsetMinutes(at: Date, timezone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** The instant a calendar date (YYYY-MM-DD) begins in `timezone`, plus `minutes` into that day. */
export function zonedInstant(date: string, timezone: string, minutes = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  // The offset at the guess may differ from the offset at the answer across a DST change: retry once.
  let at = new Date(wall - offsetMinutes(new Date(wall), timezone) * 60_000);
  at = new Date(wall - offsetMinutes(at, timezone) * 60_000);
  return at;
}

/** When the school's business day holding `at` began. */
export function startOfBusinessDay(at: Date, timezone: string): Date {
  return zonedInstant(businessDate(at, timezone), timezone);
}

/** The first instant of the calendar month `YYYY-MM` in `timezone`, and of the month after it. */
export function businessMonth(month: string, timezone: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: zonedInstant(`${month}-01`, timezone), to: zonedInstant(`${next}-01`, timezone) };
}

/**
 * The latest time of day `minutes` after midnight (school time) at or before `at`: when a daily
 * job last fell due. Returns the slot and its business date.
 */
export function lastDailySlot(at: Date, timezone: string, minutes: number): { at: Date; date: string } {
  const today = businessDate(at, timezone);
  const slot = zonedInstant(today, timezone, minutes);
  if (slot.getTime() <= at.getTime()) return { at: slot, date: today };
  const yesterday = businessDate(addDays(zonedInstant(today, timezone), -0.5), timezone);
  return { at: zonedInstant(yesterday, timezone, minutes), date: yesterday };
}
