import type { PoolRules } from '../../modules/pool/rules.ts';
import { item, type Random } from '../shared/words.ts';
import { chooser, pickChainLength, pickConsults, pickFirstVia, pickLaterVia, pickState } from './choices.ts';
import { type ClassInfo, DAY, type Enrolment, type Owner, type Period, type ScaleState } from './model.ts';
import { CONSULT_BUDGET, Periods } from './periods.ts';

/** A customer's state and ownership history. */
export class History extends Periods {
  private readonly owners: readonly Owner[];
  private readonly pickOwner: (r: number) => number;
  private readonly classes: readonly ClassInfo[];

  constructor(
    rng: Random,
    input: { at: number; rules: PoolRules; owners: readonly Owner[]; classes: readonly ClassInfo[] },
  ) {
    super(rng, input.at, input.rules);
    this.owners = input.owners;
    this.pickOwner = chooser(input.owners.map((o, k) => [k, o.weight] as const));
    this.classes = input.classes;
  }

  /** Periods with owners (indexes into the owners) and vias, and the enrolment of an enrolled customer. */
  plan(
    createdAt: number,
    first: number,
  ): { state: ScaleState; periods: Period[]; enrolment: Enrolment | null } {
    // The history, by state; a customer too young for its state takes the next that fits.
    let state = pickState(this.rng.next());
    let periods: Period[] | null = null;
    let enrolment: Enrolment | null = null;
    for (;;) {
      if (state === 'unassigned') {
        periods = [];
        break;
      }
      if (state === 'released') periods = this.released(first);
      else if (state === 'enrolled') {
        const e = this.enrolled(createdAt, first);
        if (e) {
          enrolment = e.enrolment;
          periods = e.periods;
        }
      } else periods = state === 'following' ? this.following(first) : this.expired(first);
      if (periods) break;
      state = state === 'following' ? 'unassigned' : 'following';
    }
    this.assignOwnersAndVias(periods, createdAt);
    return { state, periods, enrolment };
  }

  private anotherOwner(previous: number): number {
    if (this.owners.length < 2) return previous;
    for (;;) {
      const k = this.pickOwner(this.rng.next());
      if (k !== previous) return k;
    }
  }

  /** Owned and followed up: both deadlines still ahead. */
  private following(first: number): Period[] | null {
    const { at, follow } = this;
    const count = pickConsults(this.rng.next());
    let p: Period;
    if (count === 0) {
      p = this.period(Math.round(at - this.between(0.01, 0.95) * follow), [], 'following', null);
    } else {
      const consults = this.backward(Math.round(at - this.between(0.003, 0.93) * follow), count);
      p = this.period(
        Math.round(item(consults, 0) - this.between(0.01, 0.7) * follow),
        consults,
        'following',
        null,
      );
    }
    p = this.startNoEarlierThan(p, first);
    if (p.start > at - 0.001 * DAY) return null;
    return this.withHistory(first, this.maybeReassigned(p, first, 0.12));
  }

  /** Owned, past a deadline in the last day, not yet swept. */
  private expired(first: number): Period[] | null {
    const { at, follow, deal } = this;
    const deadline = Math.round(at - this.between(0.001, 0.99) * DAY);
    let p: Period | null = null;
    if (this.rng.chance(0.3)) {
      // Followed up until the deal window closed.
      const start = deadline - deal;
      const consults: number[] = [];
      let t = start;
      while (t <= start + deal - follow) {
        t = Math.round(t + this.between(0.75, 0.95) * follow);
        consults.push(t);
      }
      if (start >= first) p = this.period(start, consults, 'following', null);
    }
    if (!p) {
      // Not followed up for the follow-up window (perhaps never).
      const last = deadline - follow;
      const count = pickConsults(this.rng.next());
      const consults = count === 0 ? [] : this.backward(last, count);
      const start = count === 0 ? last : Math.round(item(consults, 0) - this.between(0.01, 0.7) * follow);
      p = this.startNoEarlierThan(this.period(start, consults, 'following', null), first);
      if (p.start > last) return null;
      if (p.consults.length === 0 && p.start !== last) p = { ...p, start: last };
    }
    return this.withHistory(first, this.maybeReassigned(p, first, 0.05));
  }

  /** Released into the pool (now unowned) after one to three periods. */
  private released(first: number): Period[] | null {
    const periods = this.chain(first, this.at, pickChainLength(this.rng.next()), CONSULT_BUDGET, 45);
    return periods.length > 0 ? periods : null;
  }

  /** Paid for a class at a visit, within a period that had not expired. */
  private enrolled(createdAt: number, first: number): { periods: Period[]; enrolment: Enrolment } | null {
    const { at, follow } = this;
    const room = at - 0.01 * DAY - (createdAt + 0.3 * DAY);
    if (room <= 0) return null;
    let paidAt = Math.round(createdAt + (0.3 + 120 * this.rng.next() ** 3) * DAY);
    if (paidAt > at - 0.01 * DAY) paidAt = Math.round(createdAt + 0.3 * DAY + this.rng.next() * room);
    const consults = this.backward(paidAt, 1 + Math.min(4, pickConsults(this.rng.next())));
    const start = Math.round(item(consults, 0) - this.between(0.01, 0.7) * follow);
    const p = this.startNoEarlierThan(this.period(start, consults, 'enrolled', null), first);
    // A class starting after the payment (there are classes until three months after `at`).
    let k = this.classes.findIndex((c) => c.start >= paidAt);
    if (k < 0) k = this.classes.length - 1;
    const cls = item(this.classes, Math.min(this.classes.length - 1, k + this.rng.int(0, 2)));
    return {
      periods: this.withHistory(first, this.maybeReassigned(p, first, 0.05)),
      enrolment: { paidAt, cls },
    };
  }

  /** Owners (a colleague after each change) and how each period began. */
  private assignOwnersAndVias(periods: Period[], createdAt: number): void {
    periods.forEach((p, k) => {
      const before = periods[k - 1];
      if (!before) {
        p.owner = this.pickOwner(this.rng.next());
        p.via =
          p.start - createdAt <= 0.15 * DAY ? pickFirstVia(this.rng.next()) : pickLaterVia(this.rng.next());
      } else {
        p.owner = this.anotherOwner(before.owner);
        p.via = before.status === 'reassigned' ? 'manual' : pickLaterVia(this.rng.next());
      }
    });
  }
}
