import { and, eq, inArray } from 'drizzle-orm';
import { Type } from 'typebox';
import { classScope, courseRecordScope, findInScope, studyRecordScope } from '../../auth/scopes.ts';
import type { Tx } from '../../db/client.ts';
import { attendance as attendanceEnum, scores } from '../../db/schema/enums.ts';
import { classes, classTeachers, courseRecords, studyRecords } from '../../db/schema/index.ts';
import { optionsOf } from '../../engine/fields.ts';
import { classRef, lessonLabel, lookups, NamedRef, presentRefs, refField } from '../../engine/present.ts';
import { type Body, type Context, defineResource, type Item } from '../../engine/types.ts';
import { insertColumns, updateColumns } from '../../engine/writes.ts';
import { badRequest } from '../../http/errors.ts';
import { notifyAbsenceStreaks } from './absence.ts';
import { initialiseStudyRecords } from './service.ts';

/**
 * A teacher may only add lessons to classes they teach or tutor; the class must be in their scope.
 * A lesson given no teacher is the creator's when they teach that class (who else would record it?).
 */
async function create(ctx: Context, body: Body): Promise<number> {
  const { tx, actor, at } = ctx;
  const classId = body.classId as number;
  try {
    await findInScope(tx, classes, classId, classScope(actor));
  } catch {
    throw badRequest('validation', 'classId: not found or no access', [
      { field: 'classId', message: 'not found or no access', code: 'unknown_reference' },
    ]);
  }
  const taught = body.teacherId === undefined && (await teaches(tx, actor.userId, classId));
  const id = await insertColumns(ctx, lessonsResource, taught ? { ...body, teacherId: actor.userId } : body);
  await initialiseStudyRecords(tx, [id], at);
  return id;
}

const presentLessonRefs = presentRefs({
  classId: ['class', lookups.classes],
  teacherId: ['teacher', lookups.users],
});

async function teaches(tx: Tx, userId: number, classId: number): Promise<boolean> {
  const [row] = await tx
    .select({ classId: classTeachers.classId })
    .from(classTeachers)
    .where(and(eq(classTeachers.classId, classId), eq(classTeachers.teacherId, userId)));
  return row !== undefined;
}

export const lessonsResource = defineResource({
  name: 'course-records',
  title: '上课记录',
  titleEn: 'Lessons',
  table: courseRecords,
  id: courseRecords.id,
  labelField: 'label',
  defaultSort: '-date',
  searchFields: ['title', 'homeworkTitle'],
  permissions: {
    list: 'course_record.list',
    create: 'course_record.create',
    update: 'course_record.update',
    delete: 'course_record.delete',
  },
  scope: courseRecordScope,
  fields: [
    {
      key: 'id',
      title: 'ID',
      titleEn: 'ID',
      kind: 'int',
      column: courseRecords.id,
      readOnly: true,
      list: false,
    },
    refField('classId', courseRecords.classId, classRef, { required: true, createOnly: true, filter: 'in' }),
    {
      key: 'dayNum',
      title: '节次',
      titleEn: 'Lesson no.',
      kind: 'int',
      column: courseRecords.dayNum,
      required: true,
      min: 1,
      max: 9999,
    },
    {
      key: 'date',
      title: '上课日期',
      titleEn: 'Date',
      kind: 'date',
      column: courseRecords.date,
      required: true,
      filter: 'range',
    },
    {
      key: 'teacherId',
      display: 'teacher',
      title: '讲师',
      titleEn: 'Teacher',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      column: courseRecords.teacherId,
      nullable: true,
      filter: 'in',
    },
    {
      key: 'title',
      title: '本节内容',
      titleEn: 'Title',
      kind: 'text',
      column: courseRecords.title,
      maxLength: 200,
    },
    {
      key: 'hasHomework',
      title: '有作业',
      titleEn: 'Homework',
      kind: 'bool',
      column: courseRecords.hasHomework,
      filter: 'bool',
    },
    {
      key: 'homeworkTitle',
      title: '作业标题',
      titleEn: 'Homework title',
      kind: 'text',
      column: courseRecords.homeworkTitle,
      list: false,
      maxLength: 200,
    },
    {
      key: 'homeworkMemo',
      title: '作业内容',
      titleEn: 'Homework',
      kind: 'longtext',
      column: courseRecords.homeworkMemo,
      list: false,
    },
    {
      key: 'exam',
      title: '踩分点',
      titleEn: 'Scoring points',
      kind: 'longtext',
      column: courseRecords.exam,
      list: false,
    },
    {
      key: 'memo',
      title: '备注',
      titleEn: 'Memo',
      kind: 'longtext',
      column: courseRecords.memo,
      list: false,
    },
  ],
  extra: { class: NamedRef, teacher: NamedRef, label: Type.String(), labelEn: Type.String() },
  present: async (db, rows) => {
    const items = await presentLessonRefs(db, rows);
    return items.map((item) => {
      const { name, nameEn } = lessonLabel(item.dayNum as number, item.title as string | null);
      return { ...item, label: name, labelEn: nameEn };
    });
  },
  create,
  actions: {
    'init-study-records': {
      title: '初始化学习记录',
      titleEn: 'Initialise study records',
      permission: 'course_record.create',
      run: ({ tx, at }, ids) => initialiseStudyRecords(tx, ids, at),
      countsAs: 'created',
    },
  },
});

