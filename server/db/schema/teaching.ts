import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { base, oneOf } from './columns.ts';
import { attendance, scores, studentClassStatus } from './enums.ts';
import { users } from './org.ts';
import { customers } from './sales.ts';

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
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'restrict' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'restrict' }),
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
    classId: integer('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    teacherId: integer('teacher_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('class_teachers_class_teacher_key').on(t.classId, t.teacherId),
    index('class_teachers_teacher_idx').on(t.teacherId),
  ],
);

export const students = pgTable('students', {
  ...base,
  customerId: integer('customer_id')
    .notNull()
    .unique()
    .references(() => customers.id, { onDelete: 'restrict' }),
  emergencyContact: text('emergency_contact').notNull().default(''),
  company: text('company').notNull().default(''),
  location: text('location').notNull().default(''),
  position: text('position').notNull().default(''),
  salary: numeric('salary', { precision: 12, scale: 2 }),
  welfare: text('welfare').notNull().default(''),
  hiredAt: date('hired_at'),
  memo: text('memo').notNull().default(''),
});

export const studentClasses = pgTable(
  'student_classes',
  {
    ...base,
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    classId: integer('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    status: text('status').notNull().default('active'),
  },
  (t) => [
    uniqueIndex('student_classes_student_class_key').on(t.studentId, t.classId),
    index('student_classes_class_idx').on(t.classId),
    oneOf('student_classes_status_check', t.status, studentClassStatus.codes),
  ],
);

/** 上课记录: one lesson of a class. */
export const courseRecords = pgTable(
  'course_records',
  {
    ...base,
    classId: integer('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    dayNum: integer('day_num').notNull(),
    teacherId: integer('teacher_id').references(() => users.id, { onDelete: 'set null' }),
    date: date('date').notNull(),
    title: text('title').notNull().default(''),
    memo: text('memo').notNull().default(''),
    hasHomework: boolean('has_homework').notNull().default(false),
    homeworkTitle: text('homework_title').notNull().default(''),
    homeworkMemo: text('homework_memo').notNull().default(''),
    exam: text('exam').notNull().default(''),
  },
  (t) => [
    uniqueIndex('course_records_class_day_key').on(t.classId, t.dayNum),
    check('course_records_day_num_check', sql`${t.dayNum} > 0`),
    index('course_records_teacher_idx').on(t.teacherId),
  ],
);

/** 学习记录: one student at one lesson. */
export const studyRecords = pgTable(
  'study_records',
  {
    ...base,
    courseRecordId: integer('course_record_id')
      .notNull()
      .references(() => courseRecords.id, { onDelete: 'cascade' }),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    attendance: text('attendance').notNull().default('checked'),
    score: integer('score').notNull().default(-1),
    homeworkNote: text('homework_note').notNull().default(''),
    note: text('note').notNull().default(''),
  },
  (t) => [
    uniqueIndex('study_records_lesson_student_key').on(t.courseRecordId, t.studentId),
    index('study_records_student_idx').on(t.studentId),
    oneOf('study_records_attendance_check', t.attendance, attendance.codes),
    oneOf(
      'study_records_score_check',
      t.score,
      scores.map((s) => s.value),
    ),
  ],
);
