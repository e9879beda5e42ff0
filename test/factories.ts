import { eq, inArray, max } from 'drizzle-orm';
import type { PermissionCode } from '../server/auth/catalogue.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { businessDate, now } from '../server/clock.ts';
import { DEFAULT_TIMEZONE } from '../server/config.ts';
import type { Executor } from '../server/db/client.ts';
import {
  classes,
  classTeachers,
  courseRecords,
  courses,
  customerCourses,
  customers,
  paymentRecords,
  rolePermissions,
  roles,
  schools,
  userRoles,
  users,
} from '../server/db/schema/index.ts';
import { startOwnership, type Via } from '../server/modules/distributions/service.ts';
import { initialiseStudyRecords } from '../server/modules/lessons/service.ts';
import { loadPoolSettings } from '../server/modules/pool/settings.ts';
import { type Session, signIn, type TestApp } from './app.ts';

let counter = 0;
const unique = (prefix: string) => `${prefix}${process.pid}_${++counter}`;

export const TEST_PASSWORD = 'correct-horse-battery';

/** The id of the user signing in as `username` (the demo's people, say). */
export async function userIdOf(db: Executor, username: string): Promise<number> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
}
let passwordHash: Promise<string> | undefined;

/** A role granting exactly these codes. */
export async function makeRole(db: Executor, codes: PermissionCode[], code = unique('role_')) {
  const [role] = await db.insert(roles).values({ code, title: code }).returning();
  if (!role) throw new Error('role insert returned nothing');
  if (codes.length) {
    await db
      .insert(rolePermissions)
      .values(codes.map((permissionCode) => ({ roleId: role.id, permissionCode })));
  }
  return role;
}

/** A staff member who can sign in with TEST_PASSWORD, holding the given codes through a role of their own. */
export async function makeUser(
  db: Executor,
  options: {
    username?: string;
    name?: string;
    codes?: PermissionCode[];
    roleCodes?: string[];
    active?: boolean;
  } = {},
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = options.username ?? unique('user_');
  const [user] = await db
    .insert(users)
    .values({
      username,
      name: options.name ?? `Test ${username}`,
      passwordHash: await passwordHash,
      active: options.active ?? true,
    })
    .returning();
  if (!user) throw new Error('user insert returned nothing');
  const roleIds: number[] = [];
  if (options.codes) roleIds.push((await makeRole(db, options.codes)).id);
  if (options.roleCodes?.length) {
    const found = await db.select({ id: roles.id }).from(roles).where(inArray(roles.code, options.roleCodes));
    roleIds.push(...found.map((r) => r.id));
  }
  if (roleIds.length)
    await db.insert(userRoles).values(roleIds.map((roleId) => ({ userId: user.id, roleId })));
  return user;
}

/** A new user holding `codes`, signed in: who they are and their session. */
export async function signedInUser(
  t: TestApp,
  codes: readonly PermissionCode[],
): Promise<{ id: number; username: string; session: Session }> {
  const user = await makeUser(t.database.db, { codes: [...codes] });
  return { id: user.id, username: user.username, session: await signIn(t.app, user.username, TEST_PASSWORD) };
}

export async function setActive(db: Executor, userId: number, active: boolean) {
  await db.update(users).set({ active }).where(eq(users.id, userId));
}

// Contacts no demo or scale customer has: those draw phones from 13x–19x prefixes other than 195,
// and QQ numbers of at most ten digits.
const uniquePhone = () =>
  `195${String(process.pid % 1000).padStart(3, '0')}${String(++counter).padStart(5, '0')}`;
const uniqueQq = () =>
  `9${String(process.pid % 10_000).padStart(4, '0')}${String(++counter).padStart(6, '0')}`;

/** The options given a value: an option passed as undefined keeps its default. */
const given = <T extends object>(options: T): T =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;

export type Customer = typeof customers.$inferSelect;

/**
 * A customer. Columns are taken as given; without them it has a name, a unique phone and QQ (unless
 * any contact is given), and what 录入 leaves: created at `at` (the clock's now by default) and, when
 * nobody owns it, in the pool since then as `unassigned`. With `owner`, that consultant owns it from
 * `at` through the code every assignment uses (startOwnership, under the saved pool rules): both
 * clocks, the deadline and a following period. `courseIds` are its courses of interest.
 */
