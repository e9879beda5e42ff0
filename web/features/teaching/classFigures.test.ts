import { describe, expect, test } from 'vitest';
import type { LessonStats } from './classApi.ts';
import {
  attendanceText,
  attendedCount,
  classChartSeries,
  formatRate,
  formatScore,
  lessonsHeld,
  nextDayNum,
} from './classFigures.ts';

const lesson = (dayNum: number, over: Partial<LessonStats> = {}): LessonStats => ({
  courseRecordId: dayNum,
  dayNum,
  date: `2026-12-${String(dayNum).padStart(2, '0')}`,
  title: '',
  teacher: null,
  studyRecords: 20,
  recorded: true,
  attendanceRate: 0.9,
  averageScore: 80,
  scored: 20,
  counts: { checked: 15, late: 2, leave_early: 1, vacate: 1, noshow: 1 },
  ...over,
});

describe('class figures', () => {
  test('present means checked in, late or left early', () => {
    // 15 checked + 2 late + 1 left early = 18 of 20; the one on leave and the absent one are not.
    expect(attendedCount(lesson(1))).toBe(18);
    expect(attendanceText(lesson(1))).toBe('18/20');
  });

  test('a lesson not recorded, or without study records, has no count', () => {
    expect(attendanceText(lesson(1, { recorded: false }))).toBeNull();
    expect(attendanceText(lesson(1, { studyRecords: 0 }))).toBeNull();
  });

  test('the next day number follows the highest, whatever the order', () => {
    expect(nextDayNum([])).toBe(1);
    expect(nextDayNum([lesson(3), lesson(1), lesson(7), lesson(2)])).toBe(8);
  });

  test('lessons held are those dated today or earlier', () => {
    expect(lessonsHeld([lesson(1), lesson(5), lesson(6), lesson(9)], '2026-12-06')).toBe(3);
  });

  test('rates and scores are worded in the language, nothing stays nothing', () => {
    expect(formatRate(0.875, 'en')).toBe('87.5%');
    expect(formatRate(1, 'zh-CN')).toBe('100%');
    expect(formatRate(null, 'en')).toBeNull();
    expect(formatScore(78.46, 'en')).toBe('78.5');
    expect(formatScore(null, 'en')).toBeNull();
  });

  test('the chart draws percent and grades over the lesson numbers, gaps where nothing is known', () => {
    const series = classChartSeries(
      [
        lesson(1, { attendanceRate: 0.8333, averageScore: 77.25 }),
        lesson(2, { attendanceRate: 1, averageScore: null }),
        lesson(3, { attendanceRate: null, averageScore: null }),
      ],
      (day) => `L${day}`,
    );
    expect(series).toEqual({
      categories: ['L1', 'L2', 'L3'],
      attendance: [83.3, 100, null],
      average: [77.3, null, null],
    });
  });
});
