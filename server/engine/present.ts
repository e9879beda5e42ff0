import { eq, inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { Type } from 'typebox';
import type { Executor } from '../db/client.ts';
import { classes, courseRecords, courses, customers, students, users } from '../db/schema/index.ts';
import type { FieldDef, Item } from './types.ts';

/** A record's name; `nameEn` where the English screen words it differently (a class, a lesson). */
export type Named = { id: number; name: string; nameEn?: string };

/** How the school names a class: "Python全栈 (9期)", in English "Python全栈 (term 9)". */
export const classNames = (course: string, semester: number): { name: string; nameEn: string } => ({
  name: `${course} (${semester}期)`,
  nameEn: `${course} (term ${semester})`,
});

/** A class as an answer names it: its id and `classNames`. */
export const ClassName = Type.Object({
  id: Type.Integer(),
  name: Type.String({ examples: ['Python全栈 (9期)'] }),
  nameEn: Type.String({ examples: ['Python全栈 (term 9)'] }),
});
/** Loads the display names of a page's worth of ids, in one query. */
export type Lookup = (db: Executor, ids: number[]) => Promise<Named[]>;

export const lookups = {
  users: (db, ids) => db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)),
  customers: (db, ids) =>
    db.select({ id: customers.id, name: customers.name }).from(customers).where(inArray(customers.id, ids)),
  students: (db, ids) =>
    db
      .select({ id: students.id, name: customers.name })
      .from(students)
      .innerJoin(customers, eq(customers.id, students.customerId))
      .where(inArray(students.id, ids)),
  classes: async (db, ids) =>
    (
      await db
        .select({ id: classes.id, course: courses.name, semester: classes.semester })
        .from(classes)
        .innerJoin(courses, eq(courses.id, classes.courseId))
        .where(inArray(classes.id, ids))
    ).map((c) => ({ id: c.id, ...classNames(c.course, c.semester) })),
  lessons: async (db, ids) =>
    (
      await db
        .select({ id: courseRecords.id, dayNum: courseRecords.dayNum, title: courseRecords.title })
        .from(courseRecords)
        .where(inArray(courseRecords.id, ids))
    ).map((l) => ({ id: l.id, ...lessonLabel(l.dayNum, l.title) })),
} satisfies Record<string, Lookup>;

/** "第3节 函数与模块" / "Lesson 3 函数与模块": how a lesson is named, in each language. */
export function lessonLabel(dayNum: number, title: string | null): { name: string; nameEn: string } {
  const topic = title?.trim() ? ` ${title.trim()}` : '';
  return { name: `第${dayNum}节${topic}`, nameEn: `Lesson ${dayNum}${topic}` };
}

/**
 * A presenter for rows that point at other records: each `xxxId` column also comes out as
 * `{ id, name }` under the given key, looked up once per page rather than once per row.
 */
export function presentRefs(refs: Record<string, [as: string, lookup: Lookup]>) {
  return async (db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> => {
    const found = new Map<string, Named[]>();
    for (const [key, [, lookup]] of Object.entries(refs)) {
      const ids = [...new Set(rows.map((row) => row[key]))].filter(
        (id): id is number => typeof id === 'number',
      );
      found.set(key, ids.length ? await lookup(db, ids) : []);
    }
    return rows.map((row) => {
      const item: Record<string, unknown> = { ...row };
      for (const [key, [as]] of Object.entries(refs)) {
        item[as] = found.get(key)?.find((named) => named.id === row[key]) ?? null;
      }
      return item as Item;
    });
  };
}

/** The `{ id, name }` a presenter puts beside a ref (with `nameEn` where English differs), or null. */
export const NamedRef = Type.Union([
  Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Type.Optional(Type.String()) }),
  Type.Null(),
]);

/** What a reference points at, and how a person reads it: the record's name (or `refLabel`). */
export type RefTo = {
  ref: string;
  display: string;
  title: string;
  titleEn: string;
  refLabel?: string;
  refParams?: Record<string, string>;
};

/** A field naming another record, shown by the named object a presenter adds (`customerId` by `customer`). */
export function refField<const K extends string>(
  key: K,
  column: PgColumn,
  to: RefTo,
  extra: Partial<Omit<FieldDef, 'key'>> = {},
): FieldDef & { key: K } {
  const { refLabel = 'name', ...target } = to;
  return { key, ...target, kind: 'ref', refLabel, column, ...extra };
}

/** A read-only reference, filterable by id: the shape most history tables repeat. */
export function readOnlyRef<const K extends string>(
  key: K,
  column: PgColumn,
  to: RefTo,
  extra: Partial<Omit<FieldDef, 'key'>> = {},
): FieldDef & { key: K } {
  return refField(key, column, to, { readOnly: true, filter: 'in', ...extra });
}

export const customerRef = { ref: 'customers', display: 'customer', title: '客户', titleEn: 'Customer' };
export const consultantRef = {
  ref: 'users',
  display: 'consultant',
  title: '课程顾问',
  titleEn: 'Consultant',
};

/** A class, named as the school names it ("Python全栈 (9期)"). */
export const classRef: RefTo = {
  ref: 'classes',
  display: 'class',
  title: '班级',
  titleEn: 'Class',
  refLabel: 'label',
};
