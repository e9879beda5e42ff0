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
import { classes } from './classes.ts';
import { base, oneOf, requiredRef } from './columns.ts';
import { attendance, type CodeOf, scores, studentClassStatus } from './enums.ts';
import { users } from './org.ts';
import { customers } from './sales.ts';

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
    studentId: requiredRef('student_id', () => students.id, 'cascade'),
    classId: requiredRef('class_id', () => classes.id, 'restrict'),
    status: text('status').$type<CodeOf<typeof studentClassStatus>>().notNull().default('active'),
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
    classId: requiredRef('class_id', () => classes.id, 'restrict'),
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
    courseRecordId: requiredRef('course_record_id', () => courseRecords.id, 'cascade'),
    studentId: requiredRef('student_id', () => students.id, 'cascade'),
    attendance: text('attendance').$type<CodeOf<typeof attendance>>().notNull().default('checked'),
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

/**
 * The teaching rules managers set beside the pool rules; exactly one row, and none until first
 * saved (the defaults hold until then).
 */
export const teachingSettings = pgTable(
  'teaching_settings',
  {
    ...base,
    singleton: boolean('singleton').notNull().default(true).unique(),
    // A student absent from this many lessons of a class in a row is an alert (docs/spec.md §5).
    absenceStreakLessons: integer('absence_streak_lessons').notNull().default(2),
  },
  (t) => [
    check('teaching_settings_singleton_check', sql`${t.singleton}`),
    check('teaching_settings_absence_streak_check', sql`${t.absenceStreakLessons} between 1 and 50`),
  ],
);
