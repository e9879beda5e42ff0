import { afterEach, describe, expect, test } from 'vitest';
import { formatDate, formatDateTime, inSchool, setSchoolTimezone } from './time.ts';

afterEach(() => setSchoolTimezone('Asia/Shanghai'));

describe("dates in the school's time zone, whatever the machine's", () => {
  test('an instant reads as the school clock reads it', () => {
    // 17:00 UTC on 5 December is 01:00 on the 6th in Shanghai: the school's "today" already.
    expect(formatDateTime('2026-12-05T17:00:00Z')).toBe('2026-12-06 01:00');
    expect(formatDate('2026-12-05T17:00:00Z')).toBe('2026-12-06');
    setSchoolTimezone('America/New_York');
    expect(formatDateTime('2026-12-05T17:00:00Z')).toBe('2026-12-05 12:00');
  });

  test('a calendar day is never moved between zones', () => {
    setSchoolTimezone('America/Los_Angeles');
    expect(formatDate('2026-09-01')).toBe('2026-09-01');
    expect(formatDateTime('2026-09-01')).toBe('2026-09-01');
  });

  test('what is no date, or nothing, passes through', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('soon')).toBe('soon');
  });

  test('an unknown zone leaves the school zone as it was', () => {
    setSchoolTimezone('Mars/Olympus_Mons');
    expect(inSchool('2026-12-05T17:00:00Z').format('HH:mm')).toBe('01:00');
  });
});
