import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import type { attendance, CodeOf } from '../server/db/schema/enums.ts';
import {
  auditLog,
  courseRecords,
  notifications,
  studentClasses,
  students,
  studyRecords,
  teachingSettings,
} from '../server/db/schema/index.ts';
import { type AbsenceAlert, absenceAlerts, currentStreak } from '../server/modules/lessons/absence.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeClass, makeCustomer, makeLesson, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Absence alerts (issue 22, item 6): a student absent (缺勤) from N lessons of a class in a row is
 * an alert on the tutor's home page until they attend again, and the tutor is told once per streak.
 * 请假 neither counts nor breaks a streak; a lesson nobody marked is not walked; N is a teaching
 * setting (default 2) that managers change.
 */
type Attendance = CodeOf<typeof attendance>;

// Noon of 10 March 2026 in Shanghai; the lessons were created (and their records initialised) the
// week before, so that a mark now moves their `updated_at` and they count as recorded.
const NOW = new Date('2026-03-10T04:00:00.000Z');
const TODAY = '2026-03-10';
const CREATED = new Date('2026-03-01T02:00:00.000Z');

let t: TestApp;
const db = () => t.database.db;
const s: Record<string, Session> = {};
const id: Record<string, number> = {};

const api = (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: object) =>
  call(t.app, s[who]!, method, url, body);

/** A student of the class, enrolled (active) in it. */
async function makeStudent(classId: number, name: string): Promise<number> {
  const customer = await makeCustomer(db(), { name, status: 'enrolled' });
  const [student] = await db().insert(students).values({ customerId: customer.id }).returning();
  await db().insert(studentClasses).values({ studentId: student!.id, classId });
  return student!.id;
}

/** The class's lesson `dayNum`, held on `date`, its study records made the week before. */
const lesson = async (classId: number, dayNum: number, date: string) =>
  (await makeLesson(db(), { classId, dayNum, date, title: `第${dayNum}课`, at: CREATED })).id;

