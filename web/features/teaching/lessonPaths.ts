/** The teaching pages a lesson's sheets link to and from (issue #22), in one place. */

export type LessonSheet = 'attendance' | 'scores';

/** A lesson's attendance sheet or score sheet. */
export const lessonSheetPath = (lessonId: number, sheet: LessonSheet): string =>
  `/teaching/lessons/${lessonId}/${sheet}`;

/** A class's own page. */
export const classPagePath = (classId: number): string => `/teaching/classes/${classId}`;

/** A student's scores chart in one class. */
export const studentScoresPath = (studentId: number, classId: number): string =>
  `/teaching/students/${studentId}/scores?classId=${classId}`;
