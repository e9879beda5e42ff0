import { and, eq, inArray } from 'drizzle-orm';
import { customerScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Db, Tx } from '../../db/client.ts';
import { classes, customers, paymentRecords, studentClasses, students } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { badRequest, conflict, invalidField } from '../../http/errors.ts';
import { endOwnership } from '../distributions/service.ts';
import { enqueueForHolders } from '../notify/outbox.ts';

export type PaymentInput = {
  customerId: number;
  classId: number;
  payType: 'deposit' | 'tuition' | 'transfer' | 'withdraw' | 'refund';
  paidFee: string;
  quote?: string | null;
  turnover?: string | null;
  note?: string;
  paidAt?: string;
};

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

/** Finance, who confirm payments: told of each new one. */
async function tellFinance(tx: Tx, paymentId: number, at: Date) {
  await enqueueForHolders(tx, {
    code: 'payment_record.confirm',
    event: 'payment_to_confirm',
    payload: { paymentId },
    key: String(paymentId),
    at,
  });
}

/**
 * A payment (SPEC §3 "Enrolment"), in one transaction: a deposit or tuition enrols the customer —
 * it leaves the pool's reach for good, its owner's period becomes `enrolled`, it becomes a student
 * of the class. A transfer puts the student in another class; a withdrawal marks them withdrawn
 * from the class; a refund records the money. None of these un-enrols the customer.
 */
export async function recordPayment(db: Db, actor: Actor, input: PaymentInput) {
  const at = now();
  const paidAt = input.paidAt ? new Date(input.paidAt) : at;
  if (Number.isNaN(paidAt.getTime())) {
    throw invalidField('paidAt', 'not_a_date', 'not a date');
  }
  return db.transaction(async (tx) => {
    const customer = await findInScope(tx, customers, input.customerId, customerScope(actor));
    // Held until commit: a grab or the sweep waits rather than acting on a customer being enrolled.
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for('update');
    const [klass] = await tx.select({ id: classes.id }).from(classes).where(eq(classes.id, input.classId));
    if (!klass)
      throw badRequest('validation', 'classId: no such class', [
        { field: 'classId', message: 'no such class', code: 'unknown_reference' },
      ]);

    const enrols = input.payType === 'deposit' || input.payType === 'tuition';
    const [current] = await tx.select().from(customers).where(eq(customers.id, customer.id));
    if (!enrols && current!.status !== 'enrolled') {
      throw conflict(
        'not_enrolled',
        `A ${input.payType} needs an enrolled customer; record a deposit or tuition first`,
        { payType: input.payType },
      );
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
    if (enrols || input.payType === 'transfer') await setClassStatus(tx, studentId, klass.id, 'active', at);
    if (input.payType === 'withdraw') {
      const [member] = await tx
        .select({ status: studentClasses.status })
        .from(studentClasses)
        .where(and(eq(studentClasses.studentId, studentId), eq(studentClasses.classId, klass.id)));
      if (member?.status !== 'active') throw conflict('not_in_class', 'The student is not in this class');
      await setClassStatus(tx, studentId, klass.id, 'withdrawn', at);
    }
    if (enrols && current!.status !== 'enrolled') {
      await tx
        .update(customers)
        .set({ status: 'enrolled', releaseAt: null, releasedReason: null, updatedAt: at })
        .where(eq(customers.id, customer.id));
      await endOwnership(tx, { customerId: customer.id, status: 'enrolled', endedAt: at, at });
    }
    await tellFinance(tx, payment!.id, at);
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
    return { payment: payment!, studentId, classes: classesNow };
  });
}
