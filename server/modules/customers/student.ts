import { eq } from 'drizzle-orm';
import { customerScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import { customers, students } from '../../db/schema/index.ts';
import { classesOfStudents, type StudentClass } from '../students/classes.ts';

export type CustomerStudent = { id: number; classes: StudentClass[] };

/**
 * The student a customer became (docs/spec.md §3 "Enrolment"), with the classes they are in or left, for
 * whoever may read the customer: the consultant who enrolled them sees where their sale stands
 * without the teaching pages (student.list) that show every student of a class. Null before the
 * first payment.
 */
export async function studentOfCustomer(
  db: Db,
  actor: Actor,
  customerId: number,
): Promise<CustomerStudent | null> {
  await findInScope(db, customers, customerId, customerScope(actor));
  const [student] = await db
    .select({ id: students.id })
    .from(students)
    .where(eq(students.customerId, customerId));
  if (!student) return null;
  const classes = await classesOfStudents(db, [student.id]);
  return { id: student.id, classes: classes.get(student.id) ?? [] };
}
