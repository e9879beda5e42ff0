import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { base, requiredRef } from './columns.ts';
import { users } from './org.ts';

/**
 * What a school offers: its campuses, courses and the classes (terms) of each, with their
 * teachers. Sales (a customer's courses of interest, a payment for a class) and teaching (students,
 * lessons) both point here; this file points at neither.
 */

/** A campus (校区). */
export const schools = pgTable('schools', {
  ...base,
  title: text('title').notNull().unique(),
});

export const courses = pgTable('courses', {
  ...base,
  name: text('name').notNull().unique(),
});

/** 班级, shown as "Python全栈 (9期)". */
export const classes = pgTable(
  'classes',
  {
    ...base,
    schoolId: requiredRef('school_id', () => schools.id, 'restrict'),
    courseId: requiredRef('course_id', () => courses.id, 'restrict'),
    semester: integer('semester').notNull(),
    price: numeric('price', { precision: 12, scale: 2 }).notNull().default('0'),
    startDate: date('start_date').notNull(),
    graduateDate: date('graduate_date'),
    memo: text('memo').notNull().default(''),
    tutorId: integer('tutor_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('classes_school_course_semester_key').on(t.schoolId, t.courseId, t.semester),
    check('classes_semester_check', sql`${t.semester} > 0`),
    check('classes_price_check', sql`${t.price} >= 0`),
    check('classes_dates_check', sql`${t.graduateDate} is null or ${t.graduateDate} >= ${t.startDate}`),
    index('classes_tutor_idx').on(t.tutorId),
    index('classes_course_idx').on(t.courseId),
  ],
);

export const classTeachers = pgTable(
  'class_teachers',
  {
    ...base,
    classId: requiredRef('class_id', () => classes.id, 'cascade'),
    teacherId: requiredRef('teacher_id', () => users.id, 'cascade'),
  },
  (t) => [
    uniqueIndex('class_teachers_class_teacher_key').on(t.classId, t.teacherId),
    index('class_teachers_teacher_idx').on(t.teacherId),
  ],
);
