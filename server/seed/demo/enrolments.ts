import { addDays } from '../../clock.ts';
import { EMERGENCY_RELATIONS, PHONE_PREFIXES } from '../shared/words.ts';
import type { PaymentPlan, Period, Profile, Via } from './customers.ts';
import type { Planner } from './planner.ts';
import type { Consultant } from './staff.ts';
import { type ClassPlan, classPlans } from './teaching.ts';

/** Enrolled customers: paid before their class started; a few were grabbed from the pool first. */
export function planEnrolled(c: Planner, taige: Profile): void {
  for (const cls of classPlans) {
    for (let n = 0; n < cls.students; n++) planStudent(c, cls, n, taige);
  }
}

/** The `n`-th student of a class; the first of the Python class is 泰哥. */
function planStudent(c: Planner, cls: ClassPlan, n: number, taige: Profile): void {
  const { rng, day, profile, add, released, firstOwner, firstVia, another, viaMemo } = c;
  const classStart = day(cls.startOffset);
  const isTaige = cls.key === 'py9' && n === 0;
  const owner: Consultant = isTaige ? 'dasha' : firstOwner();
  const enrolAt = addDays(classStart, -rng.between(0.5, 6));
  const periods: Period[] = [];
  let start: Date;
  let via: Via;
  if (n === 1) {
    // Released by a colleague, grabbed from the pool, then enrolled.
    start = addDays(enrolAt, -rng.between(1.5, 8));
    via = 'grabbed';
    const last = addDays(start, -rng.between(0.1, 2) - 3);
    periods.push(released(another(owner), addDays(last, -rng.between(0, 8)), last, firstVia()));
  } else {
    start = addDays(enrolAt, -rng.between(2, 12));
    via = firstVia();
  }
  periods.push({
    consultant: owner,
    start,
    via,
    lastConsult: enrolAt,
    end: { status: 'enrolled' },
    memo: viaMemo(via),
    finalConsult: { channel: 'visit', note: `到校缴费，报名${cls.course} ${cls.semester}期` },
  });

  const payments = planPayments(c, cls.price, enrolAt, isTaige);
  const p = isTaige ? taige : profile();
  if (!p.interested.includes(cls.course)) p.interested.unshift(cls.course);
  add('enrolled', p, periods, {
    enrolment: {
      classKey: cls.key,
      payments,
      emergencyContact: `${rng.pick(EMERGENCY_RELATIONS)} ${rng.pick(PHONE_PREFIXES)}${rng.digits(8)}`,
      location: rng.pick(cls.locations),
    },
  });
}

/** A student's payments from `enrolAt` on; 泰哥's terms are fixed, everyone else's are drawn. */
function planPayments(c: Planner, price: number, enrolAt: Date, isTaige: boolean): PaymentPlan[] {
  const { rng, day } = c;
  const turnover = price - (isTaige ? 1000 : rng.pick([0, 0, 500, 1000, 2000]));
  const mode = isTaige
    ? 'both'
    : rng.weighted([
        ['both', 45],
        ['tuition', 35],
        ['deposit', 20],
      ] as const);
  const deposit = rng.pick([1000, 2000]);
  const confirm = (paidAt: Date) =>
    paidAt.getTime() <= day(-1.5).getTime() && (isTaige || rng.chance(0.8))
      ? addDays(paidAt, rng.between(0.1, 1.2))
      : null;
  const payment = (payType: PaymentPlan['payType'], paidFee: number, paidAt: Date, note: string) => ({
    payType,
    paidFee,
    quote: price,
    turnover,
    paidAt,
    confirmedAt: confirm(paidAt),
    note,
  });
  const payments: PaymentPlan[] = [];
  if (mode === 'both' || mode === 'deposit') {
    payments.push(payment('deposit', deposit, enrolAt, mode === 'deposit' ? '订金，余款开班后补齐' : '订金'));
  }
  if (mode === 'both') {
    const paidAt = new Date(Math.min(addDays(enrolAt, rng.between(1, 6)).getTime(), day(-0.2).getTime()));
    payments.push(
      payment('tuition', turnover - deposit, paidAt, rng.pick(['学费尾款，刷卡', '学费尾款，转账'])),
    );
  }
  if (mode === 'tuition') {
    payments.push(
      payment('tuition', turnover, enrolAt, rng.pick(['全款，刷卡', '全款，转账', '全款，分期乐'])),
    );
  }
  return payments;
}
