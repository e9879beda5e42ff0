import { describe, expect, it } from 'vitest';
import { courses } from '../server/db/schema/index.ts';
import { defineResource } from '../server/engine/types.ts';
import type { saleRanksResource } from '../server/modules/assignment/resource.ts';
import type { auditLogResourceOver } from '../server/modules/audit/resource.ts';
import type { classesResource } from '../server/modules/classes/resource.ts';
import type { consultRecordsResource } from '../server/modules/consults/resource.ts';
import type { coursesResource } from '../server/modules/courses/resource.ts';
import type { customersResource } from '../server/modules/customers/resource.ts';
import type { departmentsResource } from '../server/modules/departments/resource.ts';
import type { myCustomersResource } from '../server/modules/distributions/my-customers.ts';
import type { distributionsResource } from '../server/modules/distributions/resource.ts';
import type { lessonsResource, studyRecordsResource } from '../server/modules/lessons/resource.ts';
import type { menusResource } from '../server/modules/menus/resource.ts';
import type { notificationsResource } from '../server/modules/notify/resource.ts';
import type { paymentRecordsResource } from '../server/modules/payments/resource.ts';
import type { permissionsResource } from '../server/modules/permissions/resource.ts';
import type { poolResource } from '../server/modules/pool/resource.ts';
import type { rolesResource } from '../server/modules/roles/resource.ts';
import type { schoolsResource } from '../server/modules/schools/resource.ts';
import type { studentsResource } from '../server/modules/students/resource.ts';
import type { usersResource } from '../server/modules/users/resource.ts';

/*
 * A resource's searchFields, defaultSort, labelField and confirmFields name its fields: tsc checks
 * them (engine/types.ts defineResource). This file is what proves it, to tsc more than to vitest:
 * each @ts-expect-error below fails the typecheck the day a misspelt key stops being an error.
 */

const fields = [
  { key: 'id', title: 'ID', titleEn: 'ID', kind: 'int', column: courses.id },
  { key: 'name', title: '课程名称', titleEn: 'Name', kind: 'text', column: courses.name },
] as const;
const course = {
  name: 'courses',
  title: '课程',
  titleEn: 'Courses',
  table: courses,
  id: courses.id,
  permissions: { list: 'course.list' },
} as const;

describe('a resource names only its own fields', () => {
  it('takes keys of its fields, a minus before a sort, and an extra as its label', () => {
    const ok = defineResource({
      ...course,
      fields: [...fields],
      extra: {},
      labelField: 'name',
      defaultSort: '-id',
      searchFields: ['name'],
    });
    expect(ok.labelField).toBe('name');
  });

  it('refuses a misspelt key, whichever property names it', () => {
    const keyed = { ...course, fields: [...fields] };
    const misspelt = [
      defineResource({
        ...keyed,
        // @ts-expect-error a label that is no field
        labelField: 'nmae',
        defaultSort: 'id',
        searchFields: [],
      }),
      defineResource({
        ...keyed,
        labelField: 'name',
        // @ts-expect-error a sort by no field
        defaultSort: '-nmae',
        searchFields: [],
      }),
      defineResource({
        ...keyed,
        labelField: 'name',
        defaultSort: 'id',
        // @ts-expect-error a search of no field
        searchFields: ['nmae'],
      }),
      defineResource({
        ...keyed,
        labelField: 'name',
        // @ts-expect-error two sorts are a list the engine reads, not one key
        defaultSort: 'id,name',
        searchFields: [],
      }),
    ];
    expect(misspelt).toHaveLength(4);
  });

  it('is checked for every resource served: none of them has keys tsc cannot see', () => {
    // `string` here would mean its fields were built where their keys were lost, and nothing checked.
    type Narrow<R extends { labelField: string }> = string extends R['labelField'] ? false : true;
    const narrow: Record<string, true> = {
      saleRanksResource: true satisfies Narrow<typeof saleRanksResource>,
      auditLogResource: true satisfies Narrow<ReturnType<typeof auditLogResourceOver>>,
      classesResource: true satisfies Narrow<typeof classesResource>,
      consultRecordsResource: true satisfies Narrow<typeof consultRecordsResource>,
      coursesResource: true satisfies Narrow<typeof coursesResource>,
      customersResource: true satisfies Narrow<typeof customersResource>,
      departmentsResource: true satisfies Narrow<typeof departmentsResource>,
      myCustomersResource: true satisfies Narrow<typeof myCustomersResource>,
      distributionsResource: true satisfies Narrow<typeof distributionsResource>,
      lessonsResource: true satisfies Narrow<typeof lessonsResource>,
      studyRecordsResource: true satisfies Narrow<typeof studyRecordsResource>,
      menusResource: true satisfies Narrow<typeof menusResource>,
      notificationsResource: true satisfies Narrow<typeof notificationsResource>,
      paymentRecordsResource: true satisfies Narrow<typeof paymentRecordsResource>,
      permissionsResource: true satisfies Narrow<typeof permissionsResource>,
      poolResource: true satisfies Narrow<typeof poolResource>,
      rolesResource: true satisfies Narrow<typeof rolesResource>,
      schoolsResource: true satisfies Narrow<typeof schoolsResource>,
      studentsResource: true satisfies Narrow<typeof studentsResource>,
      usersResource: true satisfies Narrow<typeof usersResource>,
    };
    expect(Object.keys(narrow)).toHaveLength(20);
  });
});