export async function makeCustomer(
  db: Executor,
  options: Partial<typeof customers.$inferInsert> & {
    owner?: number;
    via?: Via;
    at?: Date;
    courseIds?: number[];
  } = {},
): Promise<Customer> {
  const { owner, via = 'assigned', at = now(), courseIds = [], ...columns } = given(options);
  const contacts =
    columns.phone != null || columns.qq != null || columns.wechat != null
      ? {}
      : { phone: uniquePhone(), qq: uniqueQq() };
  const unowned = owner === undefined && columns.consultantId == null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(customers)
      .values({
        name: `客户${++counter}`,
        ...contacts,
        ...(unowned ? { releaseAt: at, releasedReason: 'unassigned' } : {}),
        createdAt: at,
        updatedAt: at,
        ...columns,
      })
      .returning();
    if (!row) throw new Error('customer insert returned nothing');
    if (courseIds.length) {
      await tx
        .insert(customerCourses)
        .values(
          courseIds.map((courseId) => ({ customerId: row.id, courseId, createdAt: at, updatedAt: at })),
        );
    }
    if (owner === undefined) return row;
    const rules = await loadPoolSettings(tx);
    await startOwnership(tx, { customerId: row.id, consultantId: owner, via, at, rules });
    return (await tx.select().from(customers).where(eq(customers.id, row.id)))[0]!;
  });
}

/** A campus (校区). */
export async function makeSchool(db: Executor, title = unique('校区')) {
  const [school] = await db.insert(schools).values({ title }).returning();
  if (!school) throw new Error('school insert returned nothing');
  return school;
}

/** A course (课程) the school teaches. */
export async function makeCourse(db: Executor, name = unique('课程')) {
  const [course] = await db.insert(courses).values({ name }).returning();
  if (!course) throw new Error('course insert returned nothing');
  return course;
}

/**
 * A class (班级). Columns are taken as given; without a school or a course it gets new ones, without
 * a semester one no demo class has, without a start date today's (the school's, by the clock).
 * `teacherIds` teach it; its tutor is the `tutorId` column.
 */
export async function makeClass(
  db: Executor,
  options: Partial<typeof classes.$inferInsert> & { teacherIds?: number[] } = {},
) {
  const { teacherIds = [], ...columns } = given(options);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(classes)
      .values({
        schoolId: columns.schoolId ?? (await makeSchool(tx)).id,
        courseId: columns.courseId ?? (await makeCourse(tx)).id,
        semester: 100 + ++counter,
        startDate: businessDate(now(), DEFAULT_TIMEZONE),
        ...columns,
      })
      .returning();
    if (!row) throw new Error('class insert returned nothing');
    if (teacherIds.length) {
      await tx.insert(classTeachers).values(teacherIds.map((teacherId) => ({ classId: row.id, teacherId })));
    }
    return row;
  });
}

/**
 * A lesson (上课记录) of a class, with a study record for each of its active students as creating a
 * lesson makes them (initialiseStudyRecords), stamped `at` (the clock's now by default). Without a
 * day number it is the class's next lesson; without a date, held today.
 */
export async function makeLesson(
  db: Executor,
  options: Partial<typeof courseRecords.$inferInsert> & { classId: number; at?: Date },
) {
  const { at = now(), ...columns } = given(options);
  return db.transaction(async (tx) => {
    const [last] = await tx
      .select({ dayNum: max(courseRecords.dayNum) })
      .from(courseRecords)
      .where(eq(courseRecords.classId, columns.classId));
    const [lesson] = await tx
      .insert(courseRecords)
      .values({
        dayNum: (last?.dayNum ?? 0) + 1,
        date: businessDate(at, DEFAULT_TIMEZONE),
        createdAt: at,
        updatedAt: at,
        ...columns,
      })
      .returning();
    if (!lesson) throw new Error('lesson insert returned nothing');
    await initialiseStudyRecords(tx, [lesson.id], at);
    return lesson;
  });
}

/**
 * A payment record (缴费记录) as history keeps it: a new customer and class unless given, a deposit
 * of 1000.00 paid `at` (the clock's now by default), signed by whoever owns the customer, as the
 * payments API signs it. The record alone: what a payment does to the customer and its student
 * (enrolment, the class) is recordPayment's, which tests reach through POST /api/payments.
 */
export async function makePayment(
  db: Executor,
  options: Partial<typeof paymentRecords.$inferInsert> & { at?: Date } = {},
) {
  const { at = now(), ...columns } = given(options);
  return db.transaction(async (tx) => {
    const customer =
      columns.customerId === undefined
        ? await makeCustomer(tx, { at })
        : (await tx.select().from(customers).where(eq(customers.id, columns.customerId)))[0];
    if (!customer) throw new Error(`no customer ${columns.customerId}`);
    const [payment] = await tx
      .insert(paymentRecords)
      .values({
        customerId: customer.id,
        classId: columns.classId ?? (await makeClass(tx)).id,
        payType: 'deposit',
        paidFee: '1000.00',
        consultantId: customer.consultantId,
        paidAt: at,
        createdAt: at,
        updatedAt: at,
        ...columns,
      })
      .returning();
    if (!payment) throw new Error('payment insert returned nothing');
    return payment;
  });
}
