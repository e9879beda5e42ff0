/**
 * Weighted rotation (docs/spec.md §4), as pure functions over the state kept in sale_ranks.
 *
 * A consultant's `current` is the total weight times how far they are behind their share:
 * n·weight − total·count after n picks, so the currents of a rotation sum to zero. Each pick goes to
 * the one whose lag would first grow past 1 − δ (δ = 1/(2k − 2) for k candidates) among those it
 * would not put more than 1 − δ ahead: Tijdeman's chairman assignment, which keeps every
 * consultant within 1 − δ of n·weight/total after every pick n. Picking simply whoever lags most
 * (smooth weighted round-robin) drifts past one customer now and then: 1:1:19:19:19 after 28 picks
 * is 1.02 off. The picks interleave (5:1:1 gives a a b a a c a).
 */
export type Rank = {
  consultantId: number;
  weight: number;
  dailyQuota: number;
  active: boolean;
  /** Customers assigned today (the caller has already reset a count from an earlier day). */
  assignedToday: number;
  current: number;
};

/** Takes new customers now: active, weighted, with quota left today (a quota of 0 takes none). */
export const eligible = (rank: Rank): boolean =>
  rank.active && rank.weight > 0 && rank.assignedToday < rank.dailyQuota;

/**
 * The next consultant, or null when nobody can take a customer. Mutates the ranks' state (their
 * `current` and `assignedToday`), which the caller writes back in the customer's transaction.
 */
export function pick(ranks: Rank[]): Rank | null {
  const candidates = ranks.filter(eligible);
  if (candidates.length === 0) return null;
  // The candidates changed since the last pick (someone ran out of quota, was paused or added):
  // their leftover currents no longer sum to zero and would skew the shares, so start afresh.
  if (candidates.reduce((sum, r) => sum + r.current, 0) !== 0) {
    for (const rank of ranks) rank.current = 0;
  }
  const total = candidates.reduce((sum, r) => sum + r.weight, 0);
  // Scaled by K·total (K = 2k − 2, so δ = 1/K): `lag` is how far behind its share a candidate is
  // after this pick unless it gets it, `slack` how far that still is from 1 − δ; slack over weight
  // is how many picks it can wait. Lags sum to K·total, so one of them is always at least total.
  const K = 2 * candidates.length - 2;
  let best: Rank | undefined;
  let bestSlack = 0;
  for (const rank of candidates) {
    const lag = K * (rank.current + rank.weight);
    if (candidates.length > 1 && lag < total) continue;
    const slack = (K - 1) * total - lag;
    const order = best ? slack * best.weight - bestSlack * rank.weight : -1;
    // Ties go to the lower consultant id, so the order is the same on every instance.
    if (order < 0 || (order === 0 && rank.consultantId < best!.consultantId)) {
      best = rank;
      bestSlack = slack;
    }
  }
  for (const rank of candidates) rank.current += rank.weight;
  best!.current -= total;
  best!.assignedToday += 1;
  // This pick used up its quota: the others go on without it from zero, as the check above would
  // do, but also when its current happens to be 0 now, leaving the others' summing to zero with
  // their leads and lags from the rotation it was in (7:3:1:1:2 with a quota of 13 then gave the 3
  // three customers in a row).
  if (!eligible(best!)) {
    for (const rank of ranks) rank.current = 0;
  }
  return best!;
}

/** `count` picks in a row (an import's batch): the consultant for each, null where nobody had quota. */
export function pickMany(ranks: Rank[], count: number): (number | null)[] {
  const picks: (number | null)[] = [];
  for (let i = 0; i < count; i++) picks.push(pick(ranks)?.consultantId ?? null);
  return picks;
}
