import { useQuery } from '@tanstack/react-query';
import type { attendance, CodeOf } from '../../../server/db/schema/enums.ts';
import type { ClassStats as ServedClassStats } from '../../../server/modules/classes/stats.ts';
import type { ScoreChart } from '../../../server/modules/students/score-chart.ts';
import { api } from '../../api/client.ts';
import { resourceKeys } from '../../api/resource.ts';

/**
 * What the class page and the student's score page read (docs/spec.md §5, issue 22): a class's
 * figures by lesson, and one student's grades and attendance in one class.
 */

export type NamedRef = { id: number; name: string };

/** An attendance code (server/db/schema/enums.ts `attendance`), in the order the school names them. */
export const attendanceCodes = [
  'checked',
  'late',
  'leave_early',
  'vacate',
  'noshow',
] as const satisfies readonly CodeOf<typeof attendance>[];
export type AttendanceCode = CodeOf<typeof attendance>;

/** The tag colour of each attendance status (antd preset colours): came, came badly, excused, absent. */
export const attendanceColors: Record<AttendanceCode, string> = {
  checked: 'green',
  late: 'gold',
  leave_early: 'orange',
  vacate: 'blue',
  noshow: 'red',
};

/** A student absent from `lessons` recorded lessons in a row, since the lesson `since`. */
export type AbsenceAlert = {
  student: NamedRef;
  lessons: number;
  since: { courseRecordId: number; dayNum: number; date: string };
};

/**
 * `GET /api/classes/:id/stats` as the route's own schema has it, with the absence alerts and their
 * threshold, which not every server sends yet.
 */
export type ClassStats = ServedClassStats & {
  /** The teaching setting N: absent from N recorded lessons in a row is an alert. */
  absenceThreshold?: number;
  alerts?: AbsenceAlert[];
};

/** One lesson of the stats: counts by attendance, rate 0..1 (null until recorded), average of grades. */
export type LessonStats = ClassStats['lessons'][number];

/** `GET /api/students/:id/score-chart?classId=` (server/modules/students/score-chart.ts). */
export type { ScoreChart };

/** One lesson of a student's chart: `score` may be a code below zero (N/A, COPY, FAIL), `label` names it. */
export type ScorePoint = ScoreChart['points'][number];

export type ClassName = ScoreChart['class'];

/** The class item of `GET /api/classes/:id` (server/modules/classes/resource.ts), as the page reads it. */
export type ClassItem = {
  id: number;
  label: string;
  school: { id: number; title: string } | null;
  course: { id: number; name: string } | null;
  semester: number;
  startDate: string;
  graduateDate: string | null;
  tutor: NamedRef | null;
  teachers: NamedRef[];
  memo: string | null;
};

/**
 * Under the resource keys of classes and students, so that every save through the resource hooks
 * (a lesson created, attendance marked, a score sheet saved) refreshes the figures too.
 */
export const teachingKeys = {
  classStats: (id: number) => [...resourceKeys.resource('classes'), 'stats', String(id)] as const,
  scoreChart: (studentId: number, classId: number | null) =>
    [...resourceKeys.resource('students'), 'score-chart', String(studentId), String(classId ?? '')] as const,
};

/** A class's figures, for `useQuery` and for reading them afresh after a change. */
export const classStatsQuery = (id: number) => ({
  queryKey: teachingKeys.classStats(id),
  queryFn: () => api.get<ClassStats>(`/classes/${id}/stats`),
});

export function useClassStats(id: number | null) {
  return useQuery({ ...classStatsQuery(id ?? 0), enabled: id !== null });
}

/** A student's chart in one class (the student's latest class when `classId` is null). */
export function useScoreChart(studentId: number | null, classId: number | null) {
  return useQuery({
    queryKey: teachingKeys.scoreChart(studentId ?? 0, classId),
    queryFn: () =>
      api.get<ScoreChart>(
        `/students/${studentId}/score-chart${classId === null ? '' : `?classId=${classId}`}`,
      ),
    enabled: studentId !== null,
  });
}

/** Where the teaching pages are, in one place. */
export const teachingPaths = {
  classPage: (classId: number) => `/teaching/classes/${classId}`,
  attendance: (lessonId: number) => `/teaching/lessons/${lessonId}/attendance`,
  scores: (lessonId: number) => `/teaching/lessons/${lessonId}/scores`,
  studentScores: (studentId: number, classId: number) =>
    `/teaching/students/${studentId}/scores?classId=${classId}`,
};
