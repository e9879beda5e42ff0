import { and, asc, eq, sql } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import { classScope, isRowId } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { attendance, studentClassStatus } from '../../db/schema/enums.ts';
import {
  classes,
  courseRecords,
  courses,
  customers,
  studentClasses,
  students,
  studyRecords,
  users,
} from '../../db/schema/index.ts';
import { ClassName, classNames } from '../../engine/present.ts';
import { notFound } from '../../http/errors.ts';
import { Enumerated } from '../../http/schemas.ts';
import { AbsenceAlertSchema, absenceAlerts, loadTeachingSettings } from '../lessons/absence.ts';
import { recordedSql } from '../lessons/my-classes.ts';

/**
 * A class's figures for its page and its charts (docs/spec.md §5 "Charts"): each lesson's attendance
 * counts, attendance rate and average score, and the same two figures for the whole class.
 *
 * - A student **attended** a lesson when marked 已签到, 迟到 or 早退; 请假 and 缺勤 did not.
 * - A lesson's **attendance rate** is attended ÷ its study records, only once the lesson is recorded
 *   (any of its study records is, as `recordedSql` judges it for the home page): a lesson nobody has
 *   marked yet would otherwise read as a full house. The class's rate is the same sum over its
 *   recorded lessons.
 * - An **average score** is the mean of the grades (scores ≥ 0) to two decimals: the marks below
 *   zero (N/A, COPY, FAIL) are no grades and count for nothing, and no grade at all gives null.
 *
 * Every study record of a lesson counts, a withdrawn student's too: a lesson's figures are what
 * happened at it.
 */

const Count = Type.Integer({ minimum: 0 });
const Rate = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description });
const Average = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const Named = Type.Object({ id: Type.Integer(), name: Type.String() });

const AttendanceCounts = Type.Object(
  Object.fromEntries(attendance.codes.map((code) => [code, Count])) as Record<
    (typeof attendance.codes)[number],
    typeof Count
  >,
);

const LessonStats = Type.Object({
  courseRecordId: Type.Integer(),
  dayNum: Type.Integer(),
  date: Type.String({ format: 'date' }),
  title: Type.String(),
  teacher: Type.Union([Named, Type.Null()]),
  studyRecords: Type.Integer({ description: 'How many study records it has (0: never initialised)' }),
  recorded: Type.Boolean({ description: 'Whether any of its study records has been marked' }),
  attendanceRate: Rate('(已签到 + 迟到 + 早退) ÷ study records; null until the lesson is recorded'),
  averageScore: Average(
    'The mean of its grades (scores ≥ 0, not N/A, COPY or FAIL), two decimals; null without one',
  ),
  scored: Type.Integer({ description: 'How many grades it has' }),
  counts: AttendanceCounts,
});

export const ClassStatsSchema = Type.Object({
  class: ClassName,
  students: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), status: Enumerated(studentClassStatus.codes) }),
    { description: 'Active students first, then those who withdrew; each by name' },
  ),
  lessons: Type.Array(LessonStats, { description: 'By date, then day number' }),
  attendanceRate: Rate('Over the recorded lessons: their attended ÷ their study records; null without one'),
  averageScore: Average('The mean of every grade of the class, two decimals; null without one'),
  absenceThreshold: Type.Integer({
    description: 'Lessons missed in a row that make an alert (the teaching setting)',
  }),
  alerts: Type.Array(AbsenceAlertSchema, {
    description: 'Active students absent from that many lessons or more in a row, until they come again',
  }),
});
export type ClassStats = Static<typeof ClassStatsSchema>;
type LessonStats = Static<typeof LessonStats>;
type AttendanceCounts = Static<typeof AttendanceCounts>;

/** Attended ÷ study records, or null while the lesson (or every lesson) is unrecorded or empty. */
export function attendanceRate(attended: number, records: number, recorded: boolean): number | null {
  return recorded && records > 0 ? attended / records : null;
}

/**
 * The mean of `count` grades summing to `sum`, rounded half up to two decimals (grades are whole
 * and never negative, so `sum × 100 ÷ count` is exact at a half), or null without a grade.
 */
export function averageOf(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum * 100) / count) / 100 : null;
}

