import { describe, expect, test } from 'vitest';
import type { ScorePoint } from './classApi.ts';
import { lessonAttendance, scoreChartSeries, studentSummary } from './scoreChartSeries.ts';

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
  const taken = (p: ScorePoint) => ({ ...p, status: p.attendance });
  test('counts the lessons attended and averages real grades only', () => {
    const summary = studentSummary(
      [
        point(1, 90, 'A', 'checked'),
        point(2, -1, 'N/A', 'noshow'),
        point(3, 85, 'B+', 'late'),
        point(4, -100, 'COPY', 'leave_early'),
        point(5, 0, 'D', 'vacate'),
        point(6, -1000, 'FAIL', 'checked'),
      ].map(taken),
    );
    // Present: 1 checked, 3 late, 4 left early, 6 checked = 4 of 6. Grades: (90 + 85 + 0) / 3 = 58.33.
    expect(summary).toEqual({ attended: 4, total: 6, average: 58.33 });
  });

  test('lessons to come and lessons nobody marked count neither way', () => {
    const summary = studentSummary([
      taken(point(1, 80, 'B', 'noshow')),
      { ...point(2, -1, 'N/A'), status: 'not_recorded' },
      { ...point(3, -1, 'N/A'), status: 'not_held' },
    ]);
    expect(summary).toEqual({ attended: 0, total: 1, average: 80 });
  });

  test('no grade, no average', () => {
    expect(studentSummary([taken(point(1, -1, 'N/A'))])).toEqual({ attended: 1, total: 1, average: null });
  });
});

describe('lessonAttendance', () => {
  // Lessons dated 2026-11-01 … : day n is 2026-11-0n.
  const absent = point(3, -1, 'N/A', 'noshow');
  test('a lesson after today is not held, whatever its record says', () => {
    expect(lessonAttendance(absent, '2026-11-02', null)).toBe('not_held');
  });
  test('a lesson nobody marked says so instead of its default 已签到', () => {
    expect(lessonAttendance(point(3, -1, 'N/A'), '2026-11-30', new Set([101, 102]))).toBe('not_recorded');
  });
  test('a marked lesson, or any lesson when it is unknown which were marked, says its status', () => {
    expect(lessonAttendance(absent, '2026-11-03', new Set([103]))).toBe('noshow');
    expect(lessonAttendance(absent, '2026-11-30', null)).toBe('noshow');
  });
});
