import { and, eq, inArray } from 'drizzle-orm';
import { customerScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Db, Tx } from '../../db/client.ts';
import type { CodeOf, customerStatus, studentClassStatus } from '../../db/schema/enums.ts';
import {
  classes,
  courses,
  customers,
  paymentRecords,
  studentClasses,
  students,
} from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { classNames } from '../../engine/present.ts';
import type { School } from '../../engine/types.ts';
import { badRequest, conflict, invalidField } from '../../http/errors.ts';
import { isOpenForEnrolment, schoolToday } from '../classes/rules.ts';
import { endOwnership } from '../distributions/service.ts';
import { enqueueForHolders } from '../notify/outbox.ts';
import { enrols, payTypesFor, placesInClass } from './rules.ts';
import type { PaymentInput } from './schemas.ts';

/** The student of a customer, created on its first enrolment. */
async function studentOf(tx: Tx, customerId: number, at: Date): Promise<number> {
  const [created] = await tx
    .insert(students)
    .values({ customerId, createdAt: at, updatedAt: at })
    .onConflictDoNothing({ target: students.customerId })
    .returning({ id: students.id });
  if (created) return created.id;
  const [existing] = await tx
    .select({ id: students.id })
    .from(students)
    .where(eq(students.customerId, customerId));
  return existing!.id;
}

async function setClassStatus(
  tx: Tx,
  studentId: number,
  classId: number,
  status: 'active' | 'withdrawn',
  at: Date,
) {
  await tx
    .insert(studentClasses)
    .values({ studentId, classId, status, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: [studentClasses.studentId, studentClasses.classId],
      set: { status, updatedAt: at },
    });
}

/** Finance, who confirm payments: told of each new one, with what the message names. */
async function tellFinance(
  tx: Tx,
  payment: typeof paymentRecords.$inferSelect,
  about: { customerName: string; className: { name: string; nameEn: string } },
  at: Date,
) {
  await enqueueForHolders(tx, {
    code: 'payment_record.confirm',
    event: 'payment_to_confirm',
    payload: {
      paymentId: payment.id,
      customerId: payment.customerId,
      name: about.customerName,
      payType: payment.payType,
      amount: payment.paidFee,
      className: about.className.name,
      classNameEn: about.className.nameEn,
    },
    key: String(payment.id),
    at,
  });
}

