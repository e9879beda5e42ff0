import { describe, expect, test } from 'vitest';
import { attendance } from '../../../server/db/schema/enums.ts';
import { looksRecorded } from '../../../server/modules/lessons/my-classes.ts';
import { studyRecordsResource } from '../../../server/modules/lessons/resource.ts';
import {
  atDefaults,
  attendanceColors,
  attendanceOrder,
  byStudentName,
  countAttendance,
  markAction,
  overwrites,
  type RecordState,
  type SheetRecord,
  withAttendance,
} from './attendance.ts';

const record = (id: number, name: string, status: SheetRecord['attendance'] = 'checked'): SheetRecord => ({
  id,
  student: { id: id * 10, name },
  attendance: status,
});

describe('the attendance sheet', () => {
  test("offers every status the server stores, in the school's order, each with its colour", () => {
    expect([...attendanceOrder].sort()).toEqual([...attendance.codes].sort());
    expect(attendanceOrder).toEqual(['checked', 'late', 'noshow', 'leave_early', 'vacate']);
    expect(Object.keys(attendanceColors).sort()).toEqual([...attendance.codes].sort());
  });

  test('saves each status through the study-records action of that name', () => {
    const served = Object.keys(studyRecordsResource.actions ?? {});
    expect(attendanceOrder.map(markAction)).toEqual([
      'mark-checked',
      'mark-late',
      'mark-noshow',
      'mark-leave-early',
      'mark-vacate',
    ]);
    for (const status of attendanceOrder) expect(served).toContain(markAction(status));
  });

  test('lists students by name in pinyin order, namesakes by record, whatever the language', () => {
    const records = [
      record(3, '赵六'),
      record(1, '张三'),
      record(2, '李四'),
      record(4, '李四'),
      record(5, 'Amy'),
    ];
    // li, li, zhang, zhao; Chinese collation puts Latin names after the Han ones.
    expect(byStudentName(records).map((r) => r.id)).toEqual([2, 4, 1, 3, 5]);
    // The input is left as it was.
    expect(records.map((r) => r.id)).toEqual([3, 1, 2, 4, 5]);
    const latin = [record(1, 'bob'), record(2, 'Alice'), record(3, 'Carol')];
    expect(byStudentName(latin).map((r) => r.id)).toEqual([2, 1, 3]);
  });

  test('counts each status', () => {
    const records = [
      record(1, 'a', 'checked'),
      record(2, 'b', 'checked'),
      record(3, 'c', 'late'),
      record(4, 'd', 'vacate'),
      record(5, 'e', 'noshow'),
    ];
    expect(countAttendance(records)).toEqual({ checked: 2, late: 1, noshow: 1, leave_early: 0, vacate: 1 });
    expect(countAttendance([])).toEqual({ checked: 0, late: 0, noshow: 0, leave_early: 0, vacate: 0 });
  });

  test('tells a record still as created, as the home page judges "recorded" (but for the save time)', () => {
    const created = new Date('2026-12-01T02:00:00Z');
    const states: RecordState[] = [
      { attendance: 'checked', score: -1, homeworkNote: '', note: '' },
      { attendance: 'late', score: -1, homeworkNote: '', note: '' },
      { attendance: 'checked', score: 90, homeworkNote: '', note: '' },
      { attendance: 'checked', score: -1, homeworkNote: '未交', note: '' },
      { attendance: 'checked', score: -1, homeworkNote: '', note: '病假' },
    ];
    expect(states.map(atDefaults)).toEqual([true, false, false, false, false]);
    for (const state of states) {
      expect(atDefaults(state)).toBe(!looksRecorded({ ...state, createdAt: created, updatedAt: created }));
    }
  });

  test('sets the chosen rows only, and says how many held another status', () => {
    const records = [
      record(1, 'a', 'vacate'),
      record(2, 'b', 'checked'),
      record(3, 'c'),
      record(4, 'd', 'late'),
    ];
    const marked = withAttendance(records, [1, 2, 3], 'checked');
    expect(marked.map((r) => r.attendance)).toEqual(['checked', 'checked', 'checked', 'late']);
    expect(records[0]?.attendance).toBe('vacate');
    // 请假 would be replaced; already checked or not marked is no loss.
    expect(overwrites(records, [1, 2, 3], 'checked')).toBe(1);
    expect(overwrites(records, [1, 2, 3, 4], 'checked')).toBe(2);
    expect(overwrites(records, [], 'checked')).toBe(0);
  });
});