/** Marks students of a lesson through the API, as the attendance sheet does. */
async function mark(lessonId: number, code: Attendance, studentIds: number[], who = 'teacher') {
  const records = await db()
    .select({ id: studyRecords.id })
    .from(studyRecords)
    .where(and(eq(studyRecords.courseRecordId, lessonId), inArray(studyRecords.studentId, studentIds)));
  expect(records).toHaveLength(studentIds.length);
  const response = await api(who, 'POST', `/api/study-records/actions/mark-${code.replace('_', '-')}`, {
    ids: records.map((r) => r.id),
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** The absence notifications written, as (recipient, key without its channel, payload). */
const told = async () =>
  (
    await db()
      .select()
      .from(notifications)
      .where(eq(notifications.event, 'absence_streak'))
      .orderBy(asc(notifications.id))
  ).map((n) => ({
    userId: n.userId,
    key: n.dedupeKey.slice(0, n.dedupeKey.lastIndexOf(':')),
    payload: n.payload,
  }));

/** The alerts the tutor's home page shows for a class. */
async function homeAlerts(who: string, classId: number): Promise<AbsenceAlert[]> {
  const response = await api(who, 'GET', '/api/dashboard');
  expect(response.statusCode, response.body).toBe(200);
  const mine = (response.json().classes as { id: number; alerts: AbsenceAlert[] }[]).find(
    (c) => c.id === classId,
  );
  return mine!.alerts;
}

const since = (lessonId: number, dayNum: number, date: string) => ({
  courseRecordId: lessonId,
  dayNum,
  date,
});

beforeAll(async () => {
  t = await buildTestApp({ timezone: 'Asia/Shanghai' });
  setClock(NOW);
  const teacher = await makeUser(db(), {
    name: '王老师',
    codes: [
      'class.list',
      'student.list',
      'course_record.list',
      'course_record.create',
      'course_record.update',
      'study_record.list',
      'study_record.update',
    ],
  });
  const tutor = await makeUser(db(), {
    name: '李班主任',
    codes: ['class.list', 'student.list', 'course_record.list', 'study_record.list', 'study_record.update'],
  });
  const manager = await makeUser(db(), {
    codes: ['settings.pool', 'settings.pool_update', 'class.list', 'class.view_all'],
  });
  const reader = await makeUser(db(), { codes: ['settings.pool'] });
  for (const [who, user] of Object.entries({ teacher, tutor, manager, reader })) {
    s[who] = await signIn(t.app, user.username, TEST_PASSWORD);
    id[who] = user.id;
  }
});
afterAll(async () => {
  setClock(null);
  await t?.close();
});

describe('the teaching setting', () => {
  it('is 2 lessons until a manager saves another number', async () => {
    const response = await api('manager', 'GET', '/api/settings/teaching');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ absenceStreakLessons: 2 });
    expect((await api('reader', 'GET', '/api/settings/teaching')).json()).toEqual({
      absenceStreakLessons: 2,
    });
  });

  it('refuses anything but a whole number from 1 to 50, and saves nothing', async () => {
    for (const body of [
      { absenceStreakLessons: 0 },
      { absenceStreakLessons: 51 },
      { absenceStreakLessons: 'x' },
      { absenceStreakLessons: '3' },
      { absenceStreakLessons: 2.5 },
      { absenceStreakLessons: null },
      { absenceStreakLessons: 3, extra: 1 },
      {},
    ]) {
      const response = await api('manager', 'PUT', '/api/settings/teaching', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toBe('validation');
    }
    expect(await db().select().from(teachingSettings)).toEqual([]);
    expect((await api('manager', 'GET', '/api/settings/teaching')).json()).toEqual({
      absenceStreakLessons: 2,
    });
  });

  it('is changed only with settings.pool_update, and read only with settings.pool', async () => {
    const put = await api('teacher', 'PUT', '/api/settings/teaching', { absenceStreakLessons: 5 });
    expect(put.statusCode).toBe(403);
    expect(
      (await api('reader', 'PUT', '/api/settings/teaching', { absenceStreakLessons: 5 })).statusCode,
    ).toBe(403);
    expect((await api('teacher', 'GET', '/api/settings/teaching')).statusCode).toBe(403);
    expect((await call(t.app, null, 'GET', '/api/settings/teaching')).statusCode).toBe(401);
    expect(await db().select().from(teachingSettings)).toEqual([]);
  });

  it('is saved and audited', async () => {
    const response = await api('manager', 'PUT', '/api/settings/teaching', { absenceStreakLessons: 4 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ settings: { absenceStreakLessons: 4 } });
    expect((await api('reader', 'GET', '/api/settings/teaching')).json()).toEqual({
      absenceStreakLessons: 4,
    });
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.entity, 'teaching-settings'));
    expect(audit).toMatchObject({
      actorId: id.manager,
      action: 'update',
      before: { absenceStreakLessons: 2 },
      after: { absenceStreakLessons: 4 },
    });
    // Back to the default for what follows; still one row.
    await api('manager', 'PUT', '/api/settings/teaching', { absenceStreakLessons: 2 });
    expect(await db().select().from(teachingSettings)).toHaveLength(1);
    expect((await api('manager', 'GET', '/api/settings/teaching')).json()).toEqual({
      absenceStreakLessons: 2,
    });
  });
});

