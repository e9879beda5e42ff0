import { describe, expect, test } from 'vitest';
import type { ScorePoint } from './classApi.ts';
import { scoreChartSeries, studentSummary } from './scoreChartSeries.ts';

const point = (
  dayNum: number,
  score: number,
  label: string,
  attendance: ScorePoint['attendance'] = 'checked',
): ScorePoint => ({
  courseRecordId: 100 + dayNum,
  dayNum,
  date: `2026-11-${String(dayNum).padStart(2, '0')}`,
  title: `lesson ${dayNum}`,
  score,
  label,
  attendance,
});

const day = (n: number) => `第${n}节`;

describe('scoreChartSeries', () => {
  // Every grade of the list, the three marks, and a code below zero the list does not know.
  const points = [
    point(1, 100, 'A+'),
    point(2, -1, 'N/A'),
    point(3, 85, 'B+'),
    point(4, -100, 'COPY'),
    point(5, 0, 'D'),
    point(6, -1000, 'FAIL'),
    point(7, 40, 'C-'),
    point(8, -7, '-7'),
  ];
  const series = scoreChartSeries(points, day);

  test('no value below zero reaches the chart', () => {
    const drawn = [...series.grades, ...series.marks].filter((value) => value !== null);
    expect(drawn.length).toBe(points.length);
    for (const value of drawn) expect(value).toBeGreaterThanOrEqual(0);
    expect(Math.min(...(drawn as number[]))).toBe(0);
  });

  test('grades are bars at their value, marks are points on the axis, one per lesson', () => {
    expect(series.categories).toEqual([
      '第1节',
      '第2节',
      '第3节',
      '第4节',
      '第5节',
      '第6节',
      '第7节',
      '第8节',
    ]);
    expect(series.grades).toEqual([100, null, 85, null, 0, null, 40, null]);
    expect(series.marks).toEqual([null, 0, null, 0, null, 0, null, 0]);
    expect(series.kinds).toEqual(['grade', 'na', 'grade', 'copy', 'grade', 'fail', 'grade', 'other']);
  });

  test('each lesson is labelled with its letter or the mark’s name, D (0) being a grade', () => {
    expect(series.labels).toEqual(['A+', 'N/A', 'B+', 'COPY', 'D', 'FAIL', 'C-', '-7']);
  });

  test('a student without lessons draws nothing', () => {
    expect(scoreChartSeries([], day)).toEqual({
      categories: [],
      grades: [],
      marks: [],
      labels: [],
      kinds: [],
    });
  });
});

describe('studentSummary', () => {
  test('counts the lessons attended and averages real grades only', () => {
    const summary = studentSummary([
      point(1, 90, 'A', 'checked'),
      point(2, -1, 'N/A', 'noshow'),
      point(3, 85, 'B+', 'late'),
      point(4, -100, 'COPY', 'leave_early'),
      point(5, 0, 'D', 'vacate'),
      point(6, -1000, 'FAIL', 'checked'),
    ]);
    // Present: 1 checked, 3 late, 4 left early, 6 checked = 4 of 6. Grades: (90 + 85 + 0) / 3 = 58.33.
    expect(summary).toEqual({ attended: 4, total: 6, average: 58.33 });
  });

  test('no grade, no average', () => {
    expect(studentSummary([point(1, -1, 'N/A')])).toEqual({ attended: 1, total: 1, average: null });
  });
});
