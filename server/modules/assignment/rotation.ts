/**
 * Smooth weighted round-robin (SPEC §4), as pure functions over the state kept in sale_ranks.
 *
 * Each pick adds every candidate's weight to its running `current`, takes the candidate with the
 * highest, and takes the total weight back from it. With fixed weights the currents always sum to
 * zero and stay within one total weight of it, so after n picks each consultant has had
 * n·weight/total customers, give or take less than one — and the picks interleave (5:1:1 gives
 * a a b a c a a, not a a a a a b c).
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
  let total = 0;
  let best: Rank | undefined;
  for (const rank of candidates) {
    rank.current += rank.weight;
    total += rank.weight;
    // Ties go to the lower consultant id, so the order is the same on every instance.
    if (
      !best ||
      rank.current > best.current ||
      (rank.current === best.current && rank.consultantId < best.consultantId)
    ) {
      best = rank;
    }
  }
  best!.current -= total;
  best!.assignedToday += 1;
  return best!;
}

/** `count` picks in a row (an import's batch): the consultant for each, null where nobody had quota. */
export function pickMany(ranks: Rank[], count: number): (number | null)[] {
  const picks: (number | null)[] = [];
  for (let i = 0; i < count; i++) picks.push(pick(ranks)?.consultantId ?? null);
  return picks;
}