describe('absence streaks of a class', () => {
  let classId: number;
  let a: number;
  let b: number;
  let c: number;
  let gone: number;
  const l: number[] = [];
  const dates = [
    '',
    '2026-03-02',
    '2026-03-03',
    '2026-03-04',
    '2026-03-05',
    '2026-03-06',
    '2026-03-07',
    '2026-03-08',
    '2026-03-09',
    '2026-03-11',
  ];

  beforeAll(async () => {
    const made = await makeClass(db(), { teacherIds: [id.teacher!], tutorId: id.tutor!, semester: 9 });
    classId = made.id;
    a = await makeStudent(classId, '学员A');
    b = await makeStudent(classId, '学员B');
    c = await makeStudent(classId, '学员C');
    gone = await makeStudent(classId, '学员D');
    for (let day = 1; day <= 9; day++) l[day] = await lesson(classId, day, dates[day]!);
  });

  const alerts = async () =>
    (await absenceAlerts(db(), { classIds: [classId], today: TODAY })).get(classId) ?? [];

  it('alerts nobody after one lesson missed (N − 1), and tells nobody', async () => {
    await mark(l[1]!, 'noshow', [a, gone]);
    await mark(l[1]!, 'checked', [b, c]);
    expect(await alerts()).toEqual([]);
    expect(await homeAlerts('tutor', classId)).toEqual([]);
    expect(await told()).toEqual([]);
  });

  it('alerts after N lessons missed, and tells the tutor exactly once', async () => {
    // A student who left the class is no alert, whatever their record.
    await db()
      .update(studentClasses)
      .set({ status: 'withdrawn' })
      .where(and(eq(studentClasses.studentId, gone), eq(studentClasses.classId, classId)));
    await mark(l[2]!, 'noshow', [a, b, gone]);
    await mark(l[2]!, 'checked', [c]);
    const expected = [{ student: { id: a, name: '学员A' }, lessons: 2, since: since(l[1]!, 1, dates[1]!) }];
    expect(await alerts()).toEqual(expected);
    expect(await homeAlerts('tutor', classId)).toEqual(expected);
    // The teacher's home page shows it too.
    expect(await homeAlerts('teacher', classId)).toEqual(expected);
    expect(await told()).toEqual([
      {
        userId: id.tutor,
        key: `absence_streak:${a}:${classId}:${l[1]}`,
        payload: {
          studentId: a,
          studentName: '学员A',
          classId,
          className: expect.stringMatching(/ \(9期\)$/),
          classNameEn: expect.stringMatching(/ \(term 9\)$/),
          lessons: 2,
          sinceDate: dates[1],
        },
      },
    ]);
  });

  it('keeps a streak that goes on as one, longer, told no more', async () => {
    await mark(l[3]!, 'noshow', [a]);
    await mark(l[3]!, 'vacate', [b]);
    await mark(l[3]!, 'late', [c]);
    expect(await alerts()).toEqual([
      { student: { id: a, name: '学员A' }, lessons: 3, since: since(l[1]!, 1, dates[1]!) },
    ]);
    // Marking the same again (or anyone else) tells nobody again.
    await mark(l[3]!, 'noshow', [a]);
    expect((await told()).map((n) => n.key)).toEqual([`absence_streak:${a}:${classId}:${l[1]}`]);
  });

  it('neither counts nor breaks a streak on 请假', async () => {
    // B: checked, noshow, vacate, noshow → 2 in a row, since lesson 2.
    await mark(l[4]!, 'noshow', [b]);
    await mark(l[4]!, 'checked', [c]);
    const bAlert = { student: { id: b, name: '学员B' }, lessons: 2, since: since(l[2]!, 2, dates[2]!) };
    // A (3 lessons, vacate at lesson 4 changes nothing) first, then B.
    await mark(l[4]!, 'vacate', [a]);
    expect(await alerts()).toEqual([
      { student: { id: a, name: '学员A' }, lessons: 3, since: since(l[1]!, 1, dates[1]!) },
      bAlert,
    ]);
    expect((await told()).map((n) => [n.userId, n.key, (n.payload as { lessons: number }).lessons])).toEqual([
      [id.tutor, `absence_streak:${a}:${classId}:${l[1]}`, 2],
      [id.tutor, `absence_streak:${b}:${classId}:${l[2]}`, 2],
    ]);
  });

  it('ends a streak when the student attends again', async () => {
    await mark(l[5]!, 'checked', [a]);
    await mark(l[5]!, 'leave_early', [b]);
    await mark(l[5]!, 'checked', [c]);
    expect(await alerts()).toEqual([]);
    expect(await homeAlerts('tutor', classId)).toEqual([]);
    expect(await told()).toHaveLength(2);
  });

  it('skips a lesson nobody marked, and a lesson still to come', async () => {
    await mark(l[6]!, 'noshow', [a]);
    await mark(l[6]!, 'checked', [b, c]);
    // Lesson 7 is never marked: its records are as they were made (已签到 by default), not walked.
    // Lesson 9 is tomorrow: a mark on it (made early by mistake) is not walked either.
    await mark(l[9]!, 'noshow', [c]);
    expect(await alerts()).toEqual([]);
    await mark(l[8]!, 'noshow', [a, b]);
    await mark(l[8]!, 'checked', [c]);
    const streak = { student: { id: a, name: '学员A' }, lessons: 2, since: since(l[6]!, 6, dates[6]!) };
    expect(await alerts()).toEqual([streak]);
    expect(await homeAlerts('tutor', classId)).toEqual([streak]);
  });

  it('tells of a new streak after the student came back', async () => {
    expect((await told()).map((n) => n.key)).toEqual([
      `absence_streak:${a}:${classId}:${l[1]}`,
      `absence_streak:${b}:${classId}:${l[2]}`,
      `absence_streak:${a}:${classId}:${l[6]}`,
    ]);
    expect((await told())[2]!.payload).toMatchObject({ lessons: 2, sinceDate: dates[6] });
  });

  it('follows the setting: at 3 a streak of 2 is no alert, and is not told', async () => {
    await api('manager', 'PUT', '/api/settings/teaching', { absenceStreakLessons: 3 });
    expect(await alerts()).toEqual([]);
    expect(await homeAlerts('tutor', classId)).toEqual([]);
    // The next day lesson 9 is held: A misses a third lesson, B a second.
    setClock(new Date('2026-03-11T04:00:00.000Z'));
    await mark(l[9]!, 'noshow', [a, b]);
    await mark(l[9]!, 'checked', [c]);
    const threeOfA = { student: { id: a, name: '学员A' }, lessons: 3, since: since(l[6]!, 6, dates[6]!) };
    expect(await absenceAlerts(db(), { classIds: [classId], today: '2026-03-11' })).toEqual(
      new Map([[classId, [threeOfA]]]),
    );
    expect(await homeAlerts('tutor', classId)).toEqual([threeOfA]);
    // A's streak, told at 2, is not told again at 3; B's 2 lessons are not told at 3.
    expect(await told()).toHaveLength(3);
    // Back at 2, B's 2 lessons are an alert again, after A's 3.
    await api('manager', 'PUT', '/api/settings/teaching', { absenceStreakLessons: 2 });
    expect((await absenceAlerts(db(), { classIds: [classId], today: '2026-03-11' })).get(classId)).toEqual([
      threeOfA,
      { student: { id: b, name: '学员B' }, lessons: 2, since: since(l[8]!, 8, dates[8]!) },
    ]);
    setClock(NOW);
  });
});

