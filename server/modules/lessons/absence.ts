import { sql } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import type { Actor } from '../../auth/sessions.ts';
import { businessDate, now } from '../../clock.ts';
import { type Db, type Executor, intArraySql, queryRows } from '../../db/client.ts';
import type { attendance, CodeOf } from '../../db/schema/enums.ts';
import { studyRecords, teachingSettings } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { classNames } from '../../engine/present.ts';
import { enqueue, type OutboxEvent } from '../notify/outbox.ts';
import { recordedSql } from './recorded.ts';

/**
 * Absence alerts (docs/spec.md §5): a student absent (缺勤, `noshow`) from N lessons of a class in
 * a row, N being the teaching setting managers edit beside the pool rules, is an alert until they
 * attend again — on the class page, on the tutor's home page, and once per streak in the tutor's
 * notifications.
 *
 * The lessons walked are the class's lessons held by today (in the school's calendar) that have
 * been recorded (recorded.ts: any of their study records marked), in order of date and lesson
 * number. Over those, each active student's own study records: 缺勤 extends the streak (its first
 * lesson is where the streak started), 请假 (`vacate`, excused) neither extends nor breaks it, and
 * anything else (已签到, 迟到, 早退: they came) ends it. A lesson without a study record of theirs
 * (they joined later) is skipped too. `currentStreak` is the rule; `absenceAlerts` its SQL twin.
 */

export type TeachingSettings = {
  /** Lessons of a class in a row a student must miss for an alert: 1–50. */
  absenceStreakLessons: number;
};

export const DEFAULT_TEACHING_SETTINGS: TeachingSettings = { absenceStreakLessons: 2 };

/**
 * One student's current absence streak in a class, at or past the setting: who, how many lessons in
 * a row, and the first lesson missed. The answers that carry alerts (the home page's classes, the
 * class page's stats) declare them with this schema.
 */
export const AbsenceAlertSchema = Type.Object({
  student: Type.Object({ id: Type.Integer(), name: Type.String() }),
  lessons: Type.Integer({ description: 'Lessons missed in a row (请假 neither counts nor breaks it)' }),
  since: Type.Object(
    {
      courseRecordId: Type.Integer(),
      dayNum: Type.Integer(),
      date: Type.String({ format: 'date', description: "The school's calendar date" }),
    },
    { description: 'The first lesson of the streak' },
  ),
});

export type AbsenceAlert = Static<typeof AbsenceAlertSchema>;

type Attendance = CodeOf<typeof attendance>;

/**
 * The current streak of one student's study records, given in the order of their lessons: how many
 * 缺勤 since they last came, and the first of them; null when they came to the last lesson counted.
 */
export function currentStreak<L>(
  records: readonly { attendance: Attendance; lesson: L }[],
): { lessons: number; since: L } | null {
  let streak: { lessons: number; since: L } | null = null;
  for (const { attendance, lesson } of records) {
    if (attendance === 'vacate') continue;
    if (attendance !== 'noshow') streak = null;
    else if (streak) streak.lessons++;
    else streak = { lessons: 1, since: lesson };
  }
  return streak;
}

export async function loadTeachingSettings(db: Executor): Promise<TeachingSettings> {
  const [row] = await db
    .select({ absenceStreakLessons: teachingSettings.absenceStreakLessons })
    .from(teachingSettings)
    .limit(1);
  return row ?? DEFAULT_TEACHING_SETTINGS;
}

/** Saves the teaching rules, audited as `teaching-settings`. Alerts follow at once: they are computed. */
export async function saveTeachingSettings(
  db: Db,
  actor: Actor,
  next: TeachingSettings,
): Promise<{ settings: TeachingSettings }> {
  const at = now();
  await db.transaction(async (tx) => {
    const before = await loadTeachingSettings(tx);
    await tx
      .insert(teachingSettings)
      .values({ singleton: true, ...next, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: teachingSettings.singleton, set: { ...next, updatedAt: at } });
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'update',
      entity: 'teaching-settings',
      entityId: null,
      before,
      after: next,
      at,
    });
  });
  return { settings: next };
}

type AlertRow = {
  classId: number;
  studentId: number;
  name: string;
  lessons: number;
  courseRecordId: number;
  dayNum: number;
  date: string;
};

/**
 * The current absence alerts of each of `classIds` on `today` (`YYYY-MM-DD`), longest streak first,
 * then by name; a class without any has no entry. One statement for all the classes: the lessons
 * are numbered per class, each student's last lesson attended is found by a window over their
 * records, and the 缺勤 after it are the streak. `threshold` defaults to the saved setting.
 */
