import { describe, expect, test } from 'vitest';
import { scores } from '../../../server/db/schema/enums.ts';
import { studyRecordsResource } from '../../../server/modules/lessons/resource.ts';
import {
  changedCount,
  gradeGroups,
  isChanged,
  rowErrors,
  type ScoreRecord,
  scoreSheet,
  withScores,
} from './scoreSheet.ts';

const records: ScoreRecord[] = [
  { id: 11, score: 90, homeworkNote: '完成较好' },
  { id: 12, score: null, homeworkNote: '' },
  { id: 13, score: -1, homeworkNote: null },
  { id: 14, score: null, homeworkNote: '' },
];

describe('the score sheet', () => {
  test('tracks what differs from the saved rows, ignoring outer spaces of a note', () => {
    expect(changedCount(records, {})).toBe(0);
    expect(isChanged(records[0]!, { score: 90, homeworkNote: ' 完成较好 ' })).toBe(false);
    expect(isChanged(records[0]!, { score: 85 })).toBe(true);
    expect(isChanged(records[2]!, { homeworkNote: '' })).toBe(false);
    expect(isChanged(records[1]!, { homeworkNote: '未交' })).toBe(true);
    expect(changedCount(records, { 11: { score: 85 }, 12: { score: 100 }, 13: { score: -1 } })).toBe(2);
  });

  test('sends every graded row, changed or not, in order, with trimmed notes; rows without a grade stay out', () => {
    const { rows, ungraded } = scoreSheet(records, { 12: { score: 100, homeworkNote: ' 很好 ' } });
    expect(rows).toEqual([
      { studyRecordId: 11, score: 90, homeworkNote: '完成较好' },
      { studyRecordId: 12, score: 100, homeworkNote: '很好' },
      { studyRecordId: 13, score: -1, homeworkNote: '' },
    ]);
    expect(ungraded).toEqual([]);
  });

  test('holds back a sheet where a note was written without a grade, naming the row', () => {
    const { rows, ungraded } = scoreSheet(records, { 14: { homeworkNote: '没交作业' } });
    expect(ungraded).toEqual([14]);
    expect(rows.map((row) => row.studyRecordId)).toEqual([11, 13]);
    // Spaces alone are no note.
    expect(scoreSheet(records, { 14: { homeworkNote: '  ' } }).ungraded).toEqual([]);
  });

  test("puts the server's refusals on the rows they name, in both ways the server names a row", () => {
    const sent = [11, 12, 13];
    const errors = rowErrors(
      [
        { field: 'scores[1].studyRecordId', message: 'not one of this lesson', code: 'not_in_lesson' },
        {
          field: 'scores.2.score',
          message: 'must be equal to one of the allowed values',
          code: 'not_allowed',
        },
        { field: 'scores.2.homeworkNote', message: 'too long', code: 'too_long' },
        { field: 'scores[7].studyRecordId', message: 'beyond the list', code: 'invalid' },
        { field: 'scores', message: 'empty', code: 'too_short' },
      ],
      sent,
    );
    expect([...errors.keys()]).toEqual([12, 13]);
    expect(errors.get(12)?.code).toBe('not_in_lesson');
    // The first refusal of a row is the one shown.
    expect(errors.get(13)?.code).toBe('not_allowed');
  });

  test('shows the saved rows as saved', () => {
    const saved = withScores(records, [{ studyRecordId: 12, score: 100, homeworkNote: '很好' }]);
    expect(saved[1]).toEqual({ id: 12, score: 100, homeworkNote: '很好' });
    expect(saved[0]).toBe(records[0]);
    // A row sent unchanged (the sheet sends every row) keeps its object: it is not drawn again.
    const again = withScores(saved, [
      { studyRecordId: 11, score: 90, homeworkNote: '完成较好' },
      { studyRecordId: 12, score: 100, homeworkNote: '很好' },
    ]);
    expect(again[0]).toBe(saved[0]);
    expect(again[1]).toBe(saved[1]);
  });

  test("offers the server's twelve values: the grades A+ … D, then N/A, COPY and FAIL", () => {
    const field = studyRecordsResource.fields.find((f) => f.key === 'score');
    const { grades, marks } = gradeGroups(field?.options ?? []);
    expect(grades.map((option) => option.title)).toEqual(['A+', 'A', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D']);
    expect(marks.map((option) => option.title)).toEqual(['N/A', 'COPY', 'FAIL']);
    expect([...grades, ...marks].map((option) => option.value)).toEqual(scores.map((s) => s.value));
  });
});
