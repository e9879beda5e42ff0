import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import { customerOwners, customers } from '../server/db/schema/index.ts';
import { escalateReminders } from '../server/modules/pool/escalation.ts';
import { sweep } from '../server/modules/pool/sweep.ts';
import { appForTests, call, type Session, signIn } from './app.ts';
import { makeClass, makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * The escalation (issue 23 item 5) on the test clock: a release reminder its owner has not acted on
 * — no follow-up, no enrolment since — by half the time that was left before the release tells the
 * managers (holders of customer.assign), once per deadline; so a customer falls into the pool only
 * after two people were told. Default pool rules: 3 days to follow up, 15 to close, reminded 1 day
 * before a deadline.
 */
const t = appForTests({ testClock: true });
const db = () => t.database.db;
const HOUR = 3_600_000;
const hours = (at: Date, n: number) => new Date(at.getTime() + n * HOUR);

let owner: Session;
let managers: number[];
let bossUsername: string;
let playingManager: { id: number };

beforeAll(async () => {
  const seller = await makeUser(db(), {
    name: '三江',
    codes: ['customer.list', 'consult_record.create', 'payment_record.create'],
  });
  owner = await signIn(t.app, seller.username, TEST_PASSWORD);
  const boss = await makeUser(db(), { name: '主管甲', codes: ['customer.assign', 'customer.view_all'] });
  bossUsername = boss.username;
  const deputy = await makeUser(db(), { name: '主管乙', codes: ['customer.assign'] });
  await makeUser(db(), { name: '已离职主管', codes: ['customer.assign'], active: false });
  // A manager who also sells: told of others' customers, not of their own.
  const player = await makeUser(db(), {
    name: '主管丙',
    codes: ['customer.assign', 'customer.list', 'consult_record.create'],
  });
  playingManager = { id: player.id };
  managers = [boss.id, deputy.id, player.id];
});
afterEach(() => setClock(null));

/** Who has been told that `customerId` is about to be released, and of which deadlines. */
async function escalations(customerId: number) {
  const rows = await queryRows<{ userId: number; releaseAt: string; key: string }>(
    db(),
    sql`select user_id as "userId", payload->>'releaseAt' as "releaseAt",
               left(dedupe_key, length(dedupe_key) - length(channel) - 1) as key
        from notifications
        where event = 'release_escalation' and (payload->>'customerId')::int = ${customerId}
        order by user_id`,
  );
  return rows;
}
const toldUsers = async (customerId: number) =>
  [...new Set((await escalations(customerId)).map((r) => r.userId))].sort();

/**
 * The reminders of `customerId` the escalation is still to look at: whose, when, of which deadline,
 * and when it falls due.
 */
const watched = async (customerId: number) =>
  (
    await queryRows<{ consultantId: number; remindedAt: string; releaseAt: string; escalateAt: string }>(
      db(),
      sql`select e.consultant_id as "consultantId", e.reminded_at as "remindedAt",
                 e.release_ats[p.i] as "releaseAt",
                 e.reminded_at + (e.release_ats[p.i] - e.reminded_at) / 2 as "escalateAt"
          from release_escalations e
          cross join lateral (select array_position(e.customer_ids, ${customerId}) as i) p
          where p.i > e.taken`,
    )
  ).map((row) => ({
    ...row,
    remindedAt: new Date(row.remindedAt),
    releaseAt: new Date(row.releaseAt),
    escalateAt: new Date(row.escalateAt),
  }));

const releaseAt = async (id: number) =>
  (await db().select({ at: customers.releaseAt }).from(customers).where(eq(customers.id, id)))[0]!.at!;

/** A new customer of `ownerId`'s from `at`: its deadline is `at` + 3 days. */
const ownedFrom = async (ownerId: number, at: Date) => (await makeCustomer(db(), { owner: ownerId, at })).id;

const followUp = async (session: Session, customerId: number, at: Date) => {
  setClock(at);
  const response = await call(t.app, session, 'POST', `/api/customers/${customerId}/consult-records`, {
    note: '电话沟通，下周来试听',
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { clockMoved: boolean };
};

describe('the escalation of an unanswered release reminder', () => {
  it('tells the managers once, halfway from the reminder to the deadline, if nobody acted', async () => {
    const T = new Date('2026-05-04T04:00:00.000Z');
    const id = await ownedFrom(owner.userId, T);
    const deadline = addDays(T, 3);
    expect(await releaseAt(id)).toEqual(deadline);

    // The nightly sweep reminds 18 hours before the deadline: halfway is 9 hours later.
    const reminded = hours(deadline, -18);
    expect((await sweep(db(), reminded)).reminded).toBeGreaterThanOrEqual(1);
    const [row] = await db().select().from(customerOwners).where(eq(customerOwners.customerId, id));
    expect(row).toMatchObject({ remindedFor: deadline });
    expect(await watched(id)).toEqual([
      {
        consultantId: owner.userId,
        releaseAt: deadline,
        remindedAt: reminded,
        escalateAt: hours(reminded, 9),
      },
    ]);

    await escalateReminders(db(), { at: hours(reminded, 8.99) });
    expect(await toldUsers(id)).toEqual([]);

    const halfway = hours(reminded, 9);
    expect((await escalateReminders(db(), { at: halfway })).escalated).toBeGreaterThanOrEqual(1);
    const told = await escalations(id);
    expect([...new Set(told.map((r) => r.userId))].sort()).toEqual([...managers].sort());
    for (const r of told) {
      expect(r.releaseAt).toBe(deadline.toISOString());
      expect(r.key).toBe(`release_escalation:${id}:${deadline.toISOString()}:${r.userId}`);
    }

    // Once per deadline: later runs tell nobody again.
    const count = told.length;
    await escalateReminders(db(), { at: hours(reminded, 10) });
    await escalateReminders(db(), { at: hours(reminded, 17) });
    expect(await escalations(id)).toHaveLength(count);

    // The managers read it in their inbox, naming the customer, the owner and the deadline.
    const boss = await signIn(t.app, bossUsername, TEST_PASSWORD);
    const inbox = (await call(t.app, boss, 'GET', '/api/me/notifications')).json();
    const item = inbox.items.find((i: { link: string }) => i.link === `/customers/${id}`);
    expect(item.event).toBe('release_escalation');
    expect(item.title).toMatch(/^客户即将释放（主管）：/);
    expect(item.text).toContain('三江');
    expect(item.text).toContain('5月7日 12:00');

    // The owner had the reminder; the escalation is not theirs.
    expect(await toldUsers(id)).not.toContain(owner.userId);

    // The sweep then releases it, as before: two people were told.
    await sweep(db(), deadline);
    const [gone] = await db().select().from(customers).where(eq(customers.id, id));
    expect(gone!.consultantId).toBeNull();
  });

  it('tells nobody when the owner followed up after the reminder, and escalates the new deadline on its own', async () => {
    const T = new Date('2026-06-01T04:00:00.000Z');
    const id = await ownedFrom(owner.userId, T);
    const reminded = hours(addDays(T, 3), -18);
    await sweep(db(), reminded);
    expect((await followUp(owner, id, hours(reminded, 1))).clockMoved).toBe(true);
    const next = await releaseAt(id);
    expect(next).toEqual(addDays(hours(reminded, 1), 3));

    await escalateReminders(db(), { at: hours(reminded, 9) });
    await escalateReminders(db(), { at: hours(reminded, 17.9) });
    expect(await toldUsers(id)).toEqual([]);

    // The new deadline is reminded of, and if left unanswered escalated, once.
    const remindedAgain = hours(next, -20);
    await sweep(db(), remindedAgain);
    await escalateReminders(db(), { at: hours(remindedAgain, 9.9) });
    expect(await toldUsers(id)).toEqual([]);
    await escalateReminders(db(), { at: hours(remindedAgain, 10) });
    const told = await escalations(id);
    expect(new Set(told.map((r) => r.releaseAt))).toEqual(new Set([next.toISOString()]));
    expect([...new Set(told.map((r) => r.userId))].sort()).toEqual([...managers].sort());
  });

  it('counts a follow-up that cannot move the deadline (the deal’s) as acting on the reminder', async () => {
    const T = new Date('2026-07-01T04:00:00.000Z');
    const id = await ownedFrom(owner.userId, T);
    // Following up every other day until day 13 leaves the deal deadline (day 15) the earlier one.
    for (const day of [2, 4, 6, 8, 10, 12, 13]) await followUp(owner, id, addDays(T, day));
    const deadline = addDays(T, 15);
    expect(await releaseAt(id)).toEqual(deadline);
    const reminded = hours(deadline, -12);
    await sweep(db(), reminded);
    expect(await watched(id)).toMatchObject([{ releaseAt: deadline, escalateAt: hours(reminded, 6) }]);
    expect((await followUp(owner, id, hours(reminded, 2))).clockMoved).toBe(true);
    expect(await releaseAt(id)).toEqual(deadline);
    await escalateReminders(db(), { at: hours(reminded, 6) });
    expect(await toldUsers(id)).toEqual([]);
  });

  it('tells nobody of a customer enrolled, or taken by someone else, after the reminder', async () => {
    const T = new Date('2026-08-03T04:00:00.000Z');
    const enrolled = await ownedFrom(owner.userId, T);
    const moved = await ownedFrom(owner.userId, T);
    const reminded = hours(addDays(T, 3), -18);
    await sweep(db(), reminded);

    setClock(hours(reminded, 2));
    const klass = await makeClass(db());
    const paid = await call(t.app, owner, 'POST', '/api/payments', {
      customerId: enrolled,
      classId: klass.id,
      payType: 'deposit',
      paidFee: '500.00',
    });
    expect(paid.statusCode, paid.body).toBe(200);
    // Another owner now (as a reassignment leaves it): both clocks and the deadline start again.
    const taken = hours(reminded, 3);
    await db()
      .update(customers)
      .set({
        consultantId: playingManager.id,
        recvAt: taken,
        lastConsultAt: taken,
        releaseAt: addDays(taken, 3),
      })
      .where(eq(customers.id, moved));

    await escalateReminders(db(), { at: hours(reminded, 12) });
    expect(await toldUsers(enrolled)).toEqual([]);
    expect(await toldUsers(moved)).toEqual([]);
  });

  it('leaves out an owner who is a manager, and runs side by side without telling anyone twice', async () => {
    const T = new Date('2026-09-01T04:00:00.000Z');
    const theirs = await ownedFrom(playingManager.id, T);
    const others = await Promise.all([1, 2, 3].map(() => ownedFrom(owner.userId, T)));
    const reminded = hours(addDays(T, 3), -18);
    await sweep(db(), reminded);
    // Two instances (on PostgreSQL, two connections) at once, in batches of one row.
    await Promise.all([
      escalateReminders(db(), { at: hours(reminded, 9), batch: 1 }),
      escalateReminders(db(), { at: hours(reminded, 9), batch: 1 }),
    ]);
    expect(await toldUsers(theirs)).toEqual(managers.filter((m) => m !== playingManager.id).sort());
    for (const id of others) {
      const told = await escalations(id);
      expect([...new Set(told.map((r) => r.userId))].sort()).toEqual([...managers].sort());
      // One event per manager: nobody told twice.
      expect(new Set(told.map((r) => r.key)).size).toBe(managers.length);
    }
    // Every row was taken, once: none is left to look at again.
    for (const id of [theirs, ...others]) expect(await watched(id)).toEqual([]);
  });

  it('escalates each customer of one reminder at its own halfway, in deadline order', async () => {
    const T = new Date('2026-09-20T04:00:00.000Z');
    const early = await ownedFrom(owner.userId, T);
    const late = await ownedFrom(owner.userId, hours(T, 6));
    // One sweep reminds the owner of both: deadlines 18 and 24 hours away, halfway at 9 and 12.
    const reminded = hours(addDays(T, 3), -18);
    await sweep(db(), reminded);
    expect((await watched(early))[0]!.escalateAt).toEqual(hours(reminded, 9));
    expect((await watched(late))[0]!.escalateAt).toEqual(hours(reminded, 12));

    await escalateReminders(db(), { at: hours(reminded, 9) });
    expect(await toldUsers(early)).toEqual([...managers].sort());
    expect(await toldUsers(late)).toEqual([]);
    expect(await watched(early)).toEqual([]);

    await escalateReminders(db(), { at: hours(reminded, 11.9) });
    expect(await toldUsers(late)).toEqual([]);
    await escalateReminders(db(), { at: hours(reminded, 12) });
    expect(await toldUsers(late)).toEqual([...managers].sort());
    expect(await watched(late)).toEqual([]);
    const [{ left }] = (await queryRows<{ left: number }>(
      db(),
      sql`select count(*)::int as "left" from release_escalations where ${early} = any(customer_ids)`,
    )) as [{ left: number }];
    expect(left).toBe(0);
  });

  it('drops the reminder of a customer deleted since, telling nobody', async () => {
    const T = new Date('2026-09-15T04:00:00.000Z');
    const id = await ownedFrom(owner.userId, T);
    const reminded = hours(addDays(T, 3), -18);
    await sweep(db(), reminded);
    expect(await watched(id)).toHaveLength(1);
    await db().delete(customers).where(eq(customers.id, id));
    await escalateReminders(db(), { at: hours(reminded, 9) });
    expect(await toldUsers(id)).toEqual([]);
    expect(await watched(id)).toEqual([]);
  });

  it('does nothing when reminders are off', async () => {
    const T = new Date('2026-10-01T04:00:00.000Z');
    const id = await ownedFrom(owner.userId, T);
    await db().execute(sql`insert into pool_settings (remind_days_before) values (0)`);
    try {
      await sweep(db(), hours(addDays(T, 3), -18));
      await escalateReminders(db(), { at: hours(addDays(T, 3), -1) });
      expect(await toldUsers(id)).toEqual([]);
    } finally {
      await db().execute(sql`delete from pool_settings`);
    }
  });
});
