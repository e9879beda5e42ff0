import { schools } from '../../db/schema/index.ts';
import { createdAtField, idField } from '../../engine/fields.ts';
import { defineResource } from '../../engine/types.ts';

export const schoolsResource = defineResource({
  name: 'schools',
  title: '校区',
  titleEn: 'Campuses',
  table: schools,
  id: schools.id,
  labelField: 'title',
  defaultSort: 'id',
  searchFields: ['title'],
  permissions: {
    list: 'school.list',
    create: 'school.update',
    update: 'school.update',
    delete: 'school.update',
  },
  fields: [
    idField(schools.id),
    {
      key: 'title',
      title: '校区名称',
      titleEn: 'Name',
      kind: 'text',
      column: schools.title,
      required: true,
      maxLength: 100,
    },
    createdAtField(schools.createdAt),
  ],
});
