import type { TFunction } from 'i18next';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whole days, hours and minutes in a span of time (never negative). */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(ms / MINUTE)) * MINUTE;
  return {
    days: Math.floor(total / DAY),
    hours: Math.floor((total % DAY) / HOUR),
    minutes: Math.floor((total % HOUR) / MINUTE),
  };
}

/**
 * A span as people say it, to the two largest units: "2 天 3 小时", "5 小时 12 分钟", "8 分钟".
 * Rounded down, so a countdown never promises more time than there is.
 */
export function formatDuration(ms: number, t: TFunction): string {
  const { days, hours, minutes } = splitDuration(ms);
  if (days > 0) return t('pool.duration.daysHours', { days, hours });
  if (hours > 0) return t('pool.duration.hoursMinutes', { hours, minutes });
  return t('pool.duration.minutes', { minutes });
}

export const DAY_MS = DAY;
