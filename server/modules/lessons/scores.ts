import { and, eq, inArray, sql } from 'drizzle-orm';
import { courseRecordScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import type { scores } from '../../db/schema/enums.ts';
import { courseRecords, studyRecords } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { invalidField } from '../../http/errors.ts';

export type ScoreValue = (typeof scores)[number]['value'];
export type ScoreRow = { studyRecordId: number; score: ScoreValue; homeworkNote: string };

/** More rows than any lesson has students; the route's schema refuses a longer list. */
export const MAX_SCORE_ROWS = 1_000;

/**
 * 录成绩: a lesson's score sheet saved at once. Only study records of that lesson, only the grades
 * of the list (the route's schema), only the score and the homework note; a row that breaks a rule
 * is named (`scores[3].studyRecordId`) and nothing is saved. The lesson must be in the actor's class
 * scope, else 404 as every scope answers.
 */
export async function saveScores(
  db: Db,
  { actor, lessonId, rows }: { actor: Actor; lessonId: number; rows: ScoreRow[] },
): Promise<{ saved: number }> {
  const seen = new Map<number, number>();
  rows.forEach((row, i) => {
    const first = seen.get(row.studyRecordId);
    if (first !== undefined) {
      throw invalidField(
        `scores[${i}].studyRecordId`,
        'repeated',
        `study record ${row.studyRecordId} is already in scores[${first}]`,
      );
    }
    seen.set(row.studyRecordId, i);
  });
  const at = now();
  return db.transaction(async (tx) => {
    await findInScope(tx, courseRecords, lessonId, courseRecordScope(actor));
    const ids = rows.map((row) => row.studyRecordId);
    const before = await tx
      .select({ id: studyRecords.id, score: studyRecords.score, homeworkNote: studyRecords.homeworkNote })
      .from(studyRecords)
      .where(and(eq(studyRecords.courseRecordId, lessonId), inArray(studyRecords.id, ids)))
      .orderBy(studyRecords.id)
      .for('update');
    const found = new Set(before.map((record) => record.id));
    const stranger = rows.findIndex((row) => !found.has(row.studyRecordId));
    if (stranger >= 0) {
      throw invalidField(
        `scores[${stranger}].studyRecordId`,
        'not_in_lesson',
        `study record ${rows[stranger]!.studyRecordId} is not one of this lesson's`,
      );
    }
    await tx.execute(sql`
      update study_records s
      set score = v.score, homework_note = v."homeworkNote", updated_at = ${at}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v("studyRecordId" int, score int, "homeworkNote" text)
      where s.id = v."studyRecordId"`);
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'scores',
      entity: 'course-records',
      entityId: lessonId,
      before: { scores: before },
      after: { scores: rows },
      at,
    });
    return { saved: rows.length };
  });
}
