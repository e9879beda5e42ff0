import type { LessonRef, MyClass } from '../reports/api.ts';
import { lessonSheetPath } from '../teaching/lessonPaths.ts';

/**
 * Where the home page's class cards lead, in one place: a lesson's attendance sheet (issue #22);
 * the list pages filtered to the class. When a class gets its own page, these are the lines to
 * change.
 */
export const teachingLinks = {
  /** Where a lesson is marked: its attendance sheet, a click from its score sheet. */
  markLesson: (lesson: LessonRef) => lessonSheetPath(lesson.id, 'attendance'),
  /** A class's lessons, where study records are initialised when a lesson has none. */
  classLessons: (cls: Pick<MyClass, 'id'>) => `/course-records?classId=${cls.id}`,
  classStudents: (cls: Pick<MyClass, 'id'>) => `/students?classIds=${cls.id}`,
  /** The class's own page: its lessons, students, figures and absence alerts. */
  classPage: (cls: Pick<MyClass, 'id'>) => `/teaching/classes/${cls.id}`,
};
