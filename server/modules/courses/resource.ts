import { courses } from '../../db/schema/index.ts';
import { createdAtField, idField } from '../../engine/fields.ts';
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
    idField(courses.id),
    {
      key: 'name',
      title: '课程名称',
      titleEn: 'Name',
      kind: 'text',
      column: courses.name,
      required: true,
      maxLength: 100,
    },
    createdAtField(courses.createdAt),
  ],
});
