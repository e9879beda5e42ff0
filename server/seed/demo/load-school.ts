import { addDays } from '../../clock.ts';
import type { Tx } from '../../db/client.ts';
import {
  classes,
  classTeachers,
  courses,
  departments,
  poolSettings,
  rolePermissions,
  roles,
  saleRanks,
  schools,
  userRoles,
  users,
} from '../../db/schema/index.ts';
import type { PoolRules } from '../../modules/pool/rules.ts';
import { item, money, must, stamps } from '../shared/words.ts';
import {
  type DemoRoleCode,
  demoDepartments,
  demoRoleGrants,
  demoRoles,
  demoSaleRanks,
  demoUsers,
  type NotifyChannel,
  type Username,
} from './staff.ts';
import { type CourseName, classPlans, demoCourses, demoSchools } from './teaching.ts';

export async function loadStaff(tx: Tx, input: { founded: Date; rules: PoolRules; passwordHash: string }) {
  const { founded, rules, passwordHash } = input;

  // Organisation and access.
  const departmentRows = await tx
    .insert(departments)
    .values(demoDepartments.map((d) => ({ ...d, ...stamps(founded) })))
    .returning({ id: departments.id, code: departments.code });
  const departmentId = new Map(departmentRows.map((d) => [d.code, d.id]));

  const roleCodes = Object.keys(demoRoles) as DemoRoleCode[];
  const roleRows = await tx
    .insert(roles)
    .values(roleCodes.map((code) => ({ code, ...demoRoles[code], ...stamps(founded) })))
    .returning({ id: roles.id, code: roles.code });
  const roleId = new Map(roleRows.map((r) => [r.code, r.id]));
  const grants = roleCodes.flatMap((code) =>
    demoRoleGrants[code].map((permissionCode) => ({
      roleId: must(roleId, code),
      permissionCode,
      ...stamps(founded),
    })),
  );
  await tx.insert(rolePermissions).values(grants);

  const userRows = await tx
    .insert(users)
    .values(
      demoUsers.map((u) => ({
        username: u.username,
        name: u.name,
        passwordHash,
        email: `${u.username}@demo.banyan.school`,
        phone: u.phone,
        departmentId: must(departmentId, u.department),
        dingtalkUserId: (u.notify as readonly NotifyChannel[]).includes('dingtalk')
          ? `demo-${u.username}`
          : null,
        active: true,
        notifyChannels: [...u.notify],
        ...stamps(founded),
      })),
    )
    .returning({ id: users.id, username: users.username });
  const userId = new Map(userRows.map((u) => [u.username as Username, u.id]));
  const userRoleRows = demoUsers.map((u) => ({
    userId: must(userId, u.username),
    roleId: must(roleId, u.role),
    ...stamps(founded),
  }));
  await tx.insert(userRoles).values(userRoleRows);

  await tx.insert(saleRanks).values(
    demoSaleRanks.map((r) => ({
      consultantId: must(userId, r.consultant),
      weight: r.weight,
      dailyQuota: r.dailyQuota,
      active: true,
      ...stamps(founded),
    })),
  );
  await tx.insert(poolSettings).values({
    followUpDays: rules.followUpDays,
    dealDays: rules.dealDays,
    ...stamps(founded),
  });

  return {
    userId,
    rows: {
      departments: departmentRows.length,
      roles: roleRows.length,
      role_permissions: grants.length,
      users: userRows.length,
      user_roles: userRoleRows.length,
    },
  };
}

/** The demo's campuses and courses, in the order of demoSchools and demoCourses: the scale school's too. */
export async function loadCampuses(tx: Tx, founded: Date) {
  const schoolRows = await tx
    .insert(schools)
    .values(demoSchools.map((title) => ({ title, ...stamps(founded) })))
    .returning({ id: schools.id, title: schools.title });
  const courseRows = await tx
    .insert(courses)
    .values(demoCourses.map((name) => ({ name, ...stamps(founded) })))
    .returning({ id: courses.id, name: courses.name });
  return { schoolRows, courseRows };
}

export async function loadClasses(
  tx: Tx,
  input: { at: Date; founded: Date; dateOf: (d: Date) => string; userId: ReadonlyMap<Username, number> },
) {
  const { at, founded, dateOf, userId } = input;

  const { schoolRows, courseRows } = await loadCampuses(tx, founded);
  const schoolId = new Map(schoolRows.map((s) => [s.title, s.id]));
  const courseId = new Map(courseRows.map((c) => [c.name as CourseName, c.id]));
  const classRows = await tx
    .insert(classes)
    .values(
      classPlans.map((c) => ({
        schoolId: must(schoolId, c.school),
        courseId: must(courseId, c.course),
        semester: c.semester,
        price: money(c.price),
        startDate: dateOf(addDays(at, c.startOffset)),
        graduateDate: dateOf(addDays(at, c.startOffset + c.lengthDays)),
        memo: c.memo,
        tutorId: c.tutored ? must(userId, 'tutor') : null,
        ...stamps(addDays(at, c.startOffset - 40)),
      })),
    )
    .returning({ id: classes.id, semester: classes.semester });
  const classId = new Map(classPlans.map((c, i) => [c.key, item(classRows, i).id]));
  const classTeacherRows = classPlans
    .filter((c) => c.taught)
    .map((c) => ({
      classId: must(classId, c.key),
      teacherId: must(userId, 'teacher'),
      ...stamps(addDays(at, c.startOffset - 40)),
    }));
  await tx.insert(classTeachers).values(classTeacherRows);

  return {
    courseId,
    classId,
    rows: {
      schools: schoolRows.length,
      courses: courseRows.length,
      classes: classRows.length,
      class_teachers: classTeacherRows.length,
    },
  };
}
