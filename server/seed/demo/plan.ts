import { addDays } from '../../clock.ts';
import type { PoolRules } from '../../modules/pool/rules.ts';
import { checkPlan, type Period, type Profile, stateCounts } from './customers.ts';
import { planEnrolled } from './enrolments.ts';
import { type Planner, planner } from './planner.ts';

/**
 * Everything of the demo that does not need database ids: a pure function of `at`. The steps run in
 * a fixed order because they draw from one generator; reordering them changes every customer.
 */
export function planCustomers(at: Date, rules: PoolRules) {
  const c = planner(at, rules);
  const taige = planNamed(c);
  planFollowing(c);
  planExpiring(c);
  planExpiredUnswept(c);
  planReleasedNoFollowup(c);
  planReleasedNoDeal(c);
  planGrabbed(c);
  planReassigned(c);
  planPoolUnassigned(c);
  planEnrolled(c, taige);

  for (const plan of c.plans) checkPlan(plan, at, rules);
  return { plans: c.plans, rng: c.rng };
}

/** The named customers of docs/spec.md §8; 泰哥 enrols later, but his profile is drawn here. */
function planNamed(c: Planner): Profile {
  const { day, profile, add, open, released } = c;
  add(
    'following',
    profile({
      name: '龙泰',
      gender: 'male',
      source: 'referral',
      note: '老学员介绍，想学Python转开发',
      interested: ['Python全栈', '数据分析'],
    }),
    [open('sanjiang', day(-6.2), day(-0.4), 'assigned')],
  );
  {
    const start = day(-9.3);
    add(
      'released_no_followup',
      profile({
        name: '小东北',
        gender: 'male',
        source: 'qq_group',
        note: '东北人，说话直爽，晚上方便接电话',
      }),
      [released('baoyu', start, addDays(start, 4.1), 'assigned')],
    );
  }
  return profile({ name: '泰哥', gender: 'male', source: 'baidu', note: '在职运维，想系统学Python' });
}

function planFollowing(c: Planner): void {
  const { rng, day, profile, add, firstOwner, firstVia, followingSince } = c;
  for (let n = 0; n < stateCounts.following; n++) {
    const via = firstVia();
    add('following', profile(), [followingSince(firstOwner(), day(-rng.between(0.1, 13)), via)]);
  }
}

function planExpiring(c: Planner): void {
  const { rng, day, profile, add, open, firstOwner, firstVia } = c;
  for (let n = 0; n < stateCounts.expiring; n++) {
    const period =
      n % 2 === 0
        ? open(firstOwner(), day(-rng.between(4, 12)), day(-rng.between(2.3, 2.7)), firstVia()) // no follow-up
        : open(firstOwner(), day(-rng.between(14.3, 14.7)), day(-rng.between(0.1, 1.5)), firstVia()); // no deal
    add('expiring', profile(), [period]);
  }
}

function planExpiredUnswept(c: Planner): void {
  const { rng, day, profile, add, open, firstOwner, firstVia } = c;
  for (let n = 0; n < stateCounts.expired_unswept; n++) {
    const period =
      n % 4 === 3
        ? open(firstOwner(), day(-rng.between(15.3, 16)), day(-rng.between(0.3, 1.5)), firstVia())
        : open(firstOwner(), day(-rng.between(6, 11)), day(-rng.between(4, 5)), firstVia());
    add('expired_unswept', profile(), [period]);
  }
}

function planReleasedNoFollowup(c: Planner): void {
  const { at, rng, day, profile, add, released, firstOwner, firstVia } = c;
  for (let n = 0; n < stateCounts.released_no_followup; n++) {
    const start = day(-rng.between(8, 50));
    const room = Math.min(11, (at.getTime() - start.getTime()) / 86_400_000 - 4);
    const last = rng.chance(0.2) ? null : addDays(start, rng.between(0, room));
    add('released_no_followup', profile(), [released(firstOwner(), start, last, firstVia())]);
  }
}

function planReleasedNoDeal(c: Planner): void {
  const { rng, day, profile, add, released, firstOwner, firstVia } = c;
  for (let n = 0; n < stateCounts.released_no_deal; n++) {
    const start = day(-rng.between(17, 50));
    add('released_no_deal', profile(), [
      released(firstOwner(), start, addDays(start, rng.between(12.8, 14.8)), firstVia()),
    ]);
  }
}

function planGrabbed(c: Planner): void {
  const { rng, day, profile, add, released, firstOwner, firstVia, another, followingSince } = c;
  for (let n = 0; n < stateCounts.grabbed; n++) {
    const releaseAt = day(-rng.between(1.2, 12));
    const before = firstOwner();
    const first =
      n % 3 === 2
        ? released(before, addDays(releaseAt, -15), addDays(releaseAt, -rng.between(0.2, 2.2)), firstVia())
        : (() => {
            const last = addDays(releaseAt, -3);
            return released(before, addDays(last, -rng.between(0, 10)), last, firstVia());
          })();
    if (first.end.status === 'following' || first.end.status === 'enrolled') throw new Error('unreachable');
    const grabbedAt = new Date(
      Math.min(addDays(first.end.at, rng.between(0.05, 2)).getTime(), day(-0.1).getTime()),
    );
    add('grabbed', profile(), [first, followingSince(another(before), grabbedAt, 'grabbed')]);
  }
}

function planReassigned(c: Planner): void {
  const { rng, day, profile, add, open, firstOwner, firstVia, another, followingSince } = c;
  for (let n = 0; n < stateCounts.reassigned; n++) {
    const handedAt = day(-rng.between(0.5, 10));
    const before = firstOwner();
    const after = another(before);
    const start = addDays(handedAt, -rng.between(1, 9));
    const first: Period = {
      ...open(before, start, addDays(handedAt, -rng.between(0.1, 2)), firstVia()),
      end: { status: 'reassigned', at: handedAt },
      memo: rng.pick([
        '客户要求更换顾问',
        '顾问请假，转交跟进',
        '客户想报周末班，转给熟悉周末班的顾问',
        '主管调整分配',
      ]),
    };
    add('reassigned', profile(), [first, followingSince(after, handedAt, 'manual')]);
  }
}

function planPoolUnassigned(c: Planner): void {
  const { rng, day, profile, add } = c;
  for (let n = 0; n < stateCounts.pool_unassigned; n++) {
    add('pool_unassigned', profile(), [], { createdAt: day(-rng.between(0.1, 55)) });
  }
}