/** Who attended: 已签到, 迟到 and 早退. */
const attended = (counts: AttendanceCounts) => counts.checked + counts.late + counts.leave_early;

type LessonRow = Omit<LessonStats, 'attendanceRate' | 'averageScore' | 'counts'> &
  AttendanceCounts & { scoreSum: number };

/**
 * The figures of one class in the actor's class scope (404 outside it, as every scope answers): the
 * class, its students, its lessons with their study records aggregated, and its absence alerts on
 * `today` (the school's date) under the saved teaching setting.
 */
export async function classStats(
  db: Executor,
  { actor, classId, today }: { actor: Actor; classId: number; today: string },
): Promise<ClassStats> {
  if (!isRowId(classId)) throw notFound();
  const [found] = await db
    .select({ id: classes.id, course: courses.name, semester: classes.semester })
    .from(classes)
    .innerJoin(courses, eq(courses.id, classes.courseId))
    .where(and(eq(classes.id, classId), classScope(actor)))
    .limit(1);
  if (!found) throw notFound();
  const threshold = (await loadTeachingSettings(db)).absenceStreakLessons;

  const members = await db
    .select({ id: students.id, name: customers.name, status: studentClasses.status })
    .from(studentClasses)
    .innerJoin(students, eq(students.id, studentClasses.studentId))
    .innerJoin(customers, eq(customers.id, students.customerId))
    .where(eq(studentClasses.classId, classId))
    .orderBy(sql`${studentClasses.status} = 'active' desc`, asc(customers.name), asc(students.id));

  // study_records is joined under its own name: recordedSql names its columns so.
  const counted = (code: string) =>
    sql`count(${studyRecords.id}) filter (where ${studyRecords.attendance} = ${code})::int`;
  const rows = await queryRows<LessonRow>(
    db,
    sql`select cr.id as "courseRecordId", cr.day_num as "dayNum", cr.date::text as date, cr.title,
        case when u.id is null then null else json_build_object('id', u.id, 'name', u.name) end as teacher,
        count(${studyRecords.id})::int as "studyRecords",
        coalesce(bool_or(${recordedSql}), false) as recorded,
        count(${studyRecords.id}) filter (where ${studyRecords.score} >= 0)::int as scored,
        coalesce(sum(${studyRecords.score}) filter (where ${studyRecords.score} >= 0), 0)::int as "scoreSum",
        ${sql.join(
          attendance.codes.map((code) => sql`${counted(code)} as ${sql.identifier(code)}`),
          sql`, `,
        )}
      from ${courseRecords} cr
      left join ${users} u on u.id = cr.teacher_id
      left join ${studyRecords} on ${studyRecords.courseRecordId} = cr.id
      where cr.class_id = ${classId}
      group by cr.id, u.id
      order by cr.date, cr.day_num`,
  );

  let attendedInRecorded = 0;
  let recordsInRecorded = 0;
  let gradeSum = 0;
  let grades = 0;
  const lessons = rows.map((row): LessonStats => {
    const counts = Object.fromEntries(attendance.codes.map((code) => [code, row[code]])) as AttendanceCounts;
    if (row.recorded) {
      attendedInRecorded += attended(counts);
      recordsInRecorded += row.studyRecords;
    }
    gradeSum += row.scoreSum;
    grades += row.scored;
    return {
      courseRecordId: row.courseRecordId,
      dayNum: row.dayNum,
      date: row.date,
      title: row.title,
      teacher: row.teacher,
      studyRecords: row.studyRecords,
      recorded: row.recorded,
      attendanceRate: attendanceRate(attended(counts), row.studyRecords, row.recorded),
      averageScore: averageOf(row.scoreSum, row.scored),
      scored: row.scored,
      counts,
    };
  });

  return {
    class: { id: found.id, ...classNames(found.course, found.semester) },
    students: members,
    lessons,
    attendanceRate: attendanceRate(attendedInRecorded, recordsInRecorded, recordsInRecorded > 0),
    averageScore: averageOf(gradeSum, grades),
    absenceThreshold: threshold,
    alerts: (await absenceAlerts(db, { classIds: [found.id], today, threshold })).get(found.id) ?? [],
  };
}
