import { sql } from 'drizzle-orm';
import { syncCatalogue } from '../../auth/sync.ts';
import { businessDate } from '../../clock.ts';
import type { Tx } from '../../db/client.ts';
import {
  classes,
  classTeachers,
  departments,
  roles,
  saleRanks,
  userRoles,
  users,
} from '../../db/schema/index.ts';
import type { PoolRules } from '../../modules/pool/rules.ts';
import { loadCampuses, loadStaff } from '../demo/load-school.ts';
import { demoSaleRanks } from '../demo/staff.ts';
import { demoCourses } from '../demo/teaching.ts';
import {
  chunks,
  GIVEN_FEMALE,
  GIVEN_MALE,
  item,
  money,
  must,
  Random,
  SURNAMES,
  stamps,
} from '../shared/words.ts';
import { type ClassInfo, DAY, type Owner, SPAN_DAYS } from './model.ts';

// ---------------------------------------------------------------------------------------------------
// Staff, consultants and classes (a few hundred rows, through the ORM)

const GIVENS = [...GIVEN_MALE, ...GIVEN_FEMALE];
const COURSE_PRICES = [19800, 16800, 18800, 17800];

export async function loadSchool(
  tx: Tx,
  input: { at: number; timezone: string; rules: PoolRules; passwordHash: string; consultantCount: number },
) {
  const { at, timezone, rules, passwordHash, consultantCount } = input;
  const founded = new Date(at - (SPAN_DAYS + 60) * DAY);
  await syncCatalogue(tx);
  const staff = await loadStaff(tx, { founded, rules, passwordHash });

  const [sales] = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(sql`${departments.code} = 200`);
  const [consultantRole] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(sql`${roles.code} = 'consultant'`);
  if (!sales || !consultantRole) throw new Error('scale data: the demo staff has no sales department');

  const rng = new Random(20_250_101);
  const generated = Array.from({ length: consultantCount }, (_, k) => ({
    username: `c${String(k + 1).padStart(4, '0')}`,
    name:
      item(SURNAMES, k % SURNAMES.length) +
      item(GIVENS, (k * 7 + Math.floor(k / SURNAMES.length)) % GIVENS.length),
    weight: rng.int(1, 3),
  }));
  const consultantRows: { id: number }[] = [];
  const consultantValues: (typeof users.$inferInsert)[] = generated.map((c, k) => ({
    username: c.username,
    name: c.name,
    passwordHash,
    email: `${c.username}@scale.banyan.school`,
    phone: `137${String(k + 1).padStart(8, '0')}`,
    departmentId: sales.id,
    active: true,
    notifyChannels: ['wechat', 'sms'],
    ...stamps(founded),
  }));
  for (const part of chunks(consultantValues, 200)) {
    consultantRows.push(...(await tx.insert(users).values(part).returning({ id: users.id })));
  }
  const ranked: Owner[] = consultantRows.map((u, k) => ({ id: u.id, weight: item(generated, k).weight }));
  for (const part of chunks(ranked, 200)) {
    await tx
      .insert(userRoles)
      .values(part.map((u) => ({ userId: u.id, roleId: consultantRole.id, ...stamps(founded) })));
    await tx.insert(saleRanks).values(
      part.map((u) => ({
        consultantId: u.id,
        weight: u.weight,
        dailyQuota: u.weight * 15,
        active: true,
        ...stamps(founded),
      })),
    );
  }
  const owners: Owner[] = [
    ...demoSaleRanks.map((r) => ({ id: must(staff.userId, r.consultant), weight: r.weight })),
    ...ranked,
  ];

  // Two campuses, the demo's four courses, a class of each course at each campus every ~4 months.
  const { schoolRows, courseRows } = await loadCampuses(tx, founded);
  const plans: (ClassInfo & { schoolId: number; semester: number; length: number; taught: boolean })[] = [];
  schoolRows.forEach((s, si) => {
    courseRows.forEach((_, ci) => {
      let semester = 1;
      for (
        let start = at - (SPAN_DAYS + 30 - (si * 4 + ci) * 15) * DAY;
        start < at + 90 * DAY;
        start += 120 * DAY
      ) {
        plans.push({
          id: 0,
          start,
          price: item(COURSE_PRICES, ci),
          courseIndex: ci,
          label: `${item(demoCourses, ci)} ${semester}期`,
          schoolId: s.id,
          semester,
          length: 120 + ((si + ci + semester) % 4) * 10,
          taught: si === 0 && ci < 2,
        });
        semester++;
      }
    });
  });
  plans.sort((a, b) => a.start - b.start);
  const classRows = await tx
    .insert(classes)
    .values(
      plans.map((p) => ({
        schoolId: p.schoolId,
        courseId: item(courseRows, p.courseIndex).id,
        semester: p.semester,
        price: money(p.price),
        startDate: businessDate(new Date(p.start), timezone),
        graduateDate: businessDate(new Date(p.start + p.length * DAY), timezone),
        memo: '脱产班',
        tutorId: p.courseIndex % 2 === 0 ? must(staff.userId, 'tutor') : null,
        ...stamps(new Date(p.start - 40 * DAY)),
      })),
    )
    .returning({ id: classes.id });
  const classInfos = plans.map((p, k) => ({ ...p, id: item(classRows, k).id }));
  const taught = classInfos.filter((c) => c.taught);
  await tx.insert(classTeachers).values(
    taught.map((c) => ({
      classId: c.id,
      teacherId: must(staff.userId, 'teacher'),
      ...stamps(new Date(c.start - 40 * DAY)),
    })),
  );

  return {
    owners,
    classes: classInfos.map(({ id, start, price, courseIndex, label }) => ({
      id,
      start,
      price,
      courseIndex,
      label,
    })),
    courseIds: courseRows.map((c) => c.id),
    financeId: must(staff.userId, 'finance'),
    rows: {
      departments: staff.rows.departments,
      roles: staff.rows.roles,
      role_permissions: staff.rows.role_permissions,
      users: staff.rows.users + consultantRows.length,
      user_roles: staff.rows.user_roles + consultantRows.length,
      sale_ranks: demoSaleRanks.length + consultantRows.length,
      schools: schoolRows.length,
      courses: courseRows.length,
      classes: classRows.length,
      class_teachers: taught.length,
    },
  };
}
