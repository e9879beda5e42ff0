import type { LessonRef, MyClass } from '../reports/api.ts';

/**
 * Where the home page's class cards lead, in one place: today the list pages filtered to the class
 * or the lesson. When a class gets its own page, and a lesson its attendance and score pages
 * (issue #22), these are the only lines to change.
 */
export const teachingLinks = {
  /** Where a lesson's attendance and scores are marked: its study records. */
  markLesson: (lesson: LessonRef) => `/study-records?courseRecordId=${lesson.id}`,
  /** A class's lessons, where study records are initialised when a lesson has none. */
  classLessons: (cls: Pick<MyClass, 'id'>) => `/course-records?classId=${cls.id}`,
  classStudents: (cls: Pick<MyClass, 'id'>) => `/students?classIds=${cls.id}`,
  /** The class's own page: its lessons, students, figures and absence alerts. */
  classPage: (cls: Pick<MyClass, 'id'>) => `/teaching/classes/${cls.id}`,
};
