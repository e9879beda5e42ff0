import type { AttendanceCode, ScorePoint } from './classApi.ts';
import { presentCodes } from './classFigures.ts';

/**
 * A student's grades by lesson as the bar chart draws them. Scores below zero are not grades but
 * marks (N/A −1, COPY −100, FAIL −1000, server/db/schema/enums.ts `scores`): drawn as negative bars
 * they would dwarf every grade and read as "very bad" — the seed system's mistake. So a lesson's
 * value goes to exactly one of two series: `grades` (a bar 0–100 with its letter on top) or `marks`
 * (a point on the axis, value 0, labelled with the mark's name). Nothing below zero reaches the chart.
 */

export type MarkKind = 'na' | 'copy' | 'fail' | 'other';
export type PointKind = 'grade' | MarkKind;

export type ScoreSeries = {
  /** 第1节, 第2节… in the points' order. */
  categories: string[];
  /** Per lesson: its grade 0–100, or null where it has a mark instead. */
  grades: (number | null)[];
  /** Per lesson: 0 (a point on the axis) where it has a mark, null where it has a grade. */
  marks: (0 | null)[];
  /** Per lesson: the text drawn over its bar or mark (A+ … D, N/A, COPY, FAIL). */
  labels: string[];
  kinds: PointKind[];
};

const markKinds: Record<string, MarkKind> = { 'N/A': 'na', COPY: 'copy', FAIL: 'fail' };

/** Which mark a score below zero is; any other code below zero is a mark too, of no known kind. */
export function markKind(point: Pick<ScorePoint, 'label'>): MarkKind {
  return markKinds[point.label] ?? 'other';
}

export function scoreChartSeries(
  points: Pick<ScorePoint, 'dayNum' | 'score' | 'label'>[],
  dayLabel: (day: number) => string,
): ScoreSeries {
  const series: ScoreSeries = { categories: [], grades: [], marks: [], labels: [], kinds: [] };
  for (const point of points) {
    const isGrade = Number.isFinite(point.score) && point.score >= 0;
    series.categories.push(dayLabel(point.dayNum));
    series.grades.push(isGrade ? Math.min(point.score, 100) : null);
    series.marks.push(isGrade ? null : 0);
    series.labels.push(point.label || String(point.score));
    series.kinds.push(isGrade ? 'grade' : markKind(point));
  }
  return series;
}

/**
 * What a lesson's attendance says of the student: their status, or that the lesson is still to come,
 * or that nobody marked it — a study record starts as 已签到, which means nothing until someone marks
 * the lesson (`recorded`: the lessons anything was marked in, when known).
 */
export type LessonAttendance = AttendanceCode | 'not_held' | 'not_recorded';

export function lessonAttendance(
  point: Pick<ScorePoint, 'courseRecordId' | 'date' | 'attendance'>,
  today: string,
  recorded: ReadonlySet<number> | null,
): LessonAttendance {
  if (point.date > today) return 'not_held';
  if (recorded && !recorded.has(point.courseRecordId)) return 'not_recorded';
  return point.attendance;
}

/**
 * The line over a student's chart: the lessons attended of those whose attendance was taken, and
 * the mean of the real grades (marks left out).
 */
export function studentSummary(points: (Pick<ScorePoint, 'score'> & { status: LessonAttendance })[]): {
  attended: number;
  total: number;
  average: number | null;
} {
  const grades = points.map((point) => point.score).filter((score) => score >= 0);
  const sum = grades.reduce((total, score) => total + score, 0);
  const taken = points.filter((point) => point.status !== 'not_held' && point.status !== 'not_recorded');
  return {
    attended: taken.filter((point) => (presentCodes as readonly string[]).includes(point.status)).length,
    total: taken.length,
    average: grades.length === 0 ? null : Math.round((sum / grades.length) * 100) / 100,
  };
}