/** Whether the customer's student is (still) in the class: a late payment of theirs is no enrolment. */
async function inClass(tx: Tx, customerId: number, classId: number): Promise<boolean> {
  const rows = await tx
    .select({ id: studentClasses.id })
    .from(studentClasses)
    .innerJoin(students, eq(students.id, studentClasses.studentId))
    .where(
      and(
        eq(students.customerId, customerId),
        eq(studentClasses.classId, classId),
        eq(studentClasses.status, 'active'),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** What a payment did: the record, and where the customer and their student stand now. */
export type PaymentResult = {
  payment: typeof paymentRecords.$inferSelect;
  /** Whether the customer is enrolled now, and whether this payment is what enrolled them. */
  enrolled: boolean;
  enrolledNow: boolean;
  customer: { id: number; name: string; status: CodeOf<typeof customerStatus> };
  class: { id: number; name: string; nameEn: string };
  student: { id: number; name: string };
  studentId: number;
  classes: { classId: number; status: CodeOf<typeof studentClassStatus> }[];
};

/**
 * A payment (docs/spec.md §3 "Enrolment"), in one transaction: a deposit or tuition enrols the customer —
 * it leaves the pool's reach for good, its owner's period becomes `enrolled`, it becomes a student
 * of the class. A transfer puts the student in another class; a withdrawal marks them withdrawn
 * from the class; a refund records the money. None of these un-enrols the customer. A class that
 * has graduated takes nobody new (`class_closed`), but still takes the money of those in it.
 */
export async function recordPayment(
  db: Db,
  actor: Actor,
  input: PaymentInput,
  school: School,
): Promise<PaymentResult> {
  const at = now();
  const paidAt = input.paidAt ? new Date(input.paidAt) : at;
  if (Number.isNaN(paidAt.getTime())) {
    throw invalidField('paidAt', 'not_a_date', 'not a date');
  }
  return db.transaction(async (tx) => {
    const customer = await findInScope(tx, customers, input.customerId, customerScope(actor));
    // Held until commit: a grab or the sweep waits rather than acting on a customer being enrolled.
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for('update');
    const [klass] = await tx
      .select({
        id: classes.id,
        graduateDate: classes.graduateDate,
        course: courses.name,
        semester: classes.semester,
      })
      .from(classes)
      .innerJoin(courses, eq(courses.id, classes.courseId))
      .where(eq(classes.id, input.classId));
    if (!klass)
      throw badRequest('validation', 'classId: no such class', [
        { field: 'classId', message: 'no such class', code: 'unknown_reference' },
      ]);
    const className = { id: klass.id, ...classNames(klass.course, klass.semester) };

    const [current] = await tx.select().from(customers).where(eq(customers.id, customer.id));
    if (!payTypesFor(current!.status).includes(input.payType)) {
      throw conflict(
        'not_enrolled',
        `A ${input.payType} needs an enrolled customer; record a deposit or tuition first`,
        { payType: input.payType },
      );
    }
    if (
      placesInClass(input.payType) &&
      !isOpenForEnrolment(klass.graduateDate, schoolToday(at, school.timezone)) &&
      !(await inClass(tx, customer.id, klass.id))
    ) {
      throw conflict('class_closed', `${className.nameEn} graduated on ${klass.graduateDate}`, {
        graduateDate: klass.graduateDate ?? '',
      });
    }
    const [payment] = await tx
      .insert(paymentRecords)
      .values({
        customerId: customer.id,
        classId: klass.id,
        payType: input.payType,
        paidFee: input.paidFee,
        quote: input.quote ?? null,
        turnover: input.turnover ?? null,
        consultantId: current!.consultantId ?? actor.userId,
        note: input.note?.trim() ?? '',
        paidAt,
        createdAt: at,
        updatedAt: at,
      })
      .returning();

    const studentId = await studentOf(tx, customer.id, at);
    if (placesInClass(input.payType)) await setClassStatus(tx, studentId, klass.id, 'active', at);
    if (input.payType === 'withdraw') {
      const [member] = await tx
        .select({ status: studentClasses.status })
        .from(studentClasses)
        .where(and(eq(studentClasses.studentId, studentId), eq(studentClasses.classId, klass.id)));
      if (member?.status !== 'active') throw conflict('not_in_class', 'The student is not in this class');
      await setClassStatus(tx, studentId, klass.id, 'withdrawn', at);
    }
    const enrolledNow = enrols(input.payType) && current!.status !== 'enrolled';
    if (enrolledNow) {
      await tx
        .update(customers)
        .set({ status: 'enrolled', releaseAt: null, releasedReason: null, updatedAt: at })
        .where(eq(customers.id, customer.id));
      await endOwnership(tx, { customerId: customer.id, status: 'enrolled', endedAt: at, at });
    }
    await tellFinance(tx, payment!, { customerName: current!.name, className }, at);
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'create',
      entity: 'payment-records',
      entityId: payment!.id,
      after: payment,
      at,
    });
    const classesNow = await tx
      .select({ classId: studentClasses.classId, status: studentClasses.status })
      .from(studentClasses)
      .where(
        and(eq(studentClasses.studentId, studentId), inArray(studentClasses.status, ['active', 'withdrawn'])),
      );
    const status = enrolledNow ? 'enrolled' : current!.status;
    return {
      payment: payment!,
      enrolled: status === 'enrolled',
      enrolledNow,
      customer: { id: customer.id, name: current!.name, status },
      class: className,
      student: { id: studentId, name: current!.name },
      studentId,
      classes: classesNow,
    };
  });
}
