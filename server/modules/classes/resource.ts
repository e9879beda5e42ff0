import { eq, inArray, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { classScope } from '../../auth/scopes.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { classes, classTeachers, courses, schools, users } from '../../db/schema/index.ts';
import { idField } from '../../engine/fields.ts';
import { replaceLinks } from '../../engine/links.ts';
import { classNames } from '../../engine/present.ts';
import { type Body, type Context, defineResource, type Item } from '../../engine/types.ts';
import { insertColumns, updateColumns } from '../../engine/writes.ts';
import { badRequest } from '../../http/errors.ts';

/** "Python全栈 (9期)": how the school names a class (engine/present.ts has the English too). */
export const classLabel = (course: string, semester: number) => classNames(course, semester).name;

async function present(db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> {
  const ids = rows.map((r) => r.id as number);
  if (ids.length === 0) return [];
  const [schoolRows, courseRows, teacherRows, tutorRows] = await Promise.all([
    db.select({ id: schools.id, title: schools.title }).from(schools),
    db.select({ id: courses.id, name: courses.name }).from(courses),
    db
      .select({ classId: classTeachers.classId, id: users.id, name: users.name })
      .from(classTeachers)
      .innerJoin(users, eq(users.id, classTeachers.teacherId))
      .where(inArray(classTeachers.classId, ids)),
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(
        inArray(
          users.id,
          rows
            .map((r) => r.tutorId as number)
            .filter((id) => id != null)
            .concat(0),
        ),
      ),
  ]);
  return rows.map((row) => {
    const course = courseRows.find((c) => c.id === row.courseId);
    const teachers = teacherRows.filter((t) => t.classId === row.id).map(({ id, name }) => ({ id, name }));
    return {
      ...(row as Item),
      label: classLabel(course?.name ?? '?', row.semester as number),
      school: schoolRows.find((s) => s.id === row.schoolId) ?? null,
      course: course ?? null,
      tutor: tutorRows.find((t) => t.id === row.tutorId) ?? null,
      teacherIds: teachers.map((t) => t.id),
      teachers,
    };
  });
}

function setTeachers(tx: Tx, classId: number, teacherIds: number[]): Promise<void> {
  return replaceLinks(tx, {
    table: classTeachers,
    owner: classTeachers.classId,
    ownerId: classId,
    target: users.id,
    values: teacherIds,
    row: (teacherId) => ({ classId, teacherId }),
    refuse: () =>
      badRequest('validation', 'teacherIds: unknown user', [
        { field: 'teacherIds', message: 'unknown user', code: 'unknown_reference' },
      ]),
  });
}

async function create(ctx: Context, body: Body): Promise<number> {
  const id = await insertColumns(ctx, classesResource, body);
  await setTeachers(ctx.tx, id, (body.teacherIds as number[] | undefined) ?? []);
  return id;
}

async function update(ctx: Context, id: number, body: Body): Promise<void> {
  await updateColumns(ctx, classesResource, id, body);
  if (Array.isArray(body.teacherIds)) await setTeachers(ctx.tx, id, body.teacherIds as number[]);
}

export const classesResource = defineResource({
  name: 'classes',
  title: '班级',
  titleEn: 'Classes',
  table: classes,
  id: classes.id,
  labelField: 'label',
  defaultSort: '-startDate',
  // The course by name (searchSql), then the memo.
  searchFields: ['courseId', 'memo'],
  searchSql: (pattern) =>
    sql`exists (select 1 from ${courses} c where c.id = ${classes.courseId} and c.name ilike ${pattern})`,
  permissions: { list: 'class.list', create: 'class.create', update: 'class.update', delete: 'class.delete' },
  scope: classScope,
  fields: [
    idField(classes.id),
    { key: 'label', title: '班级', titleEn: 'Class', kind: 'text', readOnly: true },
    {
      key: 'schoolId',
      display: 'school',
      title: '校区',
      titleEn: 'Campus',
      kind: 'ref',
      ref: 'schools',
      refLabel: 'title',
      column: classes.schoolId,
      required: true,
      filter: 'in',
    },
    {
      key: 'courseId',
      display: 'course',
      title: '课程',
      titleEn: 'Course',
      kind: 'ref',
      ref: 'courses',
      refLabel: 'name',
      column: classes.courseId,
      required: true,
      filter: 'in',
    },
    {
      key: 'semester',
      title: '期',
      titleEn: 'Semester',
      kind: 'int',
      column: classes.semester,
      required: true,
      min: 1,
      max: 9999,
    },
    { key: 'price', title: '学费', titleEn: 'Price', kind: 'money', column: classes.price, min: 0 },
    {
      key: 'startDate',
      title: '开班日期',
      titleEn: 'Starts',
      kind: 'date',
      column: classes.startDate,
      required: true,
      filter: 'range',
    },
    {
      key: 'graduateDate',
      title: '结业日期',
      titleEn: 'Graduates',
      kind: 'date',
      column: classes.graduateDate,
      nullable: true,
    },
    {
      key: 'tutorId',
      display: 'tutor',
      title: '班主任',
      titleEn: 'Tutor',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      column: classes.tutorId,
      nullable: true,
      filter: 'in',
    },
    {
      key: 'teacherIds',
      display: 'teachers',
      title: '讲师',
      titleEn: 'Teachers',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      multiple: true,
      filter: 'in',
      filterSql: (ids) =>
        sql`exists (select 1 from ${classTeachers} ct where ct.class_id = ${classes.id} and ct.teacher_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}))`,
    },
    {
      key: 'memo',
      title: '备注',
      titleEn: 'Memo',
      kind: 'longtext',
      column: classes.memo,
      list: false,
      maxLength: 2000,
    },
  ],
  extra: {
    school: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
    course: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
    tutor: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
    teachers: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  },
  present,
  create,
  update,
});
