import { addDays } from '../../clock.ts';
import { type PoolRules, releaseDeadline } from '../../modules/pool/rules.ts';
import { Random } from '../shared/words.ts';
import type { CustomerPlan, DemoCustomerState, Period, Profile, Via } from './customers.ts';
import { profiles } from './profiles.ts';
import { type Consultant, demoSaleRanks } from './staff.ts';

/** What the planning steps share: one generator, so every step draws in the order it always has. */
export type Planner = ReturnType<typeof planner>;

export function planner(at: Date, rules: PoolRules) {
  const rng = new Random(20_240_901);
  const day = (offset: number) => addDays(at, offset);
  const profile = profiles(rng);

  const firstOwner = (): Consultant =>
    rng.weighted(demoSaleRanks.map((r) => [r.consultant, r.weight] as const));
  const another = (c: Consultant): Consultant =>
    rng.pick((['sanjiang', 'baoyu', 'dasha'] as const).filter((x) => x !== c));
  const firstVia = (): Via =>
    rng.weighted([
      ['assigned', 6],
      ['imported', 3],
      ['manual', 1],
    ] as const);
  /** No follow-up (none given, or one that would precede the start): the clock stays at `start`. */
  const snap = (start: Date, last: Date | null) => (last === null || last <= start ? start : last);

  const open = (consultant: Consultant, start: Date, last: Date | null, via: Via, memo = ''): Period => ({
    consultant,
    start,
    via,
    lastConsult: snap(start, last),
    end: { status: 'following' },
    memo,
  });
  /** A period the sweep closed at its deadline, as the rules say. */
  const released = (consultant: Consultant, start: Date, last: Date | null, via: Via): Period => {
    const lastConsult = snap(start, last);
    const deadline = releaseDeadline({ recvAt: start, lastConsultAt: lastConsult }, rules);
    return {
      consultant,
      start,
      via,
      lastConsult,
      end: { status: `released_${deadline.reason}`, at: deadline.at },
      memo: deadline.reason === 'no_followup' ? '三天未跟进，自动释放' : '十五天未成单，自动释放',
    };
  };
  const viaMemo = (via: Via) =>
    via === 'imported' ? '批量导入' : via === 'manual' ? '主管指派' : via === 'grabbed' ? '公共池抢单' : '';
  /** Now owned from `start`, followed up until recently (a deadline more than a day away). */
  const followingSince = (consultant: Consultant, start: Date, via: Via) =>
    open(consultant, start, day(-rng.between(0.05, 1.9)), via, viaMemo(via));

  const plans: CustomerPlan[] = [];
  const add = (
    state: DemoCustomerState,
    p: Profile,
    periods: Period[],
    extra: Partial<CustomerPlan> = {},
  ) => {
    const createdAt = periods[0]?.start ?? extra.createdAt;
    if (!createdAt) throw new Error('demo data: a customer needs a creation time');
    plans.push({ state, profile: p, createdAt, periods, ...extra });
  };

  return {
    at,
    rules,
    rng,
    day,
    profile,
    firstOwner,
    another,
    firstVia,
    open,
    released,
    viaMemo,
    followingSince,
    plans,
    add,
  };
}
