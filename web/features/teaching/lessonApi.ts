import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client.ts';
import { MAX_PAGE_SIZE, resourceApi, resourceKeys } from '../../api/resource.ts';
import { useResourceItem } from '../../components/resource/useResource.ts';
import { reportKeys } from '../reports/api.ts';
import { type Attendance, markAction, withAttendance } from './attendance.ts';
import { type ScoreRow, withScores } from './scoreSheet.ts';

/** A record's name as the server presents a reference; `nameEn` where English words it differently. */
export type NamedRef = { id: number; name: string; nameEn?: string };

/** A lesson as `GET /api/course-records/:id` answers it. */
export type Lesson = {
  id: number;
  classId: number;
  dayNum: number;
  /** The school's calendar day, `YYYY-MM-DD`. */
  date: string;
  title: string;
  teacherId: number | null;
  hasHomework: boolean;
  homeworkTitle: string;
  class: NamedRef | null;
  teacher: NamedRef | null;
  /** "第3节 函数与模块" / "Lesson 3 函数与模块". */
  label: string;
  labelEn: string;
};

/** A study record as `GET /api/study-records` lists it. */
export type StudyRecord = {
  id: number;
  courseRecordId: number;
  studentId: number;
  student: NamedRef | null;
  /** Created as 已签到 (`checked`). */
  attendance: Attendance;
  /** Created as N/A (-1). */
  score: number;
  homeworkNote: string;
  note: string;
};

/**
 * Under the study-records resource's key, so that any save through the generic hooks (which refresh
 * `resourceKeys.all`) refreshes the sheets too.
 */
export const lessonKeys = {
  records: (lessonId: number) =>
    [...resourceKeys.resource('study-records'), 'lesson', String(lessonId)] as const,
};

export function useLesson(id: number | null) {
  return useResourceItem<Lesson>('course-records', id);
}

/**
 * Every study record of a lesson, in one request: a page holds 200 (the server's largest), more
 * than a class has students; a bigger lesson is read page by page rather than cut short.
 */
async function lessonRecords(lessonId: number): Promise<StudyRecord[]> {
  const records: StudyRecord[] = [];
  for (let page = 1; ; page += 1) {
    const query = new URLSearchParams({
      courseRecordId: String(lessonId),
      sort: 'id',
      page: String(page),
      pageSize: String(MAX_PAGE_SIZE),
    });
    const answer = await resourceApi.list<StudyRecord>('study-records', query);
    records.push(...answer.items);
    if (answer.items.length < MAX_PAGE_SIZE || records.length >= answer.total) return records;
  }
}

export function useLessonRecords(lessonId: number | null) {
  return useQuery({
    queryKey: lessonKeys.records(lessonId ?? 0),
    queryFn: () => lessonRecords(lessonId ?? 0),
    enabled: lessonId !== null,
  });
}

/**
 * After a save the sheet already shows: every other view of lessons and study records (lists, the
 * class page, the home page's lessons to mark) is out of date, and reads again when next shown. The
 * sheet's own list is not read again at once, so that a click saved meanwhile never flickers back.
 */
function markOthersStale(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: resourceKeys.all, refetchType: 'none' }),
    queryClient.invalidateQueries({ queryKey: reportKeys.dashboard, refetchType: 'none' }),
  ]).then(() => undefined);
}

/**
 * Sets the attendance of some of a lesson's study records (`mark-*`), then shows it in the lesson's
 * list without reading it again. The caller shows the change before it is saved.
 */
export function useMarkAttendance(lessonId: number) {
  const queryClient = useQueryClient();
  return useCallback(
    async (ids: number[], status: Attendance): Promise<void> => {
      const key = lessonKeys.records(lessonId);
      // A read under way would bring back the status from before the click.
      await queryClient.cancelQueries({ queryKey: key });
      await resourceApi.action('study-records', markAction(status), { ids });
      await queryClient.cancelQueries({ queryKey: key });
      queryClient.setQueryData<StudyRecord[]>(
        key,
        (records) => records && withAttendance(records, ids, status),
      );
      void markOthersStale(queryClient);
    },
    [queryClient, lessonId],
  );
}

/** `PUT /api/course-records/:id/scores`: the whole sheet in one request. */
export function useSaveScores(lessonId: number) {
  const queryClient = useQueryClient();
  const key = lessonKeys.records(lessonId);
  return useMutation({
    mutationFn: (rows: ScoreRow[]) =>
      api.put<{ saved: number }>(`/course-records/${lessonId}/scores`, { scores: rows }),
    onSuccess: async (_answer, rows) => {
      await queryClient.cancelQueries({ queryKey: key });
      queryClient.setQueryData<StudyRecord[]>(key, (records) => records && withScores(records, rows));
      void markOthersStale(queryClient);
    },
  });
}

/**
 * 初始化学习记录 for one lesson: a study record for each active student of the class who has none.
 * Answers how many were added (`created`; older servers said it as `affected`).
 */
export function useInitStudyRecords(lessonId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const answer = await api.post<{ ok: true; affected: number; created?: number }>(
        '/course-records/actions/init-study-records',
        { ids: [lessonId] },
      );
      return answer.created ?? answer.affected;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: resourceKeys.all }),
        queryClient.invalidateQueries({ queryKey: reportKeys.dashboard }),
      ]),
  });
}
