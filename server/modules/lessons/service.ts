import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.ts';

/**
 * Gives every active student of each lesson's class a study record, skipping those who have one, so
 * it is safe to run again after new students join (docs/spec.md §5). Returns how many were created.
 */
export async function initialiseStudyRecords(tx: Executor, lessonIds: number[], at: Date): Promise<number> {
  if (lessonIds.length === 0) return 0;
  const created = await queryRows<{ id: number }>(
    tx,
    sql`insert into study_records (course_record_id, student_id, created_at, updated_at)
        select cr.id, sc.student_id, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
        from course_records cr
        join student_classes sc on sc.class_id = cr.class_id and sc.status = 'active'
        where cr.id in (${sql.join(
          lessonIds.map((id) => sql`${id}`),
          sql`, `,
        )})
        on conflict (course_record_id, student_id) do nothing
        returning id`,
  );
  return created.length;
}
