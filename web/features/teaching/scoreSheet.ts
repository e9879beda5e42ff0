import type { ErrorDetail } from '../../api/client.ts';

/** What the score sheet needs of a study record. */
export type ScoreRecord = { id: number; score: number | null; homeworkNote: string | null };

/** A row's edits not saved yet; a key left out is as saved. */
export type ScoreDraft = { score?: number; homeworkNote?: string };
export type ScoreDrafts = Readonly<Record<number, ScoreDraft>>;

/** One row of `PUT /api/course-records/:id/scores`. */
export type ScoreRow = { studyRecordId: number; score: number; homeworkNote: string };

/** A row as the sheet shows it: the edit where there is one, else what is saved. */
export function shownRow(
  record: ScoreRecord,
  draft?: ScoreDraft,
): { score: number | null; homeworkNote: string } {
  return {
    score: draft?.score ?? record.score,
    homeworkNote: draft?.homeworkNote ?? record.homeworkNote ?? '',
  };
}

/** Whether a row differs from what is saved (a note differing only in outer spaces does not). */
export function isChanged(record: ScoreRecord, draft?: ScoreDraft): boolean {
  if (!draft) return false;
  const shown = shownRow(record, draft);
  return shown.score !== record.score || shown.homeworkNote.trim() !== (record.homeworkNote ?? '').trim();
}

/** How many rows have unsaved edits. */
export function changedCount(records: readonly ScoreRecord[], drafts: ScoreDrafts): number {
  return records.filter((record) => isChanged(record, drafts[record.id])).length;
}

/**
 * What a save sends: every row that has a grade (changed or not, so the sheet is saved whole), in
 * the sheet's order, notes trimmed. A row with no grade has nothing the server could store, unless
 * its note was just written: the server needs a grade with it, so such a row is named in `ungraded`
 * and the sheet is not sent until it has one.
 */
export function scoreSheet(
  records: readonly ScoreRecord[],
  drafts: ScoreDrafts,
): { rows: ScoreRow[]; ungraded: number[] } {
  const rows: ScoreRow[] = [];
  const ungraded: number[] = [];
  for (const record of records) {
    const draft = drafts[record.id];
    const { score, homeworkNote } = shownRow(record, draft);
    if (score !== null) rows.push({ studyRecordId: record.id, score, homeworkNote: homeworkNote.trim() });
    else if (homeworkNote.trim() !== '' && isChanged(record, draft)) ungraded.push(record.id);
  }
  return { rows, ungraded };
}

/** `scores[3].studyRecordId` (the service's words) or `scores.3.score` (the schema's). */
const ROW_FIELD = /^scores(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/;

/**
 * The server's refusals of a save, by the study record they name: `details[].field` points at a row
 * of the list sent (`sent[i]` is its study record). Details that name no row are left out.
 */
export function rowErrors(
  details: readonly ErrorDetail[],
  sent: readonly number[],
): Map<number, ErrorDetail> {
  const errors = new Map<number, ErrorDetail>();
  for (const detail of details) {
    const match = ROW_FIELD.exec(detail.field);
    if (!match) continue;
    const id = sent[Number(match[1] ?? match[2])];
    if (id !== undefined && !errors.has(id)) errors.set(id, detail);
  }
  return errors;
}

/** The records as the server has them once these rows are saved. */
export function withScores<T extends ScoreRecord>(records: readonly T[], rows: readonly ScoreRow[]): T[] {
  const saved = new Map(rows.map((row) => [row.studyRecordId, row]));
  return records.map((record) => {
    const row = saved.get(record.id);
    // A row saved as it was keeps its object, so the sheet draws again only the rows that changed.
    if (!row || (row.score === record.score && row.homeworkNote === record.homeworkNote)) return record;
    return { ...record, score: row.score, homeworkNote: row.homeworkNote };
  });
}

/** A grade of the list as the meta offers it: `{ value: 85, title: 'B+' }`. */
export type GradeOption = { value: string | number; title: string; titleEn: string };

/** The list split as the school reads it: grades (A+ … D), then marks that are no grade (N/A, COPY, FAIL). */
export function gradeGroups<T extends GradeOption>(options: readonly T[]): { grades: T[]; marks: T[] } {
  return {
    grades: options.filter((option) => Number(option.value) >= 0),
    marks: options.filter((option) => Number(option.value) < 0),
  };
}
