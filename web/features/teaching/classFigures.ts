import type { AttendanceCode, LessonStats } from './classApi.ts';

/**
 * The class page's figures, worked out from `GET /api/classes/:id/stats` without a database: what
 * the lessons table and the chart show, and the next lesson's day number.
 */

/** The statuses that count as present: they came, if late or leaving early (the server's rate agrees). */
export const presentCodes: readonly AttendanceCode[] = ['checked', 'late', 'leave_early'];

/** How many of a lesson's students came. */
export function attendedCount(lesson: Pick<LessonStats, 'counts'>): number {
  return presentCodes.reduce((sum, code) => sum + (lesson.counts[code] ?? 0), 0);
}

/** "18/20" for a lesson whose attendance is recorded, null for one not recorded yet. */
export function attendanceText(
  lesson: Pick<LessonStats, 'counts' | 'recorded' | 'studyRecords'>,
): string | null {
  return lesson.recorded && lesson.studyRecords > 0
    ? `${attendedCount(lesson)}/${lesson.studyRecords}`
    : null;
}

/** The day number a new lesson of the class most likely has: one after the highest so far. */
export function nextDayNum(lessons: Pick<LessonStats, 'dayNum'>[]): number {
  return lessons.reduce((max, lesson) => Math.max(max, lesson.dayNum), 0) + 1;
}

/** Lessons held: dated on or before `today` (`YYYY-MM-DD`, the school's day). */
export function lessonsHeld(lessons: Pick<LessonStats, 'date'>[], today: string): number {
  return lessons.filter((lesson) => lesson.date <= today).length;
}

/** A rate 0..1 as "87.5%" in the user's language; null stays null (nothing recorded). */
export function formatRate(rate: number | null, language: string): string | null {
  if (rate === null) return null;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A mean grade as "78.5"; null stays null (no grade yet). */
export function formatScore(score: number | null, language: string): string | null {
  if (score === null) return null;
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(score);
}

export type ClassChartSeries = {
  /** The lessons' names on the x axis: 第1节, 第2节… */
  categories: string[];
  /** Attendance rate in percent (0–100, one decimal), null where nothing is recorded. */
  attendance: (number | null)[];
  /** Average grade 0–100, null where the lesson has no grade. */
  average: (number | null)[];
};

/** The class chart's two lines over the lesson numbers, in the lessons' order. */
export function classChartSeries(
  lessons: Pick<LessonStats, 'dayNum' | 'attendanceRate' | 'averageScore'>[],
  dayLabel: (day: number) => string,
): ClassChartSeries {
  return {
    categories: lessons.map((lesson) => dayLabel(lesson.dayNum)),
    attendance: lessons.map((lesson) =>
      lesson.attendanceRate === null ? null : clamp(Math.round(lesson.attendanceRate * 1000) / 10),
    ),
    average: lessons.map((lesson) =>
      lesson.averageScore === null ? null : clamp(Math.round(lesson.averageScore * 10) / 10),
    ),
  };
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));
