import { courses } from '../../db/schema/index.ts';
import { defineResource } from '../../engine/types.ts';

export const coursesResource = defineResource({
  name: 'courses',
  title: '课程',
  titleEn: 'Courses',
  table: courses,
  id: courses.id,
  labelField: 'name',
  defaultSort: 'id',
  searchFields: ['name'],
  permissions: {
    list: 'course.list',
    create: 'course.update',
    update: 'course.update',
    delete: 'course.update',
  },
  fields: [
    { key: 'id', title: 'ID', titleEn: 'ID', kind: 'int', column: courses.id, readOnly: true, list: false },
    {
      key: 'name',
      title: '课程名称',
      titleEn: 'Name',
      kind: 'text',
      column: courses.name,
      required: true,
      maxLength: 100,
    },
    {
      key: 'createdAt',
      title: '创建时间',
      titleEn: 'Created',
      kind: 'datetime',
      column: courses.createdAt,
      readOnly: true,
    },
  ],
});
