import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import {
  classes,
  classTeachers,
  courseRecords,
  courses,
  studentClasses,
  studyRecords,
} from '../server/db/schema/index.ts';
import { absenceAlerts } from '../server/modules/lessons/absence.ts';
import {
  isToMark,
  looksRecorded,
  type MyClass,
  recordedSql,
  type StudyRecordState,
} from '../server/modules/lessons/my-classes.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeLesson, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * The home page of a teacher or a tutor (`classes` in GET /api/dashboard): their classes only, each
 * with its students, their part in it, the lessons held and still to mark, and the next lesson.
 * The demo school is planted at DEMO_AT (noon of 2 March 2026 in Shanghai): every demo lesson has
 * been held and marked by then, none is to come.
 */
const PASSWORD = 'teaching-password';
const DEMO_AT = new Date('2026-03-02T04:00:00.000Z');
const TODAY = '2026-03-02';
const TOMORROW = '2026-03-03';
let t: TestApp;
const s: Record<string, Session> = {};
const db = () => t.database.db;
const api = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object) =>
  call(t.app, s[who]!, method, url, body);
const classesOf = async (who: string): Promise<MyClass[] | undefined> =>
  (await api(who, 'GET', '/api/dashboard')).json().classes;
const classNamed = async (who: string, label: string) =>
  (await classesOf(who))?.find((c) => c.label === label);

const classId: Record<string, number> = {};
/** The class's absence alerts today, as test/absence.test.ts holds them to the rule. */
const alertsOf = async (id: number) =>
  (await absenceAlerts(db(), { classIds: [id], today: TODAY })).get(id) ?? [];
async function activeStudents(id: number): Promise<number> {
  const rows = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(studentClasses)
    .where(and(eq(studentClasses.classId, id), eq(studentClasses.status, 'active')));
  return rows[0]!.n;
}

beforeAll(async () => {
  t = await buildTestApp({ timezone: 'Asia/Shanghai' });
  await seedDemo(db(), { password: PASSWORD, at: DEMO_AT });
  for (const who of ['admin', 'manager', 'sanjiang', 'teacher', 'tutor']) {
    s[who] = await signIn(t.app, who, PASSWORD);
  }
  const rows = await db()
    .select({ id: classes.id, course: courses.name })
    .from(classes)
    .innerJoin(courses, eq(courses.id, classes.courseId));
  for (const row of rows) classId[row.course] = row.id;
});
afterEach(() => setClock(null));
afterAll(async () => t?.close());

