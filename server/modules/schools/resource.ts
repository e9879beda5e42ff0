import { schools } from '../../db/schema/index.ts';
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
    { key: 'id', title: 'ID', titleEn: 'ID', kind: 'int', column: schools.id, readOnly: true, list: false },
    {
      key: 'title',
      title: '校区名称',
      titleEn: 'Name',
      kind: 'text',
      column: schools.title,
      required: true,
      maxLength: 100,
    },
    {
      key: 'createdAt',
      title: '创建时间',
      titleEn: 'Created',
      kind: 'datetime',
      column: schools.createdAt,
      readOnly: true,
    },
  ],
});
