import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/** `GET/PUT /api/settings/pool` (server/modules/pool/routes.ts): the rules of docs/spec.md §3. */
export type PoolSettings = {
  followUpDays: number;
  dealDays: number;
  /** Null: the last owner may never grab a customer back. */
  previousOwnerCooldownDays: number | null;
  dailyGrabLimit: number;
  maxOwned: number;
  remindDaysBefore: number;
};

export const poolSettingsKey = ['settings', 'pool'] as const;

export function usePoolSettings() {
  return useQuery({
    queryKey: poolSettingsKey,
    queryFn: () => api.get<PoolSettings>('/settings/pool'),
  });
}

/** Saves the rules; `recomputed` is how many owned customers' release times moved with them. */
export const savePoolSettings = (settings: PoolSettings) =>
  api.put<{ settings: PoolSettings; recomputed: number }>('/settings/pool', settings);

/** `GET/PUT /api/settings/teaching`: the teaching rules managers keep beside the pool's (docs/spec.md §5). */
export type TeachingSettings = {
  /** Consecutive lessons missed (缺勤) that make an absence alert and tell the class's tutor. */
  absenceStreakLessons: number;
};

export const teachingSettingsKey = ['settings', 'teaching'] as const;

export function useTeachingSettings() {
  return useQuery({
    queryKey: teachingSettingsKey,
    queryFn: () => api.get<TeachingSettings>('/settings/teaching'),
  });
}

export const saveTeachingSettings = (settings: TeachingSettings) =>
  api.put<{ settings: TeachingSettings }>('/settings/teaching', settings);
