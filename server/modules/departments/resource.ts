import { departments } from '../../db/schema/index.ts';
import { defineResource } from '../../engine/types.ts';

export const departmentsResource = defineResource({
  name: 'departments',
  title: '部门',
  titleEn: 'Departments',
  table: departments,
  id: departments.id,
  labelField: 'title',
  defaultSort: 'code',
  searchFields: ['title'],
  permissions: {
    list: 'department.list',
    create: 'department.update',
    update: 'department.update',
    delete: 'department.update',
  },
  fields: [
    {
      key: 'id',
      title: 'ID',
      titleEn: 'ID',
      kind: 'int',
      column: departments.id,
      readOnly: true,
      list: false,
    },
    {
      key: 'code',
      title: '部门编号',
      titleEn: 'Code',
      kind: 'int',
      column: departments.code,
      required: true,
      min: 1,
      max: 99_999,
      filter: 'in',
    },
    {
      key: 'title',
      title: '名称',
      titleEn: 'Title',
      kind: 'text',
      column: departments.title,
      required: true,
      maxLength: 100,
    },
  ],
});
