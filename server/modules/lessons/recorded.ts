import { type SQL, sql } from 'drizzle-orm';
import type { attendance, CodeOf } from '../../db/schema/enums.ts';
import { studyRecords } from '../../db/schema/index.ts';

/**
 * Whether a study record has been recorded (marked), which has to be guessed: a study record is
 * created at its defaults (attendance 已签到, score N/A), and a lesson where everyone came and
 * nobody was scored looks the same as one never marked. So a study record counts as recorded when
 * anything of it differs from the defaults, or when it was saved after it was created (every save,
 * the bulk 标记为已签到 included, moves `updated_at`). The home page's lessons to mark
 * (my-classes.ts) and the absence streaks (absence.ts) both go by it.
 */

/** The fields of a study record the defaults are judged on. */
export type StudyRecordState = {
  attendance: CodeOf<typeof attendance>;
  score: number;
  homeworkNote: string;
  note: string;
  createdAt: Date;
  updatedAt: Date;
};

/** Whether a study record looks recorded (see the top of this file); `recordedSql` is its twin. */
export function looksRecorded(record: StudyRecordState): boolean {
  return (
    record.attendance !== 'checked' ||
    record.score !== -1 ||
    record.homeworkNote !== '' ||
    record.note !== '' ||
    record.updatedAt.getTime() > record.createdAt.getTime()
  );
}

/** `looksRecorded` as a condition on `study_records`. */
export const recordedSql: SQL = sql`(${studyRecords.attendance} <> 'checked' or ${studyRecords.score} <> -1
  or ${studyRecords.homeworkNote} <> '' or ${studyRecords.note} <> ''
  or ${studyRecords.updatedAt} > ${studyRecords.createdAt})`;
