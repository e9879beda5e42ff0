import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { CodeOf, studentClassStatus } from '../../db/schema/enums.ts';
import { classes, courses, studentClasses } from '../../db/schema/index.ts';
import { classNames } from '../../engine/present.ts';

export type StudentClass = {
  id: number;
  name: string;
  nameEn: string;
  status: CodeOf<typeof studentClassStatus>;
};

/**
 * The classes each of these students is in or left, named as the school names them, in the order
 * they started: what the students list and a customer's student card both show.
 */
export async function classesOfStudents(
  db: Executor,
  studentIds: number[],
): Promise<Map<number, StudentClass[]>> {
  const byStudent = new Map<number, StudentClass[]>(studentIds.map((id) => [id, []]));
  if (studentIds.length === 0) return byStudent;
  const rows = await db
    .select({
      studentId: studentClasses.studentId,
      id: classes.id,
      course: courses.name,
      semester: classes.semester,
      status: studentClasses.status,
    })
    .from(studentClasses)
    .innerJoin(classes, eq(classes.id, studentClasses.classId))
    .innerJoin(courses, eq(courses.id, classes.courseId))
    .where(inArray(studentClasses.studentId, studentIds))
    .orderBy(asc(classes.startDate), asc(classes.id));
  for (const row of rows) {
    byStudent
      .get(row.studentId)
      ?.push({ id: row.id, ...classNames(row.course, row.semester), status: row.status });
  }
  return byStudent;
}