/**
 * A study record's edit: its fields as given; when its attendance changed, the absence streaks of
 * its class are told in the same transaction (absence.ts).
 */
async function updateStudyRecord(ctx: Context, id: number, body: Body, before: Item): Promise<void> {
  await updateColumns(ctx, studyRecordsResource, id, body);
  if (body.attendance !== undefined && body.attendance !== before.attendance)
    await notifyAbsenceStreaks(ctx.tx, { studyRecordIds: [id], at: ctx.at, timezone: ctx.timezone });
}

export const studyRecordsResource = defineResource({
  name: 'study-records',
  title: '学习记录',
  titleEn: 'Study records',
  table: studyRecords,
  id: studyRecords.id,
  labelField: 'id',
  defaultSort: 'id',
  searchFields: ['homeworkNote', 'note'],
  permissions: { list: 'study_record.list', update: 'study_record.update' },
  scope: studyRecordScope,
  fields: [
    {
      key: 'id',
      title: 'ID',
      titleEn: 'ID',
      kind: 'int',
      column: studyRecords.id,
      readOnly: true,
      list: false,
    },
    {
      key: 'courseRecordId',
      display: 'lesson',
      title: '上课记录',
      titleEn: 'Lesson',
      kind: 'ref',
      ref: 'course-records',
      refLabel: 'label',
      column: studyRecords.courseRecordId,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'studentId',
      display: 'student',
      title: '学员',
      titleEn: 'Student',
      kind: 'ref',
      ref: 'students',
      refLabel: 'name',
      column: studyRecords.studentId,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'attendance',
      title: '考勤',
      titleEn: 'Attendance',
      kind: 'enum',
      options: optionsOf(attendanceEnum.labels),
      column: studyRecords.attendance,
      filter: 'in',
    },
    {
      key: 'score',
      title: '成绩',
      titleEn: 'Score',
      kind: 'enum',
      options: scores.map((s) => ({ value: s.value, title: s.label, titleEn: s.label })),
      column: studyRecords.score,
      filter: 'in',
    },
    {
      key: 'homeworkNote',
      title: '作业评语',
      titleEn: 'Homework note',
      kind: 'text',
      column: studyRecords.homeworkNote,
      maxLength: 500,
    },
    { key: 'note', title: '备注', titleEn: 'Note', kind: 'text', column: studyRecords.note, maxLength: 500 },
  ],
  extra: { lesson: NamedRef, student: NamedRef },
  present: presentRefs({
    courseRecordId: ['lesson', lookups.lessons],
    studentId: ['student', lookups.students],
  }),
  update: updateStudyRecord,
  actions: Object.fromEntries(
    attendanceEnum.codes.map((code) => [
      `mark-${code.replace('_', '-')}`,
      {
        title: `标记为${attendanceEnum.labels[code].zh}`,
        titleEn: `Mark ${attendanceEnum.labels[code].en.toLowerCase()}`,
        permission: 'study_record.update' as const,
        async run({ tx, at, timezone }: Context, ids: number[]) {
          const changed = await tx
            .update(studyRecords)
            .set({ attendance: code, updatedAt: at })
            .where(inArray(studyRecords.id, ids))
            .returning({ id: studyRecords.id });
          await notifyAbsenceStreaks(tx, { studyRecordIds: ids, at, timezone });
          return changed.length;
        },
      },
    ]),
  ),
});
