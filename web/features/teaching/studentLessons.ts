import { useTranslation } from 'react-i18next';
import { attendanceColors, type ScorePoint } from './classApi.ts';
import type { LessonAttendance } from './scoreChartSeries.ts';

/** A lesson of a student's page: the chart's point and what its attendance says (lessonAttendance). */
export type StudentLesson = ScorePoint & { status: LessonAttendance };

/** The tag colour of a lesson's attendance; grey for a lesson to come or never marked. */
export function statusColor(status: LessonAttendance): string {
  return status === 'not_held' || status === 'not_recorded' ? 'default' : attendanceColors[status];
}

/** A lesson's attendance in words: 已签到 … 请假, 未上课, 未录入. */
export function useStatusWord(): (status: LessonAttendance) => string {
  const { t } = useTranslation();
  return (status) =>
    status === 'not_held'
      ? t('classPage.notHeld')
      : status === 'not_recorded'
        ? t('classPage.notRecorded')
        : t(`classPage.attendance.${status}`);
}