describe("a teacher's and a tutor's classes", () => {
  it('lists the classes each teaches or tutors, and nobody else’s', async () => {
    setClock(DEMO_AT);
    const python = classId.Python全栈!;
    const linux = classId.Linux运维!;
    // The teacher teaches two of the three demo classes, newest first; nothing is left to mark.
    expect(await classesOf('teacher')).toEqual([
      {
        id: linux,
        label: 'Linux运维 (3期)',
        roles: ['teacher'],
        students: await activeStudents(linux),
        toMark: 0,
        lessonToMark: null,
        nextLesson: null,
        alerts: await alertsOf(linux),
      },
      {
        id: python,
        label: 'Python全栈 (9期)',
        roles: ['teacher'],
        students: await activeStudents(python),
        toMark: 0,
        lessonToMark: null,
        nextLesson: null,
        alerts: await alertsOf(python),
      },
    ]);
    expect(await activeStudents(python)).toBeGreaterThan(5);
    // The tutor looks after one of them.
    expect((await classesOf('tutor'))?.map((c) => [c.label, c.roles])).toEqual([
      ['Python全栈 (9期)', ['tutor']],
    ]);
    // Sales staff and the administrator (who sees every class but teaches none) get no classes.
    for (const who of ['manager', 'sanjiang', 'admin']) expect(await classesOf(who), who).toBeUndefined();

    // A teacher without a class yet gets an empty list (the page says so).
    const fresh = await makeUser(db(), { codes: ['course_record.list', 'study_record.list'] });
    s.fresh = await signIn(t.app, fresh.username, TEST_PASSWORD);
    expect(await classesOf('fresh')).toEqual([]);

    // Whoever both teaches and tutors a class has both parts in it.
    const frontEnd = classId.前端开发!;
    await db().insert(classTeachers).values({ classId: frontEnd, teacherId: fresh.id });
    await db().update(classes).set({ tutorId: fresh.id }).where(eq(classes.id, frontEnd));
    expect((await classesOf('fresh'))?.map((c) => [c.label, c.roles])).toEqual([
      ['前端开发 (5期)', ['teacher', 'tutor']],
    ]);
    expect((await classesOf('teacher'))?.map((c) => c.label)).not.toContain('前端开发 (5期)');
  });

  it('counts a lesson held and never marked as to mark, and forgets it once marked', async () => {
    setClock(DEMO_AT);
    const python = classId.Python全栈!;
    const created = async (dayNum: number, date: string) => {
      const response = await api('teacher', 'POST', '/api/course-records', {
        classId: python,
        dayNum,
        date,
        title: `第${dayNum}天：复习`,
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as number;
    };
    const today = await created(11, TODAY);
    const tomorrow = await created(12, TOMORROW);
    const students = await activeStudents(python);
    const lesson = (id: number, dayNum: number, date: string) => ({
      id,
      dayNum,
      date,
      title: `第${dayNum}天：复习`,
      studyRecords: students,
    });

    // Today's lesson has been held (today counts); tomorrow's is the next one.
    const before = await classNamed('teacher', 'Python全栈 (9期)');
    expect(before).toMatchObject({
      toMark: 1,
      lessonToMark: lesson(today, 11, TODAY),
      nextLesson: lesson(tomorrow, 12, TOMORROW),
    });
    // The tutor of the class sees the same lesson to mark.
    expect((await classNamed('tutor', 'Python全栈 (9期)'))?.lessonToMark?.id).toBe(today);

    // One student marked late: the lesson has been marked.
    const records = async (id: number) =>
      (await api('teacher', 'GET', `/api/study-records?courseRecordId=${id}&pageSize=200`)).json().items as {
        id: number;
      }[];
    const firstOfToday = (await records(today)).slice(0, 1).map((r) => r.id);
    await api('teacher', 'POST', '/api/study-records/actions/mark-late', { ids: firstOfToday });
    expect(await classNamed('teacher', 'Python全栈 (9期)')).toMatchObject({
      toMark: 0,
      lessonToMark: null,
      nextLesson: { id: tomorrow },
    });

    // The next day the second lesson is held: to mark, and nothing is to come.
    const nextDay = addDays(DEMO_AT, 1);
    setClock(nextDay);
    expect(await classNamed('teacher', 'Python全栈 (9期)')).toMatchObject({
      toMark: 1,
      lessonToMark: { id: tomorrow },
      nextLesson: null,
    });
    // Everyone present and nobody scored is still marking, once saved: the values stay the defaults.
    setClock(new Date(nextDay.getTime() + 60_000));
    const all = (await records(tomorrow)).map((r) => r.id);
    const marked = await api('teacher', 'POST', '/api/study-records/actions/mark-checked', { ids: all });
    expect(marked.json().affected).toBe(students);
    expect((await classNamed('teacher', 'Python全栈 (9期)'))?.toMark).toBe(0);

    // A held lesson without study records (its students joined later) is to mark.
    const bare = await created(13, TOMORROW);
    await db().delete(studyRecords).where(eq(studyRecords.courseRecordId, bare));
    expect(await classNamed('teacher', 'Python全栈 (9期)')).toMatchObject({
      toMark: 1,
      lessonToMark: { id: bare, studyRecords: 0 },
    });
    await db()
      .delete(courseRecords)
      .where(inArray(courseRecords.id, [today, tomorrow, bare]));
  });

  it('leaves out a class that has graduated, unless a lesson of it is still to mark', async () => {
    const python = classId.Python全栈!;
    const [row] = await db().select().from(classes).where(eq(classes.id, python));
    const after = new Date(`${addDaysToDate(row!.graduateDate!, 3)}T04:00:00.000Z`);
    setClock(after);
    expect((await classesOf('tutor'))?.map((c) => c.label)).toEqual([]);

    const lesson = await api('teacher', 'POST', '/api/course-records', {
      classId: python,
      dayNum: 40,
      date: row!.graduateDate,
      title: '结业考试',
    });
    expect(lesson.statusCode).toBe(201);
    expect(await classNamed('tutor', 'Python全栈 (9期)')).toMatchObject({
      toMark: 1,
      lessonToMark: { id: lesson.json().id, title: '结业考试' },
    });
    await db().delete(courseRecords).where(eq(courseRecords.id, lesson.json().id));
  });
});

describe('whether a lesson is to mark', () => {
  it('is a lesson held by today, with no record marked, or none while its class has students', () => {
    const lesson = { date: TODAY, studyRecords: 5, recorded: false };
    expect(isToMark(lesson, TODAY, 5)).toBe(true);
    expect(isToMark({ ...lesson, date: '2026-02-27' }, TODAY, 5)).toBe(true);
    expect(isToMark({ ...lesson, date: TOMORROW }, TODAY, 5)).toBe(false);
    expect(isToMark({ ...lesson, recorded: true }, TODAY, 5)).toBe(false);
    expect(isToMark({ ...lesson, studyRecords: 0 }, TODAY, 5)).toBe(true);
    expect(isToMark({ ...lesson, studyRecords: 0 }, TODAY, 0)).toBe(false);
  });
});

describe('whether a study record looks recorded', () => {
  it('is decided alike by the rule and its SQL twin', async () => {
    const [lesson] = await db()
      .select({ id: courseRecords.id, classId: courseRecords.classId })
      .from(courseRecords)
      .limit(1);
    const created = new Date('2026-05-01T00:00:00.000Z');
    const later = new Date('2026-05-01T00:00:01.000Z');
    const variants: Omit<StudyRecordState, 'createdAt'>[] = [
      { attendance: 'checked', score: -1, homeworkNote: '', note: '', updatedAt: created },
      { attendance: 'checked', score: -1, homeworkNote: '', note: '', updatedAt: later },
      { attendance: 'late', score: -1, homeworkNote: '', note: '', updatedAt: created },
      { attendance: 'checked', score: 85, homeworkNote: '', note: '', updatedAt: created },
      { attendance: 'checked', score: -1000, homeworkNote: '', note: '', updatedAt: created },
      { attendance: 'checked', score: -1, homeworkNote: '作业已交', note: '', updatedAt: created },
      { attendance: 'checked', score: -1, homeworkNote: '', note: '病假', updatedAt: created },
      { attendance: 'vacate', score: 0, homeworkNote: '', note: '', updatedAt: later },
    ];
    // A lesson of its own, so the demo's records stay as they are; its students' records, created
    // with it, then left as each variant.
    const own = await makeLesson(db(), {
      classId: lesson!.classId,
      dayNum: 77,
      date: '2026-05-01',
      at: created,
    });
    const initialised = await db()
      .select({ id: studyRecords.id })
      .from(studyRecords)
      .where(eq(studyRecords.courseRecordId, own.id))
      .orderBy(studyRecords.id);
    expect(initialised.length).toBeGreaterThanOrEqual(variants.length);
    for (const [i, variant] of variants.entries()) {
      await db().update(studyRecords).set(variant).where(eq(studyRecords.id, initialised[i]!.id));
    }
    const rows = await db().select().from(studyRecords).where(eq(studyRecords.courseRecordId, own.id));
    const bySql = await queryRows<{ id: number; recorded: boolean }>(
      db(),
      sql`select ${studyRecords.id} as id, ${recordedSql} as recorded from ${studyRecords}
        where ${studyRecords.courseRecordId} = ${own.id}`,
    );
    const sqlSays = new Map(bySql.map((r) => [r.id, r.recorded]));
    for (const row of rows) expect(sqlSays.get(row.id), JSON.stringify(row)).toBe(looksRecorded(row));
    expect(rows.filter(looksRecorded)).toHaveLength(variants.length - 1);
    await db().delete(courseRecords).where(eq(courseRecords.id, own.id));
  });
});

function addDaysToDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
