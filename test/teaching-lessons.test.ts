import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { studentClasses, students, studyRecords } from '../server/db/schema/index.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeClass, makeCustomer, makeLesson, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Lessons and their study records as teachers use them (docs/spec.md §5): initialising adds exactly
 * the students who have none yet and says how many, and a stand-in who gave a lesson of a class they
 * do not teach marks that lesson and nothing else of the class.
 */
const AT = new Date('2026-11-02T02:00:00.000Z');
let t: TestApp;
const db = () => t.database.db;
const s: Record<string, Session> = {};
let classId: number;

const TEACHING = [
  'class.list',
  'student.list',
  'course_record.list',
  'course_record.create',
  'course_record.update',
  'study_record.list',
  'study_record.update',
] as const;

/** A student in the class, enrolled as 在读 unless `status` says otherwise. */
async function joinClass(name: string, status: 'active' | 'withdrawn' = 'active'): Promise<number> {
  const customer = await makeCustomer(db(), { name, status: 'enrolled' });
  const [student] = await db().insert(students).values({ customerId: customer.id }).returning();
  await db().insert(studentClasses).values({ studentId: student!.id, classId, status });
  return student!.id;
}

const recordsOf = (lessonId: number) =>
  db()
    .select({ studentId: studyRecords.studentId })
    .from(studyRecords)
    .where(eq(studyRecords.courseRecordId, lessonId));

beforeAll(async () => {
  t = await buildTestApp();
  setClock(AT);
  const teacher = await makeUser(db(), { username: 'lessons_teacher', codes: [...TEACHING] });
  const standIn = await makeUser(db(), { username: 'lessons_stand_in', codes: [...TEACHING] });
  classId = (await makeClass(db(), { teacherIds: [teacher.id] })).id;
  s.teacher = await signIn(t.app, 'lessons_teacher', TEST_PASSWORD);
  s.standIn = await signIn(t.app, 'lessons_stand_in', TEST_PASSWORD);
  s.standIn.userId = standIn.id;
});
afterAll(async () => {
  setClock(null);
  await t?.close();
});

describe('initialising study records', () => {
  it('adds a row for each active student without one, says how many, and adds none twice', async () => {
    await joinClass('早到甲');
    await joinClass('早到乙');
    await joinClass('已退学丙', 'withdrawn');
    const created = await call(t.app, s.teacher!, 'POST', '/api/course-records', {
      classId,
      dayNum: 1,
      date: '2026-11-02',
      title: '开班',
    });
    expect(created.statusCode).toBe(201);
    const lesson = created.json().id as number;
    expect(await recordsOf(lesson)).toHaveLength(2);

    const init = () =>
      call(t.app, s.teacher!, 'POST', '/api/course-records/actions/init-study-records', { ids: [lesson] });
    expect((await init()).json()).toEqual({ ok: true, affected: 0, created: 0 });
    expect((await init()).json()).toEqual({ ok: true, affected: 0, created: 0 });

    const late = await joinClass('插班丁');
    expect((await init()).json()).toEqual({ ok: true, affected: 1, created: 1 });
    const after = await recordsOf(lesson);
    expect(after).toHaveLength(3);
    expect(after.filter((r) => r.studentId === late)).toHaveLength(1);
    expect((await init()).json()).toEqual({ ok: true, affected: 0, created: 0 });
  });

  it('refuses a lesson of a class one does not teach, adding nothing', async () => {
    const other = await makeClass(db());
    const lesson = await makeLesson(db(), { classId: other.id, dayNum: 1 });
    const refused = await call(t.app, s.teacher!, 'POST', '/api/course-records/actions/init-study-records', {
      ids: [lesson.id],
    });
    expect(refused.statusCode).toBe(404);
  });
});

describe('a stand-in teacher', () => {
  it('marks the lesson they gave, and nothing else of a class they do not teach', async () => {
    const given = await makeLesson(db(), {
      classId,
      dayNum: 7,
      date: '2026-11-01',
      teacherId: s.standIn!.userId,
    });
    const other = await makeLesson(db(), { classId, dayNum: 8, date: '2026-11-02' });
    const [record] = await db()
      .select({ id: studyRecords.id })
      .from(studyRecords)
      .where(eq(studyRecords.courseRecordId, given.id))
      .limit(1);

    const lessons = (await call(t.app, s.standIn!, 'GET', '/api/course-records')).json();
    expect(lessons.items.map((l: { id: number }) => l.id)).toEqual([given.id]);
    const marked = await call(t.app, s.standIn!, 'POST', '/api/study-records/actions/mark-noshow', {
      ids: [record!.id],
    });
    expect(marked.json()).toEqual({ ok: true, affected: 1 });
    const scored = await call(t.app, s.standIn!, 'PUT', `/api/course-records/${given.id}/scores`, {
      scores: [{ studyRecordId: record!.id, score: 90, homeworkNote: '代课老师批改' }],
    });
    expect(scored.json()).toEqual({ saved: 1 });
    const [saved] = await db().select().from(studyRecords).where(eq(studyRecords.id, record!.id));
    expect(saved).toMatchObject({ attendance: 'noshow', score: 90, homeworkNote: '代课老师批改' });

    // The class and its other lessons stay closed, as to anyone outside it.
    expect((await call(t.app, s.standIn!, 'GET', `/api/classes/${classId}`)).statusCode).toBe(404);
    expect((await call(t.app, s.standIn!, 'GET', `/api/course-records/${other.id}`)).statusCode).toBe(404);
    const [otherRecord] = await db()
      .select({ id: studyRecords.id })
      .from(studyRecords)
      .where(eq(studyRecords.courseRecordId, other.id))
      .limit(1);
    expect(
      (
        await call(t.app, s.standIn!, 'POST', '/api/study-records/actions/mark-noshow', {
          ids: [otherRecord!.id],
        })
      ).statusCode,
    ).toBe(404);
    const untouched = await db()
      .select({ attendance: studyRecords.attendance })
      .from(studyRecords)
      .where(and(eq(studyRecords.courseRecordId, other.id), sql`attendance <> 'checked'`));
    expect(untouched).toEqual([]);
  });
});
