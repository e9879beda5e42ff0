import dayjs from 'dayjs';
import { describe, expect, test } from 'vitest';
import type { Field, ResourceMeta } from '../../api/resource.ts';
import { refEntries, refLabel, refObjectKeys } from './fields.ts';
import { testField } from './testFields.ts';
import { apiQuery, parseListState } from './useListState.ts';
import { changedBody, createBody } from './values.ts';

/** These lists sort by any column. */
const field = (key: string, kind: Field['kind'], extra: Partial<Field> = {}): Field =>
  testField(key, kind, { sortable: true, ...extra });

const meta: ResourceMeta = {
  name: 'users',
  title: '用户',
  titleEn: 'Users',
  fields: [
    field('name', 'text', { required: true }),
    field('email', 'text', { nullable: true }),
    field('description', 'longtext'),
    field('departmentId', 'ref', { ref: 'departments', refLabel: 'title', filter: 'in', nullable: true }),
    field('roleIds', 'ref', { ref: 'roles', refLabel: 'title', multiple: true, sortable: false }),
    field('active', 'bool', { filter: 'bool' }),
    field('createdAt', 'datetime', { filter: 'range', readOnly: true, form: false }),
    field('birthday', 'date'),
  ],
  searchFields: ['name'],
  defaultSort: 'name',
  labelField: 'name',
  actions: [],
  allowed: { list: true, create: true, update: true, delete: true, export: false, actions: {} },
};

describe('list state in the URL', () => {
  test('the URL reads as the API query, with defaults and only what the meta knows', () => {
    const state = parseListState(
      new URLSearchParams(
        'q=%20san%20&departmentId=1,2&active=true&page=3&pageSize=999&bogus=1&sort=-roleIds',
      ),
    );
    expect(state).toMatchObject({ q: ' san ', page: 3, pageSize: 200, sort: '-roleIds' });
    const query = apiQuery(state, meta);
    // Unknown parameters are dropped and an unsortable sort falls back to the default.
    expect(query.toString()).toBe('q=san&departmentId=1%2C2&active=true&sort=name&page=3&pageSize=200');
    expect(
      apiQuery(parseListState(new URLSearchParams('sort=-createdAt')), meta, { paged: false }).get('sort'),
    ).toBe('-createdAt');
  });

  test('a link to one record (?id=) reaches the API, whatever the meta filters', () => {
    expect(apiQuery(parseListState(new URLSearchParams('id=7')), meta).get('id')).toBe('7');
  });

  test("a list in the server's own order sends a sort only when the user chose a valid one", () => {
    const serverOrder = (search: string) =>
      apiQuery(parseListState(new URLSearchParams(search)), meta, { defaultSort: false }).toString();
    expect(serverOrder('q=san')).toBe('q=san&page=1&pageSize=20');
    expect(serverOrder('sort=-roleIds')).toBe('page=1&pageSize=20');
    expect(serverOrder('sort=-createdAt')).toBe('sort=-createdAt&page=1&pageSize=20');
  });
});

describe('form values', () => {
  test('a PATCH carries only the changed fields; cleared fields become null or empty', () => {
    const item = {
      id: 1,
      name: '三江',
      email: 'a@b.c',
      description: 'x',
      departmentId: 2,
      roleIds: [3, 1],
      active: true,
      birthday: '2000-01-02',
    };
    const values = {
      name: ' 三江 ',
      email: '',
      description: '',
      departmentId: 2,
      roleIds: [1, 3],
      active: true,
      birthday: dayjs('2000-01-03'),
    };
    expect(changedBody(meta.fields, values, item)).toEqual({
      email: null,
      description: '',
      birthday: '2000-01-03',
    });
  });

  test('a create leaves out what the user left empty', () => {
    expect(createBody(meta.fields, { name: '大傻', email: ' ', roleIds: [], active: false })).toEqual({
      name: '大傻',
      active: false,
    });
  });
});

describe('refs', () => {
  test('an item’s objects name its ref values; values without one fall back to themselves', () => {
    expect(refObjectKeys('departmentId')).toEqual(['department']);
    expect(refObjectKeys('roleIds')).toEqual(['roles']);
    expect(refObjectKeys('parentCode')).toEqual(['parent']);
    const roles = meta.fields.find((f) => f.key === 'roleIds') as Field;
    expect(refEntries(roles, { id: 1, roleIds: [1, 9], roles: [{ id: 1, title: '讲师' }] })).toEqual([
      { value: 1, label: '讲师', carried: true },
      { value: 9, label: '9', carried: false },
    ]);
  });

  test('a name with an English form shows it in English, and the name itself in Chinese', () => {
    const klass: Field = {
      key: 'classId',
      title: '班级',
      titleEn: 'Class',
      kind: 'ref',
      ref: 'classes',
      refLabel: 'label',
      list: true,
      sortable: true,
      form: false,
    };
    const item = {
      id: 7,
      classId: 1,
      class: { id: 1, name: 'Python全栈 (9期)', nameEn: 'Python全栈 (term 9)' },
    };
    expect(refEntries(klass, item, 'zh-CN')[0]?.label).toBe('Python全栈 (9期)');
    expect(refEntries(klass, item, 'en')[0]?.label).toBe('Python全栈 (term 9)');
    expect(refLabel(klass, { id: 2, title: '课程顾问', titleEn: 'Consultant' }, 'en')).toBe('Consultant');
    expect(refLabel(klass, { id: 3, name: '三江' }, 'en')).toBe('三江');
  });

  test('a ref is named in English where the item carries an English name', () => {
    const lesson = field('courseRecordId', 'ref', { ref: 'course-records', refLabel: 'label' });
    const item = { id: 3, label: '第3节 函数', labelEn: 'Lesson 3 函数' };
    expect(refLabel(lesson, item, 'zh-CN')).toBe('第3节 函数');
    expect(refLabel(lesson, item, 'en')).toBe('Lesson 3 函数');
    expect(refLabel(lesson, { id: 4, label: '第4节' }, 'en')).toBe('第4节');
  });
});
