import { menuCatalogue, permissionCodes } from '../../auth/catalogue.ts';
import { syncCatalogue } from '../../auth/sync.ts';
import { addDays, businessDate } from '../../clock.ts';
import type { Tx } from '../../db/client.ts';
import type { PoolRules } from '../../modules/pool/rules.ts';
import { must, type Random } from '../shared/words.ts';
import { loadAuditTrail } from './audit-trail.ts';
import { type CustomerPlan, type DemoCustomerState, demoCustomerStates } from './customers.ts';
import { loadCustomers } from './load-customers.ts';
import { loadClasses, loadStaff } from './load-school.ts';
import { loadLessons, loadStudents } from './load-students.ts';
import { demoSaleRanks } from './staff.ts';

export type DemoSummary = {
  rows: {
    menus: number;
    permissions: number;
    departments: number;
    roles: number;
    role_permissions: number;
    users: number;
    user_roles: number;
    sale_ranks: number;
    pool_settings: number;
    schools: number;
    courses: number;
    classes: number;
    class_teachers: number;
    customers: number;
    customer_courses: number;
    customer_distributions: number;
    consult_records: number;
    payment_records: number;
    students: number;
    student_classes: number;
    course_records: number;
    study_records: number;
  };
  customers: Record<DemoCustomerState, number>;
};

/** Writes the planned school; the steps run in this order because ids and the generator depend on it. */
export async function load(
  tx: Tx,
  input: {
    at: Date;
    timezone: string;
    rules: PoolRules;
    plans: CustomerPlan[];
    rng: Random;
    passwordHash: string;
  },
): Promise<DemoSummary> {
  const { at, timezone, rules, plans, rng, passwordHash } = input;
  const founded = addDays(at, -120);
  const dateOf = (d: Date) => businessDate(d, timezone);

  await syncCatalogue(tx);
  const staff = await loadStaff(tx, { founded, rules, passwordHash });
  const { userId } = staff;
  const teaching = await loadClasses(tx, { at, founded, dateOf, userId });
  const { classId } = teaching;
  const sales = await loadCustomers(tx, { plans, rules, rng, userId, courseId: teaching.courseId });
  const { customerIds } = sales;
  const enrolment = await loadStudents(tx, { plans, customerIds, classId, userId });
  const { enrolled, studentId } = enrolment;
  const lessons = await loadLessons(tx, { at, dateOf, rng, classId, userId, enrolled, studentId });
  await loadAuditTrail(tx, must(userId, 'manager'));

  const stateCount = Object.fromEntries(demoCustomerStates.map((s) => [s, 0])) as Record<
    DemoCustomerState,
    number
  >;
  for (const plan of plans) stateCount[plan.state]++;
  return {
    rows: {
      menus: menuCatalogue.length,
      permissions: permissionCodes.length,
      departments: staff.rows.departments,
      roles: staff.rows.roles,
      role_permissions: staff.rows.role_permissions,
      users: staff.rows.users,
      user_roles: staff.rows.user_roles,
      sale_ranks: demoSaleRanks.length,
      pool_settings: 1,
      schools: teaching.rows.schools,
      courses: teaching.rows.courses,
      classes: teaching.rows.classes,
      class_teachers: teaching.rows.class_teachers,
      customers: sales.rows.customers,
      customer_courses: sales.rows.customer_courses,
      customer_distributions: sales.rows.customer_distributions,
      consult_records: sales.rows.consult_records,
      payment_records: enrolment.rows.payment_records,
      students: enrolment.rows.students,
      student_classes: enrolment.rows.student_classes,
      course_records: lessons.rows.course_records,
      study_records: lessons.rows.study_records,
    },
    customers: stateCount,
  };
}
