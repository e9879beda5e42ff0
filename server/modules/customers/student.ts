import { asc, eq } from 'drizzle-orm';
import { customerScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import { classes, courses, customers, studentClasses, students } from '../../db/schema/index.ts';
import { classNames } from '../../engine/present.ts';

export type CustomerStudent = {
  id: number;
  classes: { id: number; name: string; nameEn: string; status: string }[];
};

/**
 * The student a customer became (SPEC §3 "Enrolment"), with the classes they are in or left, for
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
  const rows = await db
    .select({
      id: classes.id,
      course: courses.name,
      semester: classes.semester,
      status: studentClasses.status,
    })
    .from(studentClasses)
    .innerJoin(classes, eq(classes.id, studentClasses.classId))
    .innerJoin(courses, eq(courses.id, classes.courseId))
    .where(eq(studentClasses.studentId, student.id))
    .orderBy(asc(classes.startDate), asc(classes.id));
  return {
    id: student.id,
    classes: rows.map((row) => ({ id: row.id, ...classNames(row.course, row.semester), status: row.status })),
  };
}
