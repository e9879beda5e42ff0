import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { auditLog, classTeachers, courseRecords, studyRecords } from '../server/db/schema/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { userIdOf } from './factories.ts';

/**
 * The score sheet (录成绩): `PUT /api/course-records/:id/scores` saves a lesson's grades and
 * homework notes at once — only that lesson's study records, only the list's grades, only those two
 * fields — and a bad row is named while nothing at all is saved.
 */
const PASSWORD = 'scores-password';
const DEMO_AT = new Date('2026-03-02T04:00:00.000Z');
let t: TestApp;
const s: Record<string, Session> = {};
const db = () => t.database.db;
const save = (who: string, lessonId: number, body: unknown) =>
  call(t.app, s[who]!, 'PUT', `/api/course-records/${lessonId}/scores`, body as object);

let lesson: number;
let otherLesson: number;
let strangersLesson: number;
let records: { id: number; score: number; homeworkNote: string; note: string }[];

const recordsOf = (lessonId: number) =>
  db()
    .select({
      id: studyRecords.id,
      score: studyRecords.score,
      homeworkNote: studyRecords.homeworkNote,
      note: studyRecords.note,
    })
    .from(studyRecords)
    .where(eq(studyRecords.courseRecordId, lessonId))
    .orderBy(asc(studyRecords.id));

beforeAll(async () => {
  t = await buildTestApp({ timezone: 'Asia/Shanghai' });
  setClock(DEMO_AT);
  await seedDemo(db(), { password: PASSWORD, at: DEMO_AT });
  for (const who of ['teacher', 'finance', 'admin']) s[who] = await signIn(t.app, who, PASSWORD);
  const taught = (
    await db()
      .select({ classId: classTeachers.classId })
      .from(classTeachers)
      .where(eq(classTeachers.teacherId, await userIdOf(db(), 'teacher')))
  ).map((row) => row.classId);
  const mine = await db()
    .select({ id: courseRecords.id })
    .from(courseRecords)
    .where(inArray(courseRecords.classId, taught))
    .orderBy(asc(courseRecords.id));
  [lesson, otherLesson] = [mine[0]!.id, mine[1]!.id];
  const [theirs] = await db()
    .select({ id: courseRecords.id })
    .from(courseRecords)
    .where(notInArray(courseRecords.classId, taught))
    .limit(1);
  strangersLesson = theirs!.id;
  records = await recordsOf(lesson);
});
afterAll(async () => {
  setClock(null);
  await t?.close();
});

const refusedAndUnchanged = async (response: { statusCode: number; json(): unknown }, status = 400) => {
  expect(response.statusCode).toBe(status);
  expect(await recordsOf(lesson)).toEqual(records);
};

describe('the score sheet', () => {
  it('saves every student of a lesson in one request, audited', async () => {
    expect(records.length).toBeGreaterThan(2);
    const sheet = records.map((record, i) => ({
      studyRecordId: record.id,
      score: ([100, 85, -100, -1] as const)[i % 4],
      homeworkNote: `第${i + 1}份作业`,
    }));
    const response = await save('teacher', lesson, { scores: sheet });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ saved: records.length });
    const after = await recordsOf(lesson);
    expect(after.map((r) => [r.id, r.score, r.homeworkNote])).toEqual(
      sheet.map((row) => [row.studyRecordId, row.score, row.homeworkNote]),
    );
    // Nothing but the score and the homework note changed.
    expect(after.map((r) => r.note)).toEqual(records.map((r) => r.note));
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'scores'), eq(auditLog.entityId, lesson)));
    expect(audit).toMatchObject({ entity: 'course-records', after: { scores: sheet } });
    records = after;
  });

  it('refuses a grade outside the list, naming the row, and saves nothing', async () => {
    const sheet = records.map((record) => ({ studyRecordId: record.id, score: 90, homeworkNote: '' }));
    sheet[1] = { ...sheet[1]!, score: 55 };
    const response = await save('teacher', lesson, { scores: sheet });
    await refusedAndUnchanged(response);
    expect((response.json() as { details: unknown[] }).details).toEqual([
      expect.objectContaining({ field: 'scores.1.score', code: 'not_allowed' }),
    ]);
  });

  it('writes no other field of the record (mass assignment)', async () => {
    const sheet = records.map((record) => ({ studyRecordId: record.id, score: 90, homeworkNote: '' }));
    const response = await save('teacher', lesson, {
      scores: [...sheet.slice(1), { ...sheet[0], note: 'overwritten', attendance: 'noshow' }],
    });
    await refusedAndUnchanged(response);
  });

  it('refuses a study record of another lesson, naming the row', async () => {
    const [foreign] = await recordsOf(otherLesson);
    const sheet = records.map((record) => ({ studyRecordId: record.id, score: 90, homeworkNote: '' }));
    const response = await save('teacher', lesson, {
      scores: [...sheet, { studyRecordId: foreign!.id, score: 90, homeworkNote: '' }],
    });
    await refusedAndUnchanged(response);
    const body = response.json() as { error: string; details: { field: string; code: string }[] };
    expect(body.error).toBe('validation');
    expect(body.details).toEqual([
      expect.objectContaining({ field: `scores[${sheet.length}].studyRecordId`, code: 'not_in_lesson' }),
    ]);
    expect((await recordsOf(otherLesson))[0]).toEqual(foreign);
  });

  it('refuses a record listed twice, an empty sheet and ten thousand rows', async () => {
    const row = { studyRecordId: records[0]!.id, score: 90, homeworkNote: '' };
    const twice = await save('teacher', lesson, { scores: [row, { ...row, score: 80 }] });
    await refusedAndUnchanged(twice);
    expect((twice.json() as { details: unknown[] }).details).toEqual([
      expect.objectContaining({ field: 'scores[1].studyRecordId', code: 'repeated' }),
    ]);
    await refusedAndUnchanged(await save('teacher', lesson, { scores: [] }));
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      studyRecordId: i + 1,
      score: 90,
      homeworkNote: '',
    }));
    await refusedAndUnchanged(await save('teacher', lesson, { scores: many }));
  });

  it('answers 404 for a lesson of a class one does not teach, 403 without the permission', async () => {
    const [theirs] = await recordsOf(strangersLesson);
    const sheet = [{ studyRecordId: theirs!.id, score: 90, homeworkNote: '' }];
    expect((await save('teacher', strangersLesson, { scores: sheet })).statusCode).toBe(404);
    expect((await recordsOf(strangersLesson))[0]).toEqual(theirs);
    expect((await save('finance', lesson, { scores: sheet })).statusCode).toBe(403);
    // A manager of every class may save any lesson's sheet.
    expect((await save('admin', strangersLesson, { scores: sheet })).statusCode).toBe(200);
  });
});