describe('a class without a tutor', () => {
  it('tells each of its teachers, and a change of one record (PATCH) tells too', async () => {
    const other = await makeUser(db(), { codes: ['class.list', 'study_record.list', 'study_record.update'] });
    const made = await makeClass(db(), { teacherIds: [id.teacher!, other.id] });
    const student = await makeStudent(made.id, '学员E');
    const first = await lesson(made.id, 1, '2026-03-05');
    const second = await lesson(made.id, 2, '2026-03-06');
    const recordOf = async (lessonId: number) =>
      (
        await db()
          .select({ id: studyRecords.id })
          .from(studyRecords)
          .where(eq(studyRecords.courseRecordId, lessonId))
      )[0]!.id;
    const before = (await told()).length;
    const patch = (lessonId: number, body: object) =>
      recordOf(lessonId).then((r) => api('teacher', 'PATCH', `/api/study-records/${r}`, body));
    expect((await patch(first, { attendance: 'noshow' })).statusCode).toBe(200);
    // A note alone changes no attendance: nothing to tell.
    expect((await patch(second, { note: '电话未接' })).statusCode).toBe(200);
    expect(await told()).toHaveLength(before);
    expect((await patch(second, { attendance: 'noshow' })).statusCode).toBe(200);
    const key = `absence_streak:${student}:${made.id}:${first}`;
    expect((await told()).slice(before).map((n) => [n.userId, n.key])).toEqual(
      [id.teacher!, other.id].sort((x, y) => x - y).map((teacher) => [teacher, `${key}:${teacher}`]),
    );
    // Attending again through PATCH ends it.
    expect((await patch(second, { attendance: 'late' })).statusCode).toBe(200);
    expect((await absenceAlerts(db(), { classIds: [made.id], today: TODAY })).size).toBe(0);
  });
});

