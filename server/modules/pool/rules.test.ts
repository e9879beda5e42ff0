import { describe, expect, it } from 'vitest';
import { addDays } from '../../clock.ts';
import { DEFAULT_POOL_RULES, isPublic, type PoolCustomer, releaseAtFor, releaseDeadline } from './rules.ts';

const t0 = new Date('2025-03-01T02:00:00.000Z');
const owned = (recvAt: Date | null, lastConsultAt: Date | null): PoolCustomer => ({
  status: 'unregistered',
  consultantId: 7,
  recvAt,
  lastConsultAt,
});

describe('releaseDeadline', () => {
  it('has the defaults of docs/spec.md §3', () => {
    expect(DEFAULT_POOL_RULES).toEqual({ followUpDays: 3, dealDays: 15 });
  });

  it('is three days after the last follow-up while that comes first', () => {
    const deadline = releaseDeadline({ recvAt: t0, lastConsultAt: addDays(t0, 5) }, DEFAULT_POOL_RULES);
    expect(deadline).toEqual({ at: addDays(t0, 8), reason: 'no_followup' });
  });

  it('is fifteen days after receiving it once follow-ups keep the other clock going', () => {
    const deadline = releaseDeadline({ recvAt: t0, lastConsultAt: addDays(t0, 13.5) }, DEFAULT_POOL_RULES);
    expect(deadline).toEqual({ at: addDays(t0, 15), reason: 'no_deal' });
  });

  it('counts a tie as no follow-up', () => {
    const deadline = releaseDeadline({ recvAt: t0, lastConsultAt: addDays(t0, 12) }, DEFAULT_POOL_RULES);
    expect(deadline).toEqual({ at: addDays(t0, 15), reason: 'no_followup' });
  });

  it('runs the follow-up clock from receipt when there was no follow-up', () => {
    expect(releaseDeadline({ recvAt: t0, lastConsultAt: null }, DEFAULT_POOL_RULES)).toEqual({
      at: addDays(t0, 3),
      reason: 'no_followup',
    });
  });

  it('follows the configured rules', () => {
    const rules = { followUpDays: 7, dealDays: 10 };
    expect(releaseDeadline({ recvAt: t0, lastConsultAt: addDays(t0, 1) }, rules)).toEqual({
      at: addDays(t0, 8),
      reason: 'no_followup',
    });
    expect(releaseDeadline({ recvAt: t0, lastConsultAt: addDays(t0, 4) }, rules)).toEqual({
      at: addDays(t0, 10),
      reason: 'no_deal',
    });
  });
});

describe('releaseAtFor', () => {
  it('is null for enrolled customers, owned or not', () => {
    expect(releaseAtFor({ ...owned(t0, t0), status: 'enrolled' }, DEFAULT_POOL_RULES)).toBeNull();
    expect(
      releaseAtFor(
        { status: 'enrolled', consultantId: null, recvAt: null, lastConsultAt: null, publicSince: t0 },
        DEFAULT_POOL_RULES,
      ),
    ).toBeNull();
  });

  it('is the deadline for an owned customer', () => {
    expect(releaseAtFor(owned(t0, addDays(t0, 2)), DEFAULT_POOL_RULES)).toEqual(addDays(t0, 5));
    expect(releaseAtFor(owned(t0, addDays(t0, 14)), DEFAULT_POOL_RULES)).toEqual(addDays(t0, 15));
  });

  it('is the moment an unowned customer became public', () => {
    const released = addDays(t0, 3);
    expect(
      releaseAtFor(
        {
          status: 'unregistered',
          consultantId: null,
          recvAt: null,
          lastConsultAt: null,
          publicSince: released,
        },
        DEFAULT_POOL_RULES,
      ),
    ).toEqual(released);
    expect(
      releaseAtFor(
        { status: 'unregistered', consultantId: null, recvAt: null, lastConsultAt: null },
        DEFAULT_POOL_RULES,
      ),
    ).toEqual(new Date(0));
  });

  it('puts an owned customer without clocks into the pool rather than never', () => {
    expect(releaseAtFor(owned(null, null), DEFAULT_POOL_RULES)).toEqual(new Date(0));
    expect(releaseAtFor(owned(null, t0), DEFAULT_POOL_RULES)).toEqual(addDays(t0, 3));
  });
});

describe('isPublic', () => {
  it('applies the live rule of docs/spec.md §3', () => {
    const customer = owned(t0, addDays(t0, 1));
    expect(isPublic(customer, DEFAULT_POOL_RULES, addDays(t0, 3.9))).toBe(false);
    expect(isPublic(customer, DEFAULT_POOL_RULES, addDays(t0, 4))).toBe(true);
    const followed = owned(t0, addDays(t0, 14));
    expect(isPublic(followed, DEFAULT_POOL_RULES, addDays(t0, 14.99))).toBe(false);
    expect(isPublic(followed, DEFAULT_POOL_RULES, addDays(t0, 15))).toBe(true);
    expect(isPublic({ ...customer, consultantId: null }, DEFAULT_POOL_RULES, t0)).toBe(true);
    expect(isPublic({ ...customer, status: 'enrolled' }, DEFAULT_POOL_RULES, addDays(t0, 99))).toBe(false);
    expect(isPublic(owned(null, null), DEFAULT_POOL_RULES, t0)).toBe(true);
  });

  it('agrees with release_at <= at for every kind of customer and instant', () => {
    // A small deterministic generator: clocks and instants on a quarter-day grid hit the boundaries.
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const someDay = () => addDays(t0, Math.floor(next() * 80) / 4);
    const ruleSets = [DEFAULT_POOL_RULES, { followUpDays: 1, dealDays: 1 }, { followUpDays: 5, dealDays: 2 }];
    let checked = 0;
    for (let i = 0; i < 5000; i++) {
      const rules = ruleSets[i % ruleSets.length] ?? DEFAULT_POOL_RULES;
      const recvAt = next() < 0.05 ? null : someDay();
      const lastConsultAt = next() < 0.2 ? null : someDay();
      const consultantId = next() < 0.2 ? null : 3;
      const status = next() < 0.1 ? 'enrolled' : 'unregistered';
      const publicSince = consultantId === null ? someDay() : null;
      const customer = { status, consultantId, recvAt, lastConsultAt, publicSince };
      const releaseAt = releaseAtFor(customer, rules);
      const at = someDay();
      if (consultantId === null && publicSince && at < publicSince) continue; // not yet in existence
      const inPool = status === 'unregistered' && releaseAt !== null && releaseAt.getTime() <= at.getTime();
      expect(isPublic(customer, rules, at), JSON.stringify({ customer, rules, at })).toBe(inPool);
      checked++;
    }
    expect(checked).toBeGreaterThan(4000);
  });
});
