import { addDays } from '../../clock.ts';
import type { Tx } from '../../db/client.ts';
import type { attendance as attendanceEnum, CodeOf } from '../../db/schema/enums.ts';
import {
  courseRecords,
  paymentRecords,
  studentClasses,
  students,
  studyRecords,
} from '../../db/schema/index.ts';
import { chunks, HOMEWORK_NOTES, item, money, must, type Random, stamps } from '../shared/words.ts';
import type { CustomerPlan } from './customers.ts';
import type { Username } from './staff.ts';
import { type ClassKey, classPlans, lessonDayOffset } from './teaching.ts';

/** Expects `plans` in id order, as `loadCustomers` leaves them, matching `customerIds`. */
export async function loadStudents(
  tx: Tx,
  input: {
    plans: CustomerPlan[];
    customerIds: number[];
    classId: ReadonlyMap<ClassKey, number>;
    userId: ReadonlyMap<Username, number>;
  },
) {
  const { plans, customerIds, classId, userId } = input;

  // Payments and students.
  const enrolled = plans.flatMap((plan, i) =>
    plan.enrolment ? [{ plan, enrolment: plan.enrolment, customerId: item(customerIds, i) }] : [],
  );
  const paymentRows = enrolled.flatMap(({ plan, enrolment, customerId }) =>
    enrolment.payments.map((p) => ({
      customerId,
      classId: must(classId, enrolment.classKey),
      payType: p.payType,
      paidFee: money(p.paidFee),
      quote: money(p.quote),
      turnover: money(p.turnover),
      consultantId: must(userId, item(plan.periods, plan.periods.length - 1).consultant),
      note: p.note,
      paidAt: p.paidAt,
      confirmedBy: p.confirmedAt ? must(userId, 'finance') : null,
      confirmedAt: p.confirmedAt,
      ...stamps(p.paidAt, p.confirmedAt ?? p.paidAt),
    })),
  );
  await tx.insert(paymentRecords).values(paymentRows);

  const studentRows = await tx
    .insert(students)
    .values(
      enrolled.map(({ enrolment, customerId }) => ({
        customerId,
        emergencyContact: enrolment.emergencyContact,
        location: enrolment.location,
        ...stamps(item(enrolment.payments, 0).paidAt),
      })),
    )
    .returning({ id: students.id, customerId: students.customerId });
  const studentId = new Map(studentRows.map((s) => [s.customerId, s.id]));
  const studentClassRows: (typeof studentClasses.$inferInsert)[] = enrolled.map(
    ({ enrolment, customerId }) => ({
      studentId: must(studentId, customerId),
      classId: must(classId, enrolment.classKey),
      status: 'active',
      ...stamps(item(enrolment.payments, 0).paidAt),
    }),
  );
  await tx.insert(studentClasses).values(studentClassRows);

  return {
    enrolled,
    studentId,
    rows: {
      payment_records: paymentRows.length,
      students: studentRows.length,
      student_classes: studentClassRows.length,
    },
  };
}

export async function loadLessons(
  tx: Tx,
  input: {
    at: Date;
    dateOf: (d: Date) => string;
    rng: Random;
    classId: ReadonlyMap<ClassKey, number>;
    userId: ReadonlyMap<Username, number>;
    enrolled: readonly { enrolment: { classKey: ClassKey }; customerId: number }[];
    studentId: ReadonlyMap<number, number>;
  },
) {
  const { at, dateOf, rng, classId, userId, enrolled, studentId } = input;

  // Lessons, attendance and scores.
  const lessonRows = classPlans.flatMap((c) =>
    c.lessons.map((lesson, k) => {
      const held = addDays(at, c.startOffset + lessonDayOffset(k));
      return {
        classId: must(classId, c.key),
        dayNum: k + 1,
        teacherId: c.taught ? must(userId, 'teacher') : null,
        date: dateOf(held),
        // The lesson's number is its own column: "第3节 函数与模块" is put together where it is shown.
        title: lesson.title,
        memo: '',
        hasHomework: lesson.homework !== undefined,
        homeworkTitle: lesson.homework ?? '',
        homeworkMemo: lesson.homework ? '下次上课前提交到班级群' : '',
        exam: lesson.exam,
        ...stamps(held),
      };
    }),
  );
  const lessonIds = await tx.insert(courseRecords).values(lessonRows).returning({
    id: courseRecords.id,
    classId: courseRecords.classId,
    dayNum: courseRecords.dayNum,
  });
  const lessonId = new Map(lessonIds.map((l) => [`${l.classId}:${l.dayNum}`, l.id]));

  const studyRows = classPlans.flatMap((c) => {
    const members = enrolled.filter((e) => e.enrolment.classKey === c.key);
    return members.flatMap((member, s) => {
      const ability = rng.between(0.05, 1);
      return c.lessons.map((lesson, k) => {
        const dayNum = k + 1;
        const held = addDays(at, c.startOffset + lessonDayOffset(k));
        let attendance: CodeOf<typeof attendanceEnum> = rng.weighted([
          ['checked', 86],
          ['late', 5],
          ['leave_early', 3],
          ['vacate', 3],
          ['noshow', 2],
        ] as const);
        let note = '';
        // One student misses two lessons in a row (the charts' absence alert).
        if (c.key === 'linux3' && s === 2 && (dayNum === 4 || dayNum === 5)) {
          attendance = 'noshow';
          note = '未请假，电话未接通';
        }
        const absent = attendance === 'noshow' || attendance === 'vacate';
        if (attendance === 'vacate') note = rng.pick(['病假', '事假', '家中有事']);
        let score = absent || rng.chance(0.03) ? -1 : gradeFor(rng, ability);
        let homeworkNote = !absent && lesson.homework && score >= 0 ? rng.pick(HOMEWORK_NOTES) : '';
        if (c.key === 'py9' && s === 4 && dayNum === 5) {
          attendance = 'checked';
          score = -100;
          homeworkNote = '作业与他人雷同';
          note = '';
        }
        return {
          courseRecordId: must(lessonId, `${must(classId, c.key)}:${dayNum}`),
          studentId: must(studentId, member.customerId),
          attendance,
          score,
          homeworkNote,
          note,
          ...stamps(addDays(held, 0.4)),
        };
      });
    });
  });
  for (const part of chunks(studyRows, 1000)) await tx.insert(studyRecords).values(part);

  return { rows: { course_records: lessonIds.length, study_records: studyRows.length } };
}

const GRADES = [100, 90, 85, 80, 70, 60, 50, 40, 0] as const;

/** A grade near the student's ability (1 = top of the class). */
function gradeFor(rng: Random, ability: number): number {
  const index = Math.round((1 - ability) * 6.5 + rng.between(-1.5, 1.5));
  return item(GRADES, Math.min(GRADES.length - 1, Math.max(0, index)));
}
