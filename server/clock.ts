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
