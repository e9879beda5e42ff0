import { sql } from 'drizzle-orm';
import { classIdsOf } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import { type Executor, intArraySql, queryRows } from '../../db/client.ts';
import {
  classes,
  classTeachers,
  courseRecords,
  courses,
  studentClasses,
  studyRecords,
} from '../../db/schema/index.ts';
import { type AbsenceAlert, absenceAlerts } from './absence.ts';
import { recordedSql } from './recorded.ts';

/**
 * A teacher's or a tutor's classes for the home page: each class they teach or look after, its
 * students, the lessons still to mark (attendance and scores) and to come, and its absence alerts.
 *
 * A lesson is to mark when it has been held (dated today or earlier, in the school's calendar) and
 * none of its study records is recorded (recorded.ts says how that is guessed) — or it has none at
 * all while its class has students (they joined after the lesson was created, and its study records
 * were never initialised).
 */

// The rule of a recorded study record lived here first; it is still imported from here.
export { looksRecorded, recordedSql, type StudyRecordState } from './recorded.ts';

export type TeachingRole = 'teacher' | 'tutor';

export type LessonRef = {
  id: number;
  dayNum: number;
  /** `YYYY-MM-DD`, the school's calendar date. */
  date: string;
  title: string;
  /** How many study records the lesson has (0: they were never initialised). */
  studyRecords: number;
};

export type MyClass = {
  id: number;
  /** "Python全栈 (9期)". */
  label: string;
  roles: TeachingRole[];
  /** Students active in the class (not withdrawn). */
  students: number;
  /** Lessons held and still to mark. */
  toMark: number;
  /** The most recent of those. */
  lessonToMark: LessonRef | null;
  /** The first lesson after today. */
  nextLesson: LessonRef | null;
  /** Students absent from the setting's number of lessons in a row, or more (absence.ts). */
  alerts: AbsenceAlert[];
};

/** Whether a lesson is to mark on `today` (`YYYY-MM-DD`). */
export function isToMark(
  lesson: { date: string; studyRecords: number; recorded: boolean },
  today: string,
  classStudents: number,
): boolean {
  if (lesson.date > today) return false;
  if (lesson.studyRecords === 0) return classStudents > 0;
  return !lesson.recorded;
}

type ClassRow = {
  id: number;
  course: string;
  semester: number;
  graduateDate: string | null;
  teaches: boolean;
  tutors: boolean;
  students: number;
};

type LessonRow = LessonRef & { classId: number; recorded: boolean };

/**
 * The actor's classes, for the home page: undefined for someone who teaches and tutors nothing and
 * whose work is not teaching (an administrator who sees every class, a consultant), an empty list
 * for a teacher with no class yet. A class that graduated before today is left out once nothing in
 * it is left to mark. Newest class first.
 */
export async function myClasses(
  db: Executor,
  options: { actor: Actor; today: string },
): Promise<MyClass[] | undefined> {
  const { actor, today } = options;
  const found = await queryRows<ClassRow>(
    db,
    sql`select c.id, co.name as course, c.semester, c.graduate_date::text as "graduateDate",
        exists (select 1 from ${classTeachers} t
          where t.class_id = c.id and t.teacher_id = ${actor.userId}) as teaches,
        coalesce(c.tutor_id = ${actor.userId}, false) as tutors,
        (select count(*) from ${studentClasses} sc
          where sc.class_id = c.id and sc.status = 'active')::int as students
      from ${classes} c join ${courses} co on co.id = c.course_id
      where c.id in (${classIdsOf(actor)})
      order by c.start_date desc, c.id desc`,
  );
  if (found.length === 0) {
    const teaches =
      !actor.permissions.has('class.view_all') &&
      (actor.permissions.has('course_record.list') || actor.permissions.has('study_record.list'));
    return teaches ? [] : undefined;
  }

  const lessons = await queryRows<LessonRow>(
    db,
    sql`select cr.id, cr.class_id as "classId", cr.day_num as "dayNum", cr.date::text as date, cr.title,
        (select count(*) from ${studyRecords} where ${studyRecords.courseRecordId} = cr.id)::int
          as "studyRecords",
        exists (select 1 from ${studyRecords}
          where ${studyRecords.courseRecordId} = cr.id and ${recordedSql}) as recorded
      from ${courseRecords} cr
      where cr.class_id = any(${intArraySql(found.map((c) => c.id))})
      order by cr.date, cr.day_num`,
  );

  const alerts = await absenceAlerts(db, { classIds: found.map((c) => c.id), today });

  const result: MyClass[] = [];
  for (const c of found) {
    const own = lessons.filter((lesson) => lesson.classId === c.id);
    const toMark = own.filter((lesson) => isToMark(lesson, today, c.students));
    const graduated = c.graduateDate !== null && c.graduateDate < today;
    if (graduated && toMark.length === 0) continue;
    const roles: TeachingRole[] = [];
    if (c.teaches) roles.push('teacher');
    if (c.tutors) roles.push('tutor');
    const last = toMark.at(-1);
    const next = own.find((lesson) => lesson.date > today);
    result.push({
      id: c.id,
      label: `${c.course} (${c.semester}期)`,
      roles,
      students: c.students,
      toMark: toMark.length,
      lessonToMark: last ? refOf(last) : null,
      nextLesson: next ? refOf(next) : null,
      alerts: alerts.get(c.id) ?? [],
    });
  }
  return result;
}

const refOf = ({ id, dayNum, date, title, studyRecords: count }: LessonRow): LessonRef => ({
  id,
  dayNum,
  date,
  title,
  studyRecords: count,
});
