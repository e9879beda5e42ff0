import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pick, pickMany, type Rank } from './rotation.ts';

const ranksOf = (weights: number[], quota = 1_000_000): Rank[] =>
  weights.map((weight, i) => ({
    consultantId: i + 1,
    weight,
    dailyQuota: quota,
    active: true,
    assignedToday: 0,
    current: 0,
  }));

/** After every pick, each consultant's count is within one of its weight's share of the picks. */
function expectFairPrefixes(ranks: Rank[], picks: number, from: Map<number, number> = new Map()) {
  const weighted = ranks.filter((r) => r.active && r.weight > 0);
  const total = weighted.reduce((sum, r) => sum + r.weight, 0);
  const counts = new Map(ranks.map((r) => [r.consultantId, 0]));
  for (let n = 1; n <= picks; n++) {
    const chosen = pick(ranks);
    expect(chosen).not.toBeNull();
    counts.set(chosen!.consultantId, counts.get(chosen!.consultantId)! + 1);
    for (const rank of weighted) {
      const share = (n * rank.weight) / total;
      expect(Math.abs(counts.get(rank.consultantId)! - share)).toBeLessThanOrEqual(1);
    }
  }
  return new Map([...counts].map(([id, c]) => [id, c + (from.get(id) ?? 0)]));
}

const weights = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 });

describe('weighted rotation', () => {
  it('keeps every share within one customer of its weight at every point of a run', () => {
    fc.assert(
      fc.property(weights, fc.integer({ min: 1, max: 300 }), (ws, n) => {
        fc.pre(ws.some((w) => w > 0));
        expectFairPrefixes(ranksOf(ws), n);
      }),
    );
  });

  it('10,000 rotations with random weights: every share within ±1 of its weight share', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 2, maxLength: 12 }), (ws) => {
        const ranks = ranksOf(ws);
        const picks = pickMany(ranks, 10_000);
        const total = ws.reduce((a, b) => a + b, 0);
        ws.forEach((w, i) => {
          const got = picks.filter((id) => id === i + 1).length;
          expect(Math.abs(got - (10_000 * w) / total)).toBeLessThanOrEqual(1);
        });
      }),
      { numRuns: 20 },
    );
  });

  it('interleaves rather than handing out runs: 5:1:1 goes a a b a a c a', () => {
    expect(pickMany(ranksOf([5, 1, 1]), 7)).toEqual([1, 1, 2, 1, 1, 3, 1]);
  });

  it('stays within one where the busiest-first rotation drifted past it (1:1:19:19:19, 28 picks)', () => {
    expectFairPrefixes(ranksOf([1, 1, 19, 19, 19]), 60);
  });

  it('applies a weight change at the next pick, fair from there on', () => {
    fc.assert(
      fc.property(
        weights,
        weights,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 200 }),
        (a, b, n1, n2) => {
          fc.pre(a.some((w) => w > 0));
          const ranks = ranksOf(a);
          pickMany(ranks, n1);
          // What saving new weights does (sale-ranks resource): new weights, the rotation starts over.
          const next = b.slice(0, ranks.length);
          fc.pre(next.some((w) => w > 0));
          ranks.forEach((rank, i) => {
            rank.weight = next[i] ?? rank.weight;
            rank.current = 0;
          });
          fc.pre(ranks.some((r) => r.weight > 0));
          expectFairPrefixes(ranks, n2);
        },
      ),
    );
  });

  it('respects quotas, then gives nobody: the customer goes to the pool', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ weight: fc.integer({ min: 0, max: 9 }), quota: fc.integer({ min: 0, max: 30 }) }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.integer({ min: 1, max: 200 }),
        (specs, n) => {
          const ranks = specs.map((s, i) => ({ ...ranksOf([s.weight], s.quota)[0]!, consultantId: i + 1 }));
          const picks = pickMany(ranks, n);
          const capacity = specs.reduce((sum, s) => sum + (s.weight > 0 ? s.quota : 0), 0);
          expect(picks.filter((p) => p !== null)).toHaveLength(Math.min(n, capacity));
          // Once nobody has quota, nobody gets one again.
          const firstNull = picks.indexOf(null);
          if (firstNull >= 0) expect(picks.slice(firstNull).every((p) => p === null)).toBe(true);
          specs.forEach((s, i) => {
            const got = picks.filter((p) => p === i + 1).length;
            expect(got).toBeLessThanOrEqual(s.weight > 0 ? s.quota : 0);
          });
        },
      ),
    );
  });

  it('stays fair among those left when one runs out of quota', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 1, max: 20 }),
        (ws, quota) => {
          const ranks = ranksOf(ws);
          ranks[0]!.dailyQuota = quota;
          const picks = pickMany(ranks, 400);
          // Only a run in which it did run out says anything about those left.
          fc.pre(picks.filter((p) => p === 1).length === quota);
          const afterLast = picks.lastIndexOf(1) + 1;
          // From the pick after the first consultant's last one, the others share fairly.
          const rest = ranks.slice(1);
          const total = rest.reduce((sum, r) => sum + r.weight, 0);
          const tail = picks.slice(afterLast);
          for (const rank of rest) {
            const got = tail.filter((p) => p === rank.consultantId).length;
            expect(Math.abs(got - (tail.length * rank.weight) / total)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('starts the others afresh when one runs out of quota with nothing left over (9:5:2:2, quota 4)', () => {
    const ranks = ranksOf([9, 5, 2, 2]);
    ranks[0]!.dailyQuota = 4;
    const picks = pickMany(ranks, 8);
    expect(picks.filter((p) => p === 1)).toHaveLength(4);
    expect(picks[7]).toBe(1);
    // From here the rest go on as a fresh 5:2:2 rotation does.
    expect(pickMany(ranks, 18)).toEqual(pickMany(ranksOf([5, 2, 2]), 18).map((id) => id! + 1));
  });

  it('skips paused and zero-weight consultants', () => {
    const ranks = ranksOf([3, 0, 2]);
    ranks[2]!.active = false;
    expect(new Set(pickMany(ranks, 10))).toEqual(new Set([1]));
    expect(pick(ranksOf([0, 0]))).toBeNull();
  });
});
