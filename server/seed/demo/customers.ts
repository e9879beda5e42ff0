import type {
  CodeOf,
  classType,
  consultChannel,
  customerSource,
  customerStatus,
  distributionStatus,
  distributionVia,
  education,
  experience,
  gender,
  workStatus,
} from '../../db/schema/enums.ts';
import { isPublic, type PoolRules, releaseAtFor, releaseDeadline } from '../../modules/pool/rules.ts';
import type { Consultant } from './staff.ts';
import type { ClassKey, CourseName } from './teaching.ts';

// ---------------------------------------------------------------------------------------------------
// Customers

export const demoCustomerStates = [
  'following',
  'expiring',
  'expired_unswept',
  'released_no_followup',
  'released_no_deal',
  'grabbed',
  'reassigned',
  'enrolled',
  'pool_unassigned',
] as const;

/**
 * following: owned, followed up recently; expiring: owned, a deadline within a day; expired_unswept:
 * owned but past a deadline (public under the live rule; the sweep has not run); released_*: unowned
 * after the sweep closed its owner's period; grabbed: released, then taken by another consultant;
 * reassigned: handed from one consultant to another by the manager; enrolled: paid for a class;
 * pool_unassigned: entered with nobody to take it, never owned.
 */
export type DemoCustomerState = (typeof demoCustomerStates)[number];

/** How many customers of each state, besides the three named ones. */
export const stateCounts: Record<Exclude<DemoCustomerState, 'enrolled'>, number> = {
  following: 79,
  expiring: 12,
  expired_unswept: 8,
  released_no_followup: 13,
  released_no_deal: 10,
  grabbed: 12,
  reassigned: 8,
  pool_unassigned: 20,
};

// ---------------------------------------------------------------------------------------------------
// The plan of a customer: who owned it when, and what happened.

export type Via = CodeOf<typeof distributionVia>;
type ClosedStatus = Exclude<CodeOf<typeof distributionStatus>, 'following' | 'enrolled'>;

export type Period = {
  consultant: Consultant;
  start: Date;
  via: Via;
  /** The owner's last follow-up; `start` when there was none. */
  lastConsult: Date;
  end: { status: 'following' } | { status: 'enrolled' } | { status: ClosedStatus; at: Date };
  memo: string;
  /** Channel and note of the follow-up at `lastConsult` (e.g. the visit at which they paid). */
  finalConsult?: { channel: CodeOf<typeof consultChannel>; note: string };
};

export type PaymentPlan = {
  payType: 'deposit' | 'tuition';
  paidFee: number;
  quote: number;
  turnover: number;
  paidAt: Date;
  confirmedAt: Date | null;
  note: string;
};

export type Profile = {
  name: string;
  gender: CodeOf<typeof gender> | null;
  phone: string | null;
  qq: string | null;
  wechat: string | null;
  education: CodeOf<typeof education> | null;
  graduationSchool: string;
  major: string;
  experience: CodeOf<typeof experience> | null;
  workStatus: CodeOf<typeof workStatus> | null;
  company: string;
  salary: string;
  source: CodeOf<typeof customerSource>;
  classType: CodeOf<typeof classType> | null;
  note: string;
  interested: CourseName[];
};

export type CustomerPlan = {
  state: DemoCustomerState;
  profile: Profile;
  createdAt: Date;
  periods: Period[];
  enrolment?: { classKey: ClassKey; payments: PaymentPlan[]; emergencyContact: string; location: string };
};

/** The customer row a plan ends in (before ids). */
export function finalState(plan: CustomerPlan, rules: PoolRules) {
  const last = plan.periods.at(-1);
  const owned = last !== undefined && (last.end.status === 'following' || last.end.status === 'enrolled');
  const status: CodeOf<typeof customerStatus> = plan.enrolment ? 'enrolled' : 'unregistered';
  const fields = {
    status,
    consultant: owned ? last.consultant : null,
    recvAt: owned ? last.start : null,
    lastConsultAt: owned ? last.lastConsult : null,
  };
  const publicSince = last && 'at' in last.end ? last.end.at : plan.createdAt;
  const releaseAt = releaseAtFor(
    { ...fields, consultantId: owned ? 0 : null, publicSince: owned ? null : publicSince },
    rules,
  );
  return { ...fields, releaseAt };
}

/** Guards the generator: every customer must be what its state says, by the rules themselves. */
export function checkPlan(plan: CustomerPlan, at: Date, rules: PoolRules): void {
  const fail = (why: string) => {
    throw new Error(`demo data: ${plan.profile.name} (${plan.state}) ${why}`);
  };
  let previousEnd = plan.createdAt;
  plan.periods.forEach((period, i) => {
    if (period.start < previousEnd) fail('has overlapping periods');
    if (period.lastConsult < period.start || period.lastConsult > at)
      fail('has a follow-up out of its period');
    const isLast = i === plan.periods.length - 1;
    const deadline = releaseDeadline({ recvAt: period.start, lastConsultAt: period.lastConsult }, rules);
    if ('at' in period.end) {
      if (isLast && period.end.status === 'reassigned') fail('ends with a handover to nobody');
      if (period.end.at > at) fail('ends in the future');
      if (period.end.status === 'reassigned' && deadline.at <= period.end.at)
        fail('expired before reassignment');
      if (period.end.status !== 'reassigned' && period.end.status !== `released_${deadline.reason}`) {
        fail('was released for the wrong reason');
      }
      previousEnd = period.end.at;
    } else {
      if (!isLast) fail('has an open period before the last');
      if (period.end.status === 'enrolled') {
        const paid = plan.enrolment?.payments[0]?.paidAt;
        if (!paid || deadline.at <= paid) fail('expired before paying');
      }
    }
  });
  const lastStatus = plan.periods.at(-1)?.end.status;
  if (
    (plan.state === 'released_no_followup' || plan.state === 'released_no_deal') &&
    lastStatus !== plan.state
  ) {
    fail(`ended ${lastStatus}`);
  }
  const row = finalState(plan, rules);
  const live = isPublic({ ...row, consultantId: row.consultant === null ? null : 0 }, rules, at);
  const inPool = row.status === 'unregistered' && row.releaseAt !== null && row.releaseAt <= at;
  if (live !== inPool) fail('has a release_at that disagrees with the live rule');
  const expected: Record<DemoCustomerState, boolean> = {
    following: false,
    expiring: false,
    grabbed: false,
    reassigned: false,
    enrolled: false,
    expired_unswept: true,
    released_no_followup: true,
    released_no_deal: true,
    pool_unassigned: true,
  };
  if (live !== expected[plan.state]) fail(live ? 'is public' : 'is not public');
  const soon = row.releaseAt !== null && row.releaseAt.getTime() - at.getTime() <= 86_400_000;
  if (!live && row.status === 'unregistered' && soon !== (plan.state === 'expiring')) {
    fail(soon ? 'expires within a day' : 'does not expire within a day');
  }
}
