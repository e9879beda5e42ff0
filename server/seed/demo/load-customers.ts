import { sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import type { Tx } from '../../db/client.ts';
import { consultRecords, customerCourses, customerDistributions, customers } from '../../db/schema/index.ts';
import type { PoolRules } from '../../modules/pool/rules.ts';
import { CONSULT_NOTES, chunks, item, latest, must, type Random, stamps } from '../shared/words.ts';
import { type CustomerPlan, finalState } from './customers.ts';
import type { Username } from './staff.ts';
import type { CourseName } from './teaching.ts';

/** Sorts `plans` into id order, which the later steps rely on. */
export async function loadCustomers(
  tx: Tx,
  input: {
    plans: CustomerPlan[];
    rules: PoolRules;
    rng: Random;
    userId: ReadonlyMap<Username, number>;
    courseId: ReadonlyMap<CourseName, number>;
  },
) {
  const { plans, rules, rng, userId, courseId } = input;

  // Customers, oldest first so ids follow creation.
  plans.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const contactKey = (c: { phone: string | null; qq: string | null; wechat: string | null }) =>
    c.phone ? `p:${c.phone}` : c.qq ? `q:${c.qq}` : `w:${c.wechat}`;
  const finals = plans.map((plan) => finalState(plan, rules));
  const customerRows = await tx
    .insert(customers)
    .values(
      plans.map((plan, i) => {
        const { interested: _, ...profile } = plan.profile;
        const final = item(finals, i);
        const events = plan.periods.flatMap((p) => [p.lastConsult, 'at' in p.end ? p.end.at : null]);
        const payments = plan.enrolment?.payments.map((p) => p.paidAt) ?? [];
        return {
          ...profile,
          status: final.status,
          consultantId: final.consultant === null ? null : must(userId, final.consultant),
          recvAt: final.recvAt,
          lastConsultAt: final.lastConsultAt,
          releaseAt: final.releaseAt,
          ...stamps(plan.createdAt, latest(plan.createdAt, ...events, ...payments)),
        };
      }),
    )
    .returning({ id: customers.id, phone: customers.phone, qq: customers.qq, wechat: customers.wechat });
  const idByContact = new Map(customerRows.map((c) => [contactKey(c), c.id]));
  const customerIds = plans.map((plan) => must(idByContact, contactKey(plan.profile)));

  // Referrals point at someone who came earlier, preferably a student.
  const referrals: [number, number][] = [];
  plans.forEach((plan, i) => {
    if (plan.profile.source !== 'referral' || i === 0) return;
    const earlier = plans.slice(0, i).map((p, j) => ({ p, id: item(customerIds, j) }));
    const students = earlier.filter((e) => e.p.enrolment);
    const from = rng.pick(students.length > 0 ? students : earlier);
    referrals.push([item(customerIds, i), from.id]);
  });
  if (referrals.length > 0) {
    const values = sql.join(
      referrals.map(([id, from]) => sql`(${id}::integer, ${from}::integer)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${customers} set referral_from_id = v.from_id from (values ${values}) as v(id, from_id) where ${customers.id} = v.id`,
    );
  }

  const customerCourseRows = plans.flatMap((plan, i) =>
    plan.profile.interested.map((course) => ({
      customerId: item(customerIds, i),
      courseId: must(courseId, course),
      ...stamps(plan.createdAt),
    })),
  );
  await tx.insert(customerCourses).values(customerCourseRows);

  // Ownership history and follow-ups.
  const distributionRows = plans.flatMap((plan, i) =>
    plan.periods.map((p) => {
      const endedAt = 'at' in p.end ? p.end.at : null;
      return {
        customerId: item(customerIds, i),
        consultantId: must(userId, p.consultant),
        startedAt: p.start,
        endedAt,
        status: p.end.status,
        via: p.via,
        memo: p.memo,
        ...stamps(
          p.start,
          latest(p.lastConsult, endedAt, ...(plan.enrolment?.payments.map((x) => x.paidAt) ?? [])),
        ),
      };
    }),
  );
  for (const part of chunks(distributionRows, 1000)) await tx.insert(customerDistributions).values(part);

  const consultRows = plans.flatMap((plan, i) =>
    plan.periods.flatMap((p) =>
      consultTimes(rng, p.start, p.lastConsult).map((time, k, all) => {
        const final = k === all.length - 1 ? p.finalConsult : undefined;
        const first = k === 0 && p.via === 'grabbed';
        return {
          customerId: item(customerIds, i),
          consultantId: must(userId, p.consultant),
          at: time,
          channel:
            final?.channel ??
            rng.weighted([
              ['phone', 50],
              ['wechat', 25],
              ['qq', 10],
              ['visit', 10],
              ['other', 5],
            ] as const),
          note: final?.note ?? (first ? '从公共池抢单后首次联系，客户仍有意向' : rng.pick(CONSULT_NOTES)),
          ...stamps(time),
        };
      }),
    ),
  );
  for (const part of chunks(consultRows, 1000)) await tx.insert(consultRecords).values(part);

  return {
    customerIds,
    rows: {
      customers: customerRows.length,
      customer_courses: customerCourseRows.length,
      customer_distributions: distributionRows.length,
      consult_records: consultRows.length,
    },
  };
}

/**
 * Follow-up times of one period, ending exactly at `last` and never more than ~2.3 days apart (so
 * the period never expired between them); none when `last` is the start (no follow-up yet).
 */
function consultTimes(rng: Random, start: Date, last: Date): Date[] {
  if (last.getTime() <= start.getTime()) return [];
  const times = [last];
  let t = addDays(last, -rng.between(0.6, 2.2));
  while (t.getTime() > addDays(start, 0.1).getTime()) {
    times.push(t);
    t = addDays(t, -rng.between(0.6, 2.2));
  }
  return times.reverse();
}