export async function absenceAlerts(
  db: Executor,
  options: { classIds: readonly number[]; today: string; threshold?: number },
): Promise<Map<number, AbsenceAlert[]>> {
  const { classIds, today, threshold } = options;
  const alerts = new Map<number, AbsenceAlert[]>();
  if (classIds.length === 0) return alerts;
  const rows = await queryRows<AlertRow>(
    db,
    sql`with held as (
        select cr.id, cr.class_id, cr.day_num, cr.date,
               row_number() over (partition by cr.class_id order by cr.date, cr.day_num, cr.id) as pos
        from course_records cr
        where cr.class_id = any(${intArraySql(classIds)}) and cr.date <= ${today}::date
          and exists (select 1 from ${studyRecords}
            where ${studyRecords.courseRecordId} = cr.id and ${recordedSql})
      ), walked as (
        select h.class_id, sr.student_id, h.id, h.pos, sr.attendance,
               coalesce(max(h.pos) filter (where sr.attendance not in ('noshow', 'vacate'))
                 over (partition by h.class_id, sr.student_id), 0) as came
        from held h
        join study_records sr on sr.course_record_id = h.id
        join student_classes sc on sc.class_id = h.class_id and sc.student_id = sr.student_id
          and sc.status = 'active'
      ), streaks as (
        select class_id, student_id, count(*)::int as lessons, (array_agg(id order by pos))[1] as since
        from walked
        where attendance = 'noshow' and pos > came
        group by class_id, student_id
      )
      select s.class_id as "classId", s.student_id as "studentId", cu.name, s.lessons,
             cr.id as "courseRecordId", cr.day_num as "dayNum", cr.date::text as date
      from streaks s
      join students st on st.id = s.student_id
      join customers cu on cu.id = st.customer_id
      join course_records cr on cr.id = s.since
      where s.lessons >= coalesce(${threshold ?? null}::int,
        (select absence_streak_lessons from teaching_settings limit 1),
        ${DEFAULT_TEACHING_SETTINGS.absenceStreakLessons}::int)
      order by s.class_id, s.lessons desc, cu.name, s.student_id`,
  );
  for (const row of rows) {
    const alert: AbsenceAlert = {
      student: { id: row.studentId, name: row.name },
      lessons: row.lessons,
      since: { courseRecordId: row.courseRecordId, dayNum: row.dayNum, date: row.date },
    };
    const list = alerts.get(row.classId);
    if (list) list.push(alert);
    else alerts.set(row.classId, [alert]);
  }
  return alerts;
}

type ClassRow = {
  id: number;
  course: string;
  semester: number;
  tutorId: number | null;
  teacherIds: number[];
};

/**
 * After attendance changed on `studyRecordIds` (in the caller's transaction): the streaks of their
 * classes are computed again, and each alert is told, once per streak, to the class's tutor — or,
 * for a class without one, to each of its teachers. The dedupe key names the student, the class and
 * the lesson the streak started at (`absence_streak:<student>:<class>:<lesson>`, and `:<teacher>`
 * when it goes to the teachers), so a streak that grows tells nobody again and a new streak after
 * the student came back does. Returns how many events were new.
 */
export async function notifyAbsenceStreaks(
  tx: Executor,
  options: { studyRecordIds: readonly number[]; at: Date; timezone: string },
): Promise<number> {
  const { studyRecordIds, at, timezone } = options;
  if (studyRecordIds.length === 0) return 0;
  const classes = await queryRows<ClassRow>(
    tx,
    sql`select c.id, co.name as course, c.semester, c.tutor_id as "tutorId",
        array(select t.teacher_id from class_teachers t where t.class_id = c.id order by t.teacher_id)
          as "teacherIds"
      from classes c join courses co on co.id = c.course_id
      where c.id in (select cr.class_id from course_records cr
        join study_records sr on sr.course_record_id = cr.id
        where sr.id = any(${intArraySql(studyRecordIds)}))`,
  );
  const alerts = await absenceAlerts(tx, {
    classIds: classes.map((c) => c.id),
    today: businessDate(at, timezone),
  });
  const events: OutboxEvent[] = [];
  for (const c of classes) {
    const names = classNames(c.course, c.semester);
    for (const alert of alerts.get(c.id) ?? []) {
      const key = `absence_streak:${alert.student.id}:${c.id}:${alert.since.courseRecordId}`;
      const payload = {
        studentId: alert.student.id,
        studentName: alert.student.name,
        classId: c.id,
        className: names.name,
        classNameEn: names.nameEn,
        lessons: alert.lessons,
        sinceDate: alert.since.date,
      };
      if (c.tutorId !== null)
        events.push({ userId: c.tutorId, event: 'absence_streak', payload, dedupeKey: key });
      else
        for (const teacherId of c.teacherIds)
          events.push({
            userId: teacherId,
            event: 'absence_streak',
            payload,
            dedupeKey: `${key}:${teacherId}`,
          });
    }
  }
  return enqueue(tx, events, at);
}
