import { inArray, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { studentScope } from '../../auth/scopes.ts';
import type { Executor } from '../../db/client.ts';
import { studentClassStatus } from '../../db/schema/enums.ts';
import { customers, studentClasses, students } from '../../db/schema/index.ts';
import { idField } from '../../engine/fields.ts';
import { defineResource, type Item } from '../../engine/types.ts';
import { Enumerated } from '../../http/schemas.ts';
import { classesOfStudents } from './classes.ts';

async function present(db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> {
  const ids = rows.map((r) => r.id as number);
  if (ids.length === 0) return [];
  const [people, memberships] = await Promise.all([
    db
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(
        inArray(
          customers.id,
          rows.map((r) => r.customerId as number),
        ),
      ),
    classesOfStudents(db, ids),
  ]);
  return rows.map((row) => {
    const mine = memberships.get(row.id as number) ?? [];
    return {
      ...(row as Item),
      name: people.find((p) => p.id === row.customerId)?.name ?? '',
      classIds: mine.map((m) => m.id),
      classes: mine,
    };
  });
}

/** Students come from enrolment (a payment); here their file is kept up to date. */
/** One of a student's classes, named, with where the student stands in it. */
export const StudentClass = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nameEn: Type.String(),
  status: Enumerated(studentClassStatus.codes),
});

export const studentsResource = defineResource({
  name: 'students',
  title: '学员',
  titleEn: 'Students',
  table: students,
  id: students.id,
  labelField: 'name',
  defaultSort: '-id',
  // The name lives on the customer (searchSql); the placeholder names what is searched, no more.
  searchFields: ['name', 'company', 'position'],
  searchSql: (pattern) =>
    sql`exists (select 1 from ${customers} c where c.id = ${students.customerId} and c.name ilike ${pattern})`,
  permissions: { list: 'student.list', update: 'student.update' },
  scope: studentScope,
  fields: [
    idField(students.id),
    { key: 'name', title: '姓名', titleEn: 'Name', kind: 'text', readOnly: true },
    {
      key: 'customerId',
      title: '客户',
      titleEn: 'Customer',
      kind: 'ref',
      ref: 'customers',
      refLabel: 'name',
      column: students.customerId,
      readOnly: true,
      list: false,
      filter: 'in',
    },
    {
      key: 'classIds',
      display: 'classes',
      title: '班级',
      titleEn: 'Classes',
      kind: 'ref',
      ref: 'classes',
      refLabel: 'label',
      multiple: true,
      readOnly: true,
      filter: 'in',
      filterSql: (ids) =>
        sql`exists (select 1 from ${studentClasses} sc where sc.student_id = ${students.id} and sc.class_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}))`,
    },
    {
      key: 'emergencyContact',
      title: '紧急联系人',
      titleEn: 'Emergency contact',
      kind: 'text',
      column: students.emergencyContact,
      maxLength: 200,
    },
    {
      key: 'company',
      title: '就业公司',
      titleEn: 'Company',
      kind: 'text',
      column: students.company,
      maxLength: 200,
    },
    {
      key: 'location',
      title: '工作地点',
      titleEn: 'Location',
      kind: 'text',
      column: students.location,
      list: false,
      maxLength: 200,
    },
    {
      key: 'position',
      title: '职位',
      titleEn: 'Position',
      kind: 'text',
      column: students.position,
      maxLength: 200,
    },
    {
      key: 'salary',
      title: '薪资',
      titleEn: 'Salary',
      kind: 'money',
      column: students.salary,
      nullable: true,
      min: 0,
    },
    {
      key: 'welfare',
      title: '福利',
      titleEn: 'Welfare',
      kind: 'text',
      column: students.welfare,
      list: false,
      maxLength: 500,
    },
    {
      key: 'hiredAt',
      title: '入职时间',
      titleEn: 'Hired',
      kind: 'date',
      column: students.hiredAt,
      nullable: true,
      list: false,
    },
    { key: 'memo', title: '备注', titleEn: 'Memo', kind: 'longtext', column: students.memo, list: false },
  ],
  extra: {
    classes: Type.Array(StudentClass),
  },
  present,
});
