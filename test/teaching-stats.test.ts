import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PermissionCode } from '../server/auth/catalogue.ts';
import { courses, studentClasses, students, studyRecords } from '../server/db/schema/index.ts';
import { attendanceRate, averageOf } from '../server/modules/classes/stats.ts';
import { scoreLabel } from '../server/modules/students/score-chart.ts';
import { demoRoleGrants } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeClass, makeCustomer, makeLesson, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * The figures behind the teaching charts: `GET /api/classes/:id/stats` (a class's lessons with their
 * attendance and average score, and the class's own) and `GET /api/students/:id/score-chart` (a
 * student's scores lesson by lesson). One class is built by hand, marked through the API as its
 * teacher would mark it, and every figure is checked against arithmetic written out below.
 */
let t: TestApp;
const s: Record<string, Session> = {};
const db = () => t.database.db;
const get = (who: string, url: string) => call(t.app, s[who]!, 'GET', url);
const post = async (who: string, url: string, body: object) => {
  const response = await call(t.app, s[who]!, 'POST', url, body);
  expect(response.statusCode, response.body).toBe(200);
};
const put = async (who: string, url: string, body: object) => {
  const response = await call(t.app, s[who]!, 'PUT', url, body);
  expect(response.statusCode, response.body).toBe(200);
};

// Lessons are created (and their study records stamped) before anyone marks them, so that a save
// with the values unchanged still reads as marked (its updated_at moves past created_at).
const CREATED = new Date('2026-03-01T00:00:00.000Z');

let teacher: { id: number; name: string };
let classA: { id: number; name: string; nameEn: string };
let classB: { id: number; name: string; nameEn: string };
let classC: number;
/** Students by name: ann withdrew after lesson 2; ben also studies in class B. */
const st: Record<'ann' | 'ben' | 'cai' | 'dan', number> = { ann: 0, ben: 0, cai: 0, dan: 0 };
const lesson: Record<1 | 2 | 3 | 4 | 5, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
let lessonB: number;

const user = async (who: string, name: string, codes: readonly PermissionCode[]) => {
  const made = await makeUser(db(), { name, codes: [...codes] });
  s[who] = await signIn(t.app, made.username, TEST_PASSWORD);
  return { id: made.id, name };
};

/** A class with a course of its own, named as the school names it. */
async function classOf(options: Parameters<typeof makeClass>[1]) {
  const row = await makeClass(db(), options);
  const [course] = await db().select().from(courses).where(eq(courses.id, row.courseId));
  return {
    id: row.id,
    name: `${course!.name} (${row.semester}期)`,
    nameEn: `${course!.name} (term ${row.semester})`,
  };
}

/** A student (a customer who paid) in the class, as enrolment leaves them. */
async function enrol(name: string, classId: number, studentId?: number) {
  let id = studentId;
  if (id === undefined) {
    const customer = await makeCustomer(db(), { name, status: 'enrolled' });
    id = (await db().insert(students).values({ customerId: customer.id }).returning())[0]!.id;
  }
  await db().insert(studentClasses).values({ studentId: id, classId });
  return id;
}

/** The study record of a student at a lesson. */
async function recordOf(lessonId: number, studentId: number): Promise<number> {
  const [row] = await db()
    .select({ id: studyRecords.id })
    .from(studyRecords)
    .where(and(eq(studyRecords.courseRecordId, lessonId), eq(studyRecords.studentId, studentId)));
  return row!.id;
}

const mark = async (code: string, lessonId: number, who: (keyof typeof st)[]) =>
  post('teacher', `/api/study-records/actions/mark-${code}`, {
    ids: await Promise.all(who.map((name) => recordOf(lessonId, st[name]))),
  });

const grade = async (lessonId: number, grades: Partial<Record<keyof typeof st, number>>) =>
  put('teacher', `/api/course-records/${lessonId}/scores`, {
    scores: await Promise.all(
      Object.entries(grades).map(async ([name, score]) => ({
        studyRecordId: await recordOf(lessonId, st[name as keyof typeof st]),
        score,
        homeworkNote: '',
      })),
    ),
  });

beforeAll(async () => {
  t = await buildTestApp({ timezone: 'Asia/Shanghai' });
  teacher = await user('teacher', '李老师', demoRoleGrants.teacher);
  const tutor = await user('tutor', '王班主任', demoRoleGrants.tutor);
  const otherTeacher = await user('other', '张老师', demoRoleGrants.teacher);
  await user('consultant', '三江', demoRoleGrants.consultant);
  await user('head', '教务主任', ['class.list', 'class.view_all', 'student.list']);

  classA = await classOf({ teacherIds: [teacher.id], tutorId: tutor.id, startDate: '2026-02-20' });
  classB = await classOf({ teacherIds: [otherTeacher.id], startDate: '2026-04-01' });
  classC = (await classOf({ teacherIds: [teacher.id], startDate: '2026-02-01' })).id;

  // Enrolled out of order, so the list's order is the endpoint's doing.
  st.dan = await enrol('学员D', classA.id);
  st.ben = await enrol('学员B', classA.id);
  st.ann = await enrol('学员A', classA.id);
  st.cai = await enrol('学员C', classA.id);
  await enrol('学员B', classB.id, st.ben);

  // Lessons 1 and 2 while all four are in the class; created out of order.
  const at = CREATED;
  lesson[2] = (
    await makeLesson(db(), {
      classId: classA.id,
      dayNum: 2,
      date: '2026-03-04',
      teacherId: teacher.id,
      title: '函数',
      at,
    })
  ).id;
  lesson[1] = (
    await makeLesson(db(), {
      classId: classA.id,
      dayNum: 1,
      date: '2026-03-02',
      teacherId: teacher.id,
      title: '变量',
      at,
    })
  ).id;
  // 学员A withdraws: the later lessons have three study records.
  await db()
    .update(studentClasses)
    .set({ status: 'withdrawn' })
    .where(and(eq(studentClasses.studentId, st.ann), eq(studentClasses.classId, classA.id)));
  // Lessons 3 and 4 on the same day (day number decides), lesson 5 with no teacher.
  lesson[4] = (
    await makeLesson(db(), {
      classId: classA.id,
      dayNum: 4,
      date: '2026-03-06',
      teacherId: teacher.id,
      title: '模块',
      at,
    })
  ).id;
  lesson[3] = (
    await makeLesson(db(), {
      classId: classA.id,
      dayNum: 3,
      date: '2026-03-06',
      teacherId: teacher.id,
      title: '类',
      at,
    })
  ).id;
  lesson[5] = (
    await makeLesson(db(), { classId: classA.id, dayNum: 5, date: '2026-03-09', title: '复习', at })
  ).id;
  lessonB = (await makeLesson(db(), { classId: classB.id, dayNum: 1, date: '2026-04-02', title: '开班', at }))
    .id;

  // Lesson 1: 学员B checked, 学员C late, 学员D absent, 学员A on leave; B 90 (A), C 85 (B+), D N/A, A COPY.
  await mark('checked', lesson[1], ['ben']);
  await mark('late', lesson[1], ['cai']);
  await mark('noshow', lesson[1], ['dan']);
  await mark('vacate', lesson[1], ['ann']);
  await grade(lesson[1], { ben: 90, cai: 85, dan: -1, ann: -100 });
  // Lesson 2: B left early, C and D present (never clicked), A absent; B 100, C 70, D FAIL, A N/A.
  await mark('leave-early', lesson[2], ['ben']);
  await mark('noshow', lesson[2], ['ann']);
  await grade(lesson[2], { ben: 100, cai: 70, dan: -1000, ann: -1 });
  // Lesson 3: everyone checked in with the bulk button; B 90, C 85, D 0 (D).
  await mark('checked', lesson[3], ['ben', 'cai', 'dan']);
  await grade(lesson[3], { ben: 90, cai: 85, dan: 0 });
  // Lesson 4: D absent, nobody scored. Lesson 5: nothing marked at all.
  await mark('noshow', lesson[4], ['dan']);
  // Class B: ben scored there too.
  await put('other', `/api/course-records/${lessonB}/scores`, {
    scores: [{ studyRecordId: await recordOf(lessonB, st.ben), score: 60, homeworkNote: '' }],
  });
});
afterAll(async () => t?.close());

const counts = (c: Partial<Record<'checked' | 'vacate' | 'late' | 'noshow' | 'leave_early', number>>) => ({
  checked: 0,
  vacate: 0,
  late: 0,
  noshow: 0,
  leave_early: 0,
  ...c,
});

describe("a class's figures", () => {
  it('counts each lesson and the class against the arithmetic', async () => {
    const response = await get('teacher', `/api/classes/${classA.id}/stats`);
    expect(response.statusCode).toBe(200);
    const stats = response.json();
    const by = { id: teacher.id, name: '李老师' };

    expect(stats.class).toEqual(classA);
    // Active students first, by name; 学员A withdrew and is listed last, marked.
    expect(stats.students).toEqual([
      { id: st.ben, name: '学员B', status: 'active' },
      { id: st.cai, name: '学员C', status: 'active' },
      { id: st.dan, name: '学员D', status: 'active' },
      { id: st.ann, name: '学员A', status: 'withdrawn' },
    ]);
    expect(stats.lessons).toEqual([
      {
        courseRecordId: lesson[1],
        dayNum: 1,
        date: '2026-03-02',
        title: '变量',
        teacher: by,
        studyRecords: 4,
        recorded: true,
        // attended = checked 1 + late 1 + left early 0 = 2, of 4 records (the absent and the one
        // on leave did not attend)
        attendanceRate: 2 / 4,
        // grades 90 and 85; N/A and COPY are no grades: (90 + 85) / 2
        averageScore: 87.5,
        scored: 2,
        counts: counts({ checked: 1, late: 1, noshow: 1, vacate: 1 }),
      },
      {
        courseRecordId: lesson[2],
        dayNum: 2,
        date: '2026-03-04',
        title: '函数',
        teacher: by,
        studyRecords: 4,
        recorded: true,
        // checked 2 + left early 1 = 3 of 4
        attendanceRate: 3 / 4,
        // (100 + 70) / 2; FAIL and N/A left out
        averageScore: 85,
        scored: 2,
        counts: counts({ checked: 2, leave_early: 1, noshow: 1 }),
      },
      {
        courseRecordId: lesson[3],
        dayNum: 3,
        date: '2026-03-06',
        title: '类',
        teacher: by,
        studyRecords: 3,
        recorded: true,
        attendanceRate: 3 / 3,
        // (90 + 85 + 0) / 3 = 58.333… → 58.33; a D (0) is a grade
        averageScore: 58.33,
        scored: 3,
        counts: counts({ checked: 3 }),
      },
      {
        courseRecordId: lesson[4],
        dayNum: 4,
        date: '2026-03-06',
        title: '模块',
        teacher: by,
        studyRecords: 3,
        recorded: true,
        // checked 2 of 3
        attendanceRate: 2 / 3,
        averageScore: null,
        scored: 0,
        counts: counts({ checked: 2, noshow: 1 }),
      },
      {
        courseRecordId: lesson[5],
        dayNum: 5,
        date: '2026-03-09',
        title: '复习',
        teacher: null,
        studyRecords: 3,
        // Nobody marked it: its records still say 已签到 (the default), but it has no rate.
        recorded: false,
        attendanceRate: null,
        averageScore: null,
        scored: 0,
        counts: counts({ checked: 3 }),
      },
    ]);
    // Over the recorded lessons 1–4: attended 2 + 3 + 3 + 2 = 10 of 4 + 4 + 3 + 3 = 14 records.
    expect(stats.attendanceRate).toBe(10 / 14);
    // Every grade of the class: 90 + 85 + 100 + 70 + 90 + 85 + 0 = 520 over 7 = 74.2857… → 74.29.
    expect(stats.averageScore).toBe(74.29);
    // Nothing else is sent (the absence alerts are another part's).
    expect(Object.keys(stats).sort()).toEqual([
      'attendanceRate',
      'averageScore',
      'class',
      'lessons',
      'students',
    ]);
  });

  it('gives null figures to a class nothing has been marked in', async () => {
    const response = await get('other', `/api/classes/${classB.id}/stats`);
    expect(response.statusCode).toBe(200);
    const stats = response.json();
    // Class B's only lesson was scored (60) but never given attendance: saving scores marks it.
    expect(stats.lessons).toMatchObject([{ recorded: true, attendanceRate: 1, averageScore: 60, scored: 1 }]);
    const empty = await classOf({ teacherIds: [teacher.id] });
    expect((await get('teacher', `/api/classes/${empty.id}/stats`)).json()).toEqual({
      class: empty,
      students: [],
      lessons: [],
      attendanceRate: null,
      averageScore: null,
    });
  });

  it('rounds and divides as the rules say', () => {
    expect(averageOf(0, 0)).toBeNull();
    expect(averageOf(175, 3)).toBe(58.33);
    expect(averageOf(170, 3)).toBe(56.67); // 56.666…
    expect(averageOf(201, 8)).toBe(25.13); // 25.125 rounds up
    expect(averageOf(0, 4)).toBe(0);
    expect(attendanceRate(2, 3, true)).toBe(2 / 3);
    expect(attendanceRate(3, 3, false)).toBeNull();
    expect(attendanceRate(0, 0, true)).toBeNull();
  });
});

describe("a student's score chart", () => {
  const point = (
    id: number,
    dayNum: number,
    date: string,
    title: string,
    score: number,
    label: string,
    attendance: string,
  ) => ({
    courseRecordId: id,
    dayNum,
    date,
    title,
    score,
    label,
    attendance,
  });

  it('has a point per lesson, the marks labelled and never made grades', async () => {
    const response = await get('teacher', `/api/students/${st.dan}/score-chart?classId=${classA.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      student: { id: st.dan, name: '学员D' },
      class: classA,
      classes: [classA],
      points: [
        point(lesson[1], 1, '2026-03-02', '变量', -1, 'N/A', 'noshow'),
        point(lesson[2], 2, '2026-03-04', '函数', -1000, 'FAIL', 'checked'),
        point(lesson[3], 3, '2026-03-06', '类', 0, 'D', 'checked'),
        point(lesson[4], 4, '2026-03-06', '模块', -1, 'N/A', 'noshow'),
        point(lesson[5], 5, '2026-03-09', '复习', -1, 'N/A', 'checked'),
      ],
    });
  });

  it("keeps a withdrawn student's lessons, COPY labelled", async () => {
    const response = await get('tutor', `/api/students/${st.ann}/score-chart`);
    expect(response.statusCode).toBe(200);
    expect(response.json().points).toEqual([
      point(lesson[1], 1, '2026-03-02', '变量', -100, 'COPY', 'vacate'),
      point(lesson[2], 2, '2026-03-04', '函数', -1, 'N/A', 'noshow'),
    ]);
  });

  it("defaults to the student's latest class the caller sees, and lists those for a picker", async () => {
    // The teacher of class A sees only A of ben's two classes.
    const mine = (await get('teacher', `/api/students/${st.ben}/score-chart`)).json();
    expect(mine.class).toEqual(classA);
    expect(mine.classes).toEqual([classA]);
    expect(mine.points.map((p: { score: number; label: string }) => [p.score, p.label])).toEqual([
      [90, 'A'],
      [100, 'A+'],
      [90, 'A'],
      [-1, 'N/A'],
      [-1, 'N/A'],
    ]);
    // Someone who sees every class gets both, and class B (started last) by default.
    const all = (await get('head', `/api/students/${st.ben}/score-chart`)).json();
    expect(all.classes).toEqual([classA, classB]);
    expect(all.class).toEqual(classB);
    expect(all.points).toEqual([point(lessonB, 1, '2026-04-02', '开班', 60, 'C+', 'checked')]);
    // …and class A when asked for it.
    expect(
      (await get('head', `/api/students/${st.ben}/score-chart?classId=${classA.id}`)).json().class,
    ).toEqual(classA);
  });

  it('labels a stored score off the list as its number', () => {
    expect(scoreLabel(85)).toBe('B+');
    expect(scoreLabel(-1000)).toBe('FAIL');
    expect(scoreLabel(55)).toBe('55');
  });
});

describe('who may read them', () => {
  it("answers 404 to a teacher of another class, as for a class or student that doesn't exist", async () => {
    expect((await get('other', `/api/classes/${classA.id}/stats`)).statusCode).toBe(404);
    // dan is only in class A: outside the other teacher's students.
    expect((await get('other', `/api/students/${st.dan}/score-chart`)).statusCode).toBe(404);
    // ben is the other teacher's student too, but class A is not theirs.
    expect((await get('other', `/api/students/${st.ben}/score-chart?classId=${classA.id}`)).statusCode).toBe(
      404,
    );
    expect((await get('other', `/api/students/${st.ben}/score-chart`)).json().classes).toEqual([classB]);
    // The teacher of A asks for ben in B (his, not theirs), or in C (theirs, not his).
    expect(
      (await get('teacher', `/api/students/${st.ben}/score-chart?classId=${classB.id}`)).statusCode,
    ).toBe(404);
    expect((await get('teacher', `/api/students/${st.ben}/score-chart?classId=${classC}`)).statusCode).toBe(
      404,
    );
    expect((await get('head', `/api/classes/2000000000/stats`)).statusCode).toBe(404);
    expect((await get('head', `/api/students/2000000000/score-chart`)).statusCode).toBe(404);
    expect((await get('head', `/api/students/${st.ben}/score-chart?classId=2000000000`)).statusCode).toBe(
      404,
    );
  });

  it('lets the tutor of the class read both', async () => {
    expect((await get('tutor', `/api/classes/${classA.id}/stats`)).statusCode).toBe(200);
    expect((await get('tutor', `/api/students/${st.cai}/score-chart?classId=${classA.id}`)).statusCode).toBe(
      200,
    );
  });

  it('answers 403 to a consultant, who holds neither class.list nor student.list', async () => {
    expect((await get('consultant', `/api/classes/${classA.id}/stats`)).statusCode).toBe(403);
    expect((await get('consultant', `/api/students/${st.ben}/score-chart`)).statusCode).toBe(403);
  });

  it('answers 400 to an id or a classId that is no whole number', async () => {
    for (const url of [
      `/api/students/${st.ben}/score-chart?classId=abc`,
      `/api/students/${st.ben}/score-chart?classId=1.5`,
      `/api/students/${st.ben}/score-chart?classId=0`,
      `/api/students/${st.ben}/score-chart?classId=99999999999`,
      '/api/students/abc/score-chart',
      '/api/classes/abc/stats',
      '/api/classes/0/stats',
    ]) {
      const response = await get('teacher', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error, url).toBe('validation');
    }
  });
});
