import type { attendance } from '../../../server/db/schema/enums.ts';

/** An attendance code as the server stores it (server/db/schema/enums.ts `attendance`). */
export type Attendance = (typeof attendance)['codes'][number];

/**
 * The statuses in the order the school says them (已签到 迟到 缺勤 早退 请假): the order of the
 * sheet's buttons and of its summary, which is not the order the server lists its codes in.
 */
export const attendanceOrder = [
  'checked',
  'late',
  'noshow',
  'leave_early',
  'vacate',
] as const satisfies readonly Attendance[];

/** Each status's colour, an antd preset: present is green, absent red, excused blue. */
export const attendanceColors = {
  checked: 'green',
  late: 'orange',
  noshow: 'red',
  leave_early: 'gold',
  vacate: 'blue',
} as const satisfies Record<Attendance, string>;

/** The study-records action that sets a status: `leave_early` is `mark-leave-early`. */
export const markAction = (status: Attendance): string => `mark-${status.replace('_', '-')}`;

/** What the sheets need of a study record. */
export type SheetRecord = {
  id: number;
  student: { id: number; name: string } | null;
  attendance: Attendance;
};

/** The fields a study record is created with, and their values then (server/db/schema/teaching.ts). */
export type RecordState = { attendance: Attendance; score: number; homeworkNote: string; note: string };

/**
 * Whether a study record is as it was created: 已签到, N/A, no notes. A lesson whose records all are
 * has most likely never been marked (server/modules/lessons/my-classes.ts `looksRecorded` says the
 * same, and also knows whether it was saved since, which a list does not show).
 */
export function atDefaults(record: RecordState): boolean {
  return (
    record.attendance === 'checked' && record.score === -1 && record.homeworkNote === '' && record.note === ''
  );
}

/** Names sort the Chinese way (by pinyin) in either language: they are the students' own names. */
const names = new Intl.Collator('zh-CN');

/** A lesson's students by name, then by record, so that namesakes keep one order. */
export function byStudentName<T extends SheetRecord>(records: readonly T[]): T[] {
  return [...records].sort(
    (a, b) => names.compare(a.student?.name ?? '', b.student?.name ?? '') || a.id - b.id,
  );
}

export type AttendanceCounts = Record<Attendance, number>;

/** How many students have each status. */
export function countAttendance(records: readonly Pick<SheetRecord, 'attendance'>[]): AttendanceCounts {
  const counts: AttendanceCounts = { checked: 0, late: 0, noshow: 0, leave_early: 0, vacate: 0 };
  for (const record of records) counts[record.attendance] += 1;
  return counts;
}

/** The records with these ones' status set, as the server has them after a `mark-*` action. */
export function withAttendance<T extends Pick<SheetRecord, 'id' | 'attendance'>>(
  records: readonly T[],
  ids: readonly number[],
  status: Attendance,
): T[] {
  const marked = new Set(ids);
  return records.map((record) => (marked.has(record.id) ? { ...record, attendance: status } : record));
}

/** How many of these records already hold another status, which setting `status` would replace. */
export function overwrites(
  records: readonly Pick<SheetRecord, 'id' | 'attendance'>[],
  ids: readonly number[],
  status: Attendance,
): number {
  const chosen = new Set(ids);
  return records.filter((record) => chosen.has(record.id) && record.attendance !== status).length;
}
