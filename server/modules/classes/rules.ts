import { type SQL, sql } from 'drizzle-orm';
import { businessDate } from '../../clock.ts';
import { classes } from '../../db/schema/index.ts';

/**
 * A class is open for enrolment until it graduates: on its graduation day it still takes a late
 * enrolment, from the next day on it takes none. No graduation date yet means open. Days are the
 * school's (its time zone), written YYYY-MM-DD, so comparing the text compares the dates.
 */
export function isOpenForEnrolment(graduateDate: string | null, today: string): boolean {
  return graduateDate === null || graduateDate >= today;
}

/** The same rule in SQL, on `classes` (test/payments.test.ts checks that the two agree). */
export function openForEnrolmentSql(today: string): SQL {
  return sql`(${classes.graduateDate} is null or ${classes.graduateDate} >= ${today}::date)`;
}

/** Today in the school's time zone, as the rules above take it. */
export const schoolToday = (at: Date, timezone: string): string => businessDate(at, timezone);
