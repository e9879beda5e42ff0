import { type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../server/db/client.ts';
import {
  lastOwnerMayTakeSql,
  publicAtSql,
  releaseAtSql,
  releasedReasonSql,
} from '../server/modules/pool/predicates.ts';
import {
  isPublic,
  lastOwnerMayTake,
  type PoolCustomer,
  type PoolRules,
  releaseAtFor,
  releaseDeadline,
} from '../server/modules/pool/rules.ts';
import { createTestDatabase } from './db.ts';

/**
 * The SQL the queries use agrees with the TypeScript rules (docs/spec.md §3) on random customers, rules
 * and instants: the stored release time, publicness at an instant, and the reason.
 */
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

type Sample = PoolCustomer & { publicSince: Date | null; releasedReason: string | null };

const instant = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2026-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const sample: fc.Arbitrary<Sample> = fc.record({
  status: fc.constantFrom('unregistered', 'unregistered', 'unregistered', 'enrolled'),
  consultantId: fc.option(fc.integer({ min: 1, max: 5 }), { freq: 3 }),
  recvAt: fc.option(instant, { freq: 6 }),
  lastConsultAt: fc.option(instant, { freq: 3 }),
  publicSince: fc.option(instant, { freq: 4 }),
  releasedReason: fc.constantFrom(null, 'no_followup', 'no_deal', 'unassigned'),
});
const rules: fc.Arbitrary<PoolRules> = fc.record({
  followUpDays: fc.integer({ min: 1, max: 30 }),
  dealDays: fc.integer({ min: 1, max: 60 }),
});

const ts = (at: Date | null) =>
  at === null ? sql`null::timestamptz` : sql`${at.toISOString()}::timestamptz`;

/** Evaluates `columns` over the samples, each as a row of a VALUES list named like the table. */
function over(samples: Sample[], releaseAt: (s: Sample) => Date | null, columns: SQL): SQL {
  const rows = samples.map(
    (s, i) =>
      sql`(${i}::int, ${s.status}, ${s.consultantId}::int, ${ts(s.recvAt)}, ${ts(s.lastConsultAt)}, ${ts(releaseAt(s))}, ${s.releasedReason}::text)`,
  );
  return sql`select idx, ${columns}
    from (values ${sql.join(rows, sql`, `)})
      as customers(idx, status, consultant_id, recv_at, last_consult_at, release_at, released_reason)
    order by idx`;
}

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

describe('the pool rules in SQL', () => {
  it('compute the release time, publicness and reason exactly as the TypeScript rules do', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sample, { minLength: 1, maxLength: 25 }),
        rules,
        instant,
        async (samples, r, at) => {
          const stored = await queryRows<{ release_at: Date | string | null }>(
            database.db,
            over(samples, (s) => s.publicSince, sql`${releaseAtSql(r)} as release_at`),
          );
          samples.forEach((s, i) => {
            expect(time(stored[i]!.release_at)).toBe(time(releaseAtFor(s, r)));
          });

          const judged = await queryRows<{ public: boolean; reason: string }>(
            database.db,
            over(
              samples,
              (s) => releaseAtFor(s, r),
              sql`${publicAtSql(at)} as public, ${releasedReasonSql(r)} as reason`,
            ),
          );
          samples.forEach((s, i) => {
            const row = judged[i]!;
            // An unowned customer is public from the moment it became so, as recorded.
            const comparable = s.consultantId !== null || s.publicSince === null || s.publicSince <= at;
            if (comparable) expect(row.public).toBe(isPublic(s, r, at));
            if (s.consultantId === null) expect(row.reason).toBe(s.releasedReason ?? 'unassigned');
            else {
              const recvAt = s.recvAt ?? s.lastConsultAt;
              const reason = recvAt
                ? releaseDeadline({ recvAt, lastConsultAt: s.lastConsultAt }, r).reason
                : 'no_followup';
              expect(row.reason).toBe(reason);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the last-owner rule in SQL', () => {
  it('bars and lets through exactly the grabs the TypeScript rule does', async () => {
    const owner = fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 });
    const customer = fc.record({
      consultantId: owner,
      previousConsultantId: owner,
      releaseAt: fc.option(instant, { freq: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(customer, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 3 }),
        instant,
        fc.option(fc.integer({ min: 0, max: 60 }), { freq: 3 }),
        async (samples, me, at, cooldownDays) => {
          const rows = samples.map(
            (c, i) =>
              sql`(${i}::int, ${c.consultantId}::int, ${c.previousConsultantId}::int, ${ts(c.releaseAt)})`,
          );
          const judged = await queryRows<{ may: boolean | null }>(
            database.db,
            sql`select idx, ${lastOwnerMayTakeSql(me, at, sql`${cooldownDays}::int`)} as may
              from (values ${sql.join(rows, sql`, `)})
                as customers(idx, consultant_id, previous_consultant_id, release_at)
              order by idx`,
          );
          samples.forEach((c, i) => {
            // SQL's null (no cooldown, or no release time) lets nothing through, as false does.
            expect(judged[i]!.may === true, JSON.stringify({ c, me, at, cooldownDays })).toBe(
              lastOwnerMayTake(c, me, at, cooldownDays),
            );
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