describe('the streak rule and its SQL twin', () => {
  it('counts 缺勤 since the last lesson attended, stepping over 请假', () => {
    const walk = (codes: Attendance[]) =>
      currentStreak(codes.map((attendance, i) => ({ attendance, lesson: i + 1 })));
    expect(walk([])).toBeNull();
    expect(walk(['noshow'])).toEqual({ lessons: 1, since: 1 });
    expect(walk(['noshow', 'vacate', 'noshow'])).toEqual({ lessons: 2, since: 1 });
    expect(walk(['vacate', 'noshow', 'noshow'])).toEqual({ lessons: 2, since: 2 });
    expect(walk(['noshow', 'late', 'noshow'])).toEqual({ lessons: 1, since: 3 });
    expect(walk(['noshow', 'noshow', 'leave_early'])).toBeNull();
    expect(walk(['noshow', 'noshow', 'vacate'])).toEqual({ lessons: 2, since: 1 });
  });

  it('agree on random terms: lessons out of order, some unmarked, some to come', async () => {
    const made = await makeClass(db(), {});
    const names = ['学员1', '学员2', '学员3', '学员4'];
    const studentIds: number[] = [];
    for (const name of names) studentIds.push(await makeStudent(made.id, name));
    // Lesson numbers and dates disagree on purpose (a lesson moved), two share a date, one is to come.
    const layout: [number, string][] = [
      [1, '2026-03-02'],
      [2, '2026-03-04'],
      [3, '2026-03-03'],
      [4, '2026-03-05'],
      [5, '2026-03-05'],
      [6, '2026-03-08'],
      [7, '2026-03-12'],
    ];
    const lessons: { id: number; dayNum: number; date: string }[] = [];
    for (const [dayNum, date] of layout)
      lessons.push({ id: await lesson(made.id, dayNum, date), dayNum, date });
    const code = fc.constantFrom<Attendance>('checked', 'noshow', 'noshow', 'vacate', 'late', 'leave_early');
    const term = fc.array(
      fc.record({ marked: fc.boolean(), codes: fc.array(code, { minLength: 4, maxLength: 4 }) }),
      { minLength: lessons.length, maxLength: lessons.length },
    );
    await fc.assert(
      fc.asyncProperty(term, async (sample) => {
        // Every record back to as it was made, then the marked lessons as sampled.
        await queryRows(
          db(),
          sql`update study_records set attendance = 'checked', updated_at = created_at
              where course_record_id in (select id from course_records where class_id = ${made.id})`,
        );
        for (const [i, taught] of sample.entries()) {
          if (!taught.marked) continue;
          for (const [k, attendance] of taught.codes.entries()) {
            await db()
              .update(studyRecords)
              .set({ attendance, updatedAt: NOW })
              .where(
                and(
                  eq(studyRecords.courseRecordId, lessons[i]!.id),
                  eq(studyRecords.studentId, studentIds[k]!),
                ),
              );
          }
        }
        const walked = lessons
          .map((lesson, i) => ({ ...lesson, ...sample[i]! }))
          .filter((lesson) => lesson.marked && lesson.date <= TODAY)
          .sort((x, y) => x.date.localeCompare(y.date) || x.dayNum - y.dayNum);
        const expected = studentIds
          .map((studentId, k) => {
            const streak = currentStreak(walked.map((w) => ({ attendance: w.codes[k]!, lesson: w })));
            return streak
              ? {
                  student: { id: studentId, name: names[k]! },
                  lessons: streak.lessons,
                  since: {
                    courseRecordId: streak.since.id,
                    dayNum: streak.since.dayNum,
                    date: streak.since.date,
                  },
                }
              : null;
          })
          .filter((alert) => alert !== null)
          .sort((x, y) => y.lessons - x.lessons || x.student.name.localeCompare(y.student.name));
        for (const threshold of [1, 2, 3]) {
          const got = (await absenceAlerts(db(), { classIds: [made.id], today: TODAY, threshold })).get(
            made.id,
          );
          expect(got ?? []).toEqual(expected.filter((alert) => alert.lessons >= threshold));
        }
      }),
      { numRuns: 25 },
    );
    await db().delete(courseRecords).where(eq(courseRecords.classId, made.id));
  });
});
