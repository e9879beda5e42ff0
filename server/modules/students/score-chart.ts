import { and, asc, eq } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import { classScope, isRowId, studentScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Executor } from '../../db/client.ts';
import { attendance, scores } from '../../db/schema/enums.ts';
import {
  classes,
  courseRecords,
  courses,
  customers,
  studentClasses,
  students,
  studyRecords,
} from '../../db/schema/index.ts';
import { ClassName, classNames } from '../../engine/present.ts';
import { notFound } from '../../http/errors.ts';
import { Enumerated } from '../../http/schemas.ts';

/**
 * A student's scores in one class, lesson by lesson, for the chart on their page (docs/spec.md §5
 * "Charts"): a point per lesson they have a study record of, with the score as stored and its label,
 * so the chart draws grades as bars and the marks below zero (N/A, COPY, FAIL) as labelled marks,
 * never as negative bars, and the attendance of each lesson beside it.
 */

const Point = Type.Object({
  courseRecordId: Type.Integer(),
  dayNum: Type.Integer(),
  date: Type.String({ format: 'date' }),
  title: Type.String(),
  score: Type.Integer({ description: 'As stored: a grade (≥ 0) or a mark (-1 N/A, -100 COPY, -1000 FAIL)' }),
  label: Type.String({ description: "The score's label: A+ … D, N/A, COPY or FAIL" }),
  attendance: Enumerated(attendance.codes),
});

export const ScoreChartSchema = Type.Object({
  student: Type.Object({ id: Type.Integer(), name: Type.String() }),
  class: ClassName,
  classes: Type.Array(ClassName, {
    description: "The student's classes the caller may see, in the order they started: the chart's picker",
  }),
  points: Type.Array(Point, { description: 'One per lesson with a study record of the student, by date' }),
});
export type ScoreChart = Static<typeof ScoreChartSchema>;

/** A score's label from the list of docs/spec.md §2; a value off the list is shown as its number. */
export function scoreLabel(score: number): string {
  return scores.find((s) => s.value === score)?.label ?? String(score);
}

/**
 * The chart of a student in the actor's student scope, for one of their classes in the actor's
 * class scope (`classId`, by default the one that started last). Anything else answers 404, the same
 * as a student or class that does not exist: a student outside the scope, a class that is not theirs,
 * a class of theirs the actor does not teach.
 */
export async function scoreChart(
  db: Executor,
  { actor, studentId, classId }: { actor: Actor; studentId: number; classId?: number | undefined },
): Promise<ScoreChart> {
  if (!isRowId(studentId)) throw notFound();
  const [student] = await db
    .select({ id: students.id, name: customers.name })
    .from(students)
    .innerJoin(customers, eq(customers.id, students.customerId))
    .where(and(eq(students.id, studentId), studentScope(actor)))
    .limit(1);
  if (!student) throw notFound();

  const theirs = (
    await db
      .select({ id: classes.id, course: courses.name, semester: classes.semester })
      .from(studentClasses)
      .innerJoin(classes, eq(classes.id, studentClasses.classId))
      .innerJoin(courses, eq(courses.id, classes.courseId))
      .where(and(eq(studentClasses.studentId, studentId), classScope(actor)))
      .orderBy(asc(classes.startDate), asc(classes.id))
  ).map((row) => ({ id: row.id, ...classNames(row.course, row.semester) }));
  const chosen = classId === undefined ? theirs.at(-1) : theirs.find((c) => c.id === classId);
  if (!chosen) throw notFound();

  const rows = await db
    .select({
      courseRecordId: courseRecords.id,
      dayNum: courseRecords.dayNum,
      date: courseRecords.date,
      title: courseRecords.title,
      score: studyRecords.score,
      attendance: studyRecords.attendance,
    })
    .from(studyRecords)
    .innerJoin(courseRecords, eq(courseRecords.id, studyRecords.courseRecordId))
    .where(and(eq(studyRecords.studentId, studentId), eq(courseRecords.classId, chosen.id)))
    .orderBy(asc(courseRecords.date), asc(courseRecords.dayNum));

  return {
    student,
    class: chosen,
    classes: theirs,
    points: rows.map((row) => ({ ...row, label: scoreLabel(row.score) })),
  };
}
