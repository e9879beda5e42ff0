import {
  CONSULT_NOTES,
  EMERGENCY_RELATIONS,
  item,
  money,
  PHONE_PREFIXES,
  type Random,
} from '../shared/words.ts';
import type { BulkRows } from './bulk.ts';
import { pickChannel, pickPayments } from './choices.ts';
import { type BulkTable, DAY, type Enrolment, type Owner, type Period } from './model.ts';

const LOCATIONS = [
  '北京市海淀区',
  '北京市昌平区',
  '北京市朝阳区',
  '北京市丰台区',
  '河北省廊坊市',
  '天津市',
  '上海市浦东新区',
  '上海市闵行区',
  '江苏省苏州市',
];
const REASSIGN_MEMOS = [
  '客户要求更换顾问',
  '顾问请假，转交跟进',
  '客户想报周末班，转给熟悉周末班的顾问',
  '主管调整分配',
];
const GRAB_NOTE = '从公共池抢单后首次联系，客户仍有意向';

/** Deposit and tuition, tuition only, or a deposit so far. */
export function planPayments(rng: Random, at: number, { paidAt, cls }: Enrolment) {
  const turnover = cls.price - rng.pick([0, 0, 500, 1000, 2000]);
  const mode = pickPayments(rng.next());
  const deposit = rng.pick([1000, 2000]);
  const confirm = (t: number) =>
    t <= at - 1.5 * DAY && rng.chance(0.9) ? Math.round(t + rng.between(0.1, 1.2) * DAY) : null;
  const payment = (payType: 'deposit' | 'tuition', paidFee: number, t: number, note: string) => ({
    payType,
    paidFee,
    turnover,
    paidAt: t,
    confirmedAt: confirm(t),
    note,
  });
  const list = [];
  if (mode !== 'tuition') {
    list.push(payment('deposit', deposit, paidAt, mode === 'deposit' ? '订金，余款开班后补齐' : '订金'));
  }
  if (mode === 'both') {
    const t = Math.round(Math.max(paidAt, Math.min(paidAt + rng.between(1, 6) * DAY, at - 0.01 * DAY)));
    list.push(payment('tuition', turnover - deposit, t, rng.pick(['学费尾款，刷卡', '学费尾款，转账'])));
  }
  if (mode === 'tuition') {
    list.push(payment('tuition', turnover, paidAt, rng.pick(['全款，刷卡', '全款，转账', '全款，分期乐'])));
  }
  return list;
}

export type Payment = ReturnType<typeof planPayments>[number];

/** Ownership history and follow-ups of customer `id`. */
export function writeHistory(
  rows: Record<BulkTable, BulkRows>,
  rng: Random,
  input: { id: number; periods: readonly Period[]; enrolment: Enrolment | null; owners: readonly Owner[] },
): void {
  const { id, periods, enrolment, owners } = input;
  for (const p of periods) {
    const consultant = item(owners, p.owner).id;
    const memo =
      p.status === 'released_no_followup'
        ? '三天未跟进，自动释放'
        : p.status === 'released_no_deal'
          ? '十五天未成单，自动释放'
          : p.status === 'reassigned'
            ? rng.pick(REASSIGN_MEMOS)
            : p.via === 'imported'
              ? '批量导入'
              : p.via === 'manual'
                ? '主管指派'
                : p.via === 'grabbed'
                  ? '公共池抢单'
                  : '';
    const periodUpdated = Math.max(p.end ?? p.start, p.consults.at(-1) ?? p.start);
    rows.customer_distributions.add(
      id,
      consultant,
      p.start,
      p.end,
      p.status,
      p.via,
      memo,
      p.start,
      periodUpdated,
    );
    // The last follow-up of an enrolment is the visit at which they paid.
    const paidVisit = enrolment && p.status === 'enrolled' ? `到校缴费，报名${enrolment.cls.label}` : null;
    p.consults.forEach((t, k) => {
      const visit = paidVisit !== null && k === p.consults.length - 1;
      const note = visit ? paidVisit : k === 0 && p.via === 'grabbed' ? GRAB_NOTE : rng.pick(CONSULT_NOTES);
      rows.consult_records.add(id, consultant, t, visit ? 'visit' : pickChannel(rng.next()), note, t, t);
    });
  }
}

/** Enrolment of customer `id`: the student, their class and the payments. */
export function writeEnrolment(
  rows: Record<BulkTable, BulkRows>,
  rng: Random,
  input: {
    id: number;
    enrolment: Enrolment;
    payments: readonly Payment[];
    company: string;
    consultantId: number | null;
    financeId: number;
  },
): void {
  const { id, enrolment, payments, company, consultantId, financeId } = input;
  const { paidAt, cls } = enrolment;
  const emergency = `${rng.pick(EMERGENCY_RELATIONS)} ${rng.pick(PHONE_PREFIXES)}${rng.digits(8)}`;
  const studentId = rows.students.add(id, emergency, company, rng.pick(LOCATIONS), paidAt, paidAt);
  rows.student_classes.add(studentId, cls.id, 'active', paidAt, paidAt);
  for (const p of payments) {
    rows.payment_records.add(
      id,
      cls.id,
      p.payType,
      money(p.paidFee),
      money(cls.price),
      money(p.turnover),
      consultantId,
      p.note,
      p.paidAt,
      p.confirmedAt === null ? null : financeId,
      p.confirmedAt,
      p.paidAt,
      p.confirmedAt ?? p.paidAt,
    );
  }
}
