import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Figures, PerformanceRow } from '../../../server/modules/reports/figures.ts';
import { api } from '../../api/client.ts';
import type { AbsenceAlert } from '../teaching/classApi.ts';

/** One consultant's month, as the route's own schema has it (server/modules/reports/figures.ts). */
export type { Figures, PerformanceRow };

export type Performance = {
  month: string;
  from: string;
  to: string;
  items: PerformanceRow[];
  totals: Figures;
};

export type PoolReason = 'no_followup' | 'no_deal' | 'unassigned';

/** Customers and the month, of one consultant or of the whole team. */
export type CustomerFigures = {
  following: number;
  expiringWithinDay: number;
  grabbedThisMonth: number;
  enrolledThisMonth: number;
};

/** A lesson as the home page names it; `date` is the school's calendar date. */
export type LessonRef = { id: number; dayNum: number; date: string; title: string; studyRecords: number };

/** A class the caller teaches or tutors (server/modules/lessons/my-classes.ts says what "to mark" is). */
export type MyClass = {
  id: number;
  label: string;
  roles: ('teacher' | 'tutor')[];
  students: number;
  toMark: number;
  lessonToMark: LessonRef | null;
  nextLesson: LessonRef | null;
  /** Students absent from lessons in a row (server/modules/lessons/absence.ts); absent from older servers. */
  alerts?: AbsenceAlert[];
};

/** `GET /api/dashboard`: each part only when the caller's permissions open what it summarises. */
export type Dashboard = {
  month: string;
  mine?: CustomerFigures;
  /** Everyone's customers and month, for whoever sees every customer. */
  teamSummary?: CustomerFigures;
  pool?: { total: number; capped: boolean; byReason: Record<PoolReason, number> };
  team?: PerformanceRow[];
  /** The classes the caller teaches or tutors (an empty list for a teacher with none yet). */
  classes?: MyClass[];
};

export const reportKeys = {
  performance: (month: string | null) => ['reports', 'performance', month ?? 'current'] as const,
  dashboard: ['reports', 'dashboard'] as const,
};

/** A calendar month `YYYY-MM`, or null for anything else (the server then picks the current one). */
export function parseMonth(value: string | null): string | null {
  return value && /^(19|20)\d{2}-(0[1-9]|1[0-2])$/.test(value) ? value : null;
}

/** A month's performance; the previous month's stays on screen while the next one loads. */
export function usePerformance(month: string | null) {
  return useQuery({
    queryKey: reportKeys.performance(month),
    queryFn: () => api.get<Performance>(`/reports/performance${month ? `?month=${month}` : ''}`),
    placeholderData: keepPreviousData,
  });
}

export function useDashboard() {
  return useQuery({
    queryKey: reportKeys.dashboard,
    queryFn: () => api.get<Dashboard>('/dashboard'),
    staleTime: 30_000,
  });
}

/** Money as the user's language writes it: ¥12,800.00. */
export function formatAmount(amount: string | number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY' }).format(Number(amount));
}
