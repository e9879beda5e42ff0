import { type PoolRules, releaseDeadline } from '../../modules/pool/rules.ts';
import { item, type Random } from '../shared/words.ts';
import { DAY, type Period, type PeriodStatus } from './model.ts';

/** Consult records per customer, at most (SPEC's "0–8"). */
export const CONSULT_BUDGET = 8;

/**
 * The building blocks of ownership histories, for `History` to assemble by state. Every draw comes
 * from the generator's one sequence, so the order of the calls is part of the data.
 */
export class Periods {
  /** Follow-up and deal windows in milliseconds. */
  protected readonly follow: number;
  protected readonly deal: number;

  constructor(
    protected readonly rng: Random,
    protected readonly at: number,
    protected readonly rules: PoolRules,
  ) {
    this.follow = rules.followUpDays * DAY;
    this.deal = rules.dealDays * DAY;
  }

  protected between(min: number, max: number): number {
    return this.rng.between(min, max);
  }

  // --- Periods. Owners and vias are filled in afterwards (assignOwnersAndVias).

  protected period(start: number, consults: number[], status: PeriodStatus, end: number | null): Period {
    return { owner: 0, start, consults, status, end, via: 'assigned' };
  }

  /** `count` follow-ups ending exactly at `last`, each within the follow-up window of the one before. */
  protected backward(last: number, count: number): number[] {
    const times = [last];
    let t = last;
    for (let k = 1; k < count; k++) {
      t = Math.round(t - this.between(0.1, 0.73) * this.follow);
      times.unshift(t);
    }
    return times;
  }

  /** Drops follow-ups at or before `start`; the period then starts at `start`. */
  protected startNoEarlierThan(p: Period, start: number): Period {
    if (p.start >= start) return p;
    return { ...p, start, consults: p.consults.filter((t) => t > start) };
  }

  /** A period the sweep closed at its deadline, starting at `start`, with at most `budget` follow-ups. */
  protected releasedPeriod(start: number, budget: number): Period {
    const consults: number[] = [];
    let t = start;
    if (budget >= 7 && this.rng.chance(0.3)) {
      // Followed up, never closed: released when the deal window ran out.
      while (t <= start + this.deal - this.follow) {
        t = Math.round(t + this.between(0.75, 0.95) * this.follow);
        consults.push(t);
      }
    } else {
      const count = this.rng.chance(0.25) ? 0 : this.rng.int(0, Math.min(4, budget));
      for (let k = 0; k < count; k++) {
        t = Math.round(t + this.between(0.1, 0.93) * this.follow);
        if (t >= start + this.deal) break;
        consults.push(t);
      }
    }
    const last = consults.at(-1);
    const deadline = releaseDeadline(
      { recvAt: new Date(start), lastConsultAt: last === undefined ? null : new Date(last) },
      this.rules,
    );
    return this.period(start, consults, `released_${deadline.reason}`, deadline.at.getTime());
  }

  /** Released periods one after another from `first`, all over by `limit`. */
  protected chain(first: number, limit: number, count: number, budget: number, maxGapDays: number): Period[] {
    const periods: Period[] = [];
    let start = first;
    for (let k = 0; k < count; k++) {
      const p = this.releasedPeriod(start, budget);
      if ((p.end ?? 0) > limit) break;
      periods.push(p);
      budget -= p.consults.length;
      start = Math.round((p.end ?? 0) + this.between(0.05, maxGapDays) * DAY);
    }
    return periods;
  }

  /** Earlier history before the final period(s): none for a customer received at creation. */
  protected withHistory(first: number, final: Period[]): Period[] {
    const budget = CONSULT_BUDGET - final.reduce((n, p) => n + p.consults.length, 0);
    const head = item(final, 0);
    const limit = head.start - 0.05 * DAY;
    if (head.start - first < this.follow) return final;
    const count = this.rng.chance(0.7) ? 1 : 2;
    const maxGap = Math.max(0.05, Math.min(60, (limit - first) / DAY / (count + 1)));
    return [...this.chain(first, limit, Math.min(count, 3 - final.length), budget, maxGap), ...final];
  }

  /** Sometimes the final owner took over from a colleague by reassignment. */
  protected maybeReassigned(final: Period, first: number, chance: number): Period[] {
    if (!this.rng.chance(chance)) return [final];
    const handed = final.start;
    const consults = this.backward(
      Math.round(handed - this.between(0.03, 0.8) * this.follow),
      this.rng.int(1, 2),
    );
    const start = Math.round(item(consults, 0) - this.between(0.02, 0.5) * this.follow);
    if (start < first) return [final];
    return [this.period(start, consults, 'reassigned', handed), final];
  }
}
