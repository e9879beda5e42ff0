import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { now } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import { customers } from '../server/db/schema/index.ts';
import { escapeLike } from '../server/engine/query.ts';
import { drainPostings } from '../server/modules/customers/postings.ts';
import { walkSettings } from '../server/modules/customers/walk.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Issue 24: the manager's keyword search, read along customer_grams in the list's order, finds
 * exactly what a plain ILIKE over the four fields of the whole table finds, in the same order and
 * with the same total, whichever way the keyword is answered (one posted piece counted by its
 * counts, a walk of the rarest 4-character piece with each customer checked, or the matches read
 * first) and after the customers are edited, enrolled or deleted.
 */
let t: TestApp;
const db = () => t.database.db;
let manager: Session;

type Values = { name: string; phone?: string | null; qq?: string | null; wechat?: string | null };

const TRICKY: Values[] = [
  { name: '王芳', phone: '13800000000', qq: '10000', wechat: 'Wx_888' },
  { name: '王', phone: '13888888888' },
  { name: 'Wang Fang', phone: '+86 138 0013 8000', wechat: 'LUE_Blue' },
  { name: 'ÄBC Müller', qq: '888888888', wechat: 'lue_0aa' },
  { name: '李%娜', phone: '010-88886666', wechat: '100%sure' },
  { name: 'a_b', wechat: 'a_b_c' },
  { name: '陈1380', phone: '13912345678', qq: '5566000' },
  { name: '张San', phone: '15000005566', wechat: 'back\\slash' },
  { name: '哈哈哈哈', phone: '18655665566' },
  { name: '欧阳娜娜', qq: '55', wechat: 'zz' },
];

/**
 * Enough customers holding "55667" (and "5566", "556", "55") that its page is read along the
 * postings: the 4-character pieces whole, the 5-character keyword along one of them, checked.
 */
const BULK: Values[] = Array.from({ length: 240 }, (_, i) => ({
  name: `批量${i % 7 === 0 ? '王' : '客'}${i}`,
  phone: `1${String(37 + (i % 50)).padStart(2, '0')}${String(i).padStart(4, '0')}55667`,
  ...(i % 3 === 0 ? { wechat: `lue_${i}` } : {}),
}));

const KEYWORDS = [
  ...new Set([
    ...TRICKY.flatMap((v) =>
      [v.name, v.phone, v.qq, v.wechat]
        .filter((x): x is string => !!x)
        .flatMap((text) => [text, ...pieces(text)]),
    ),
    '55667',
    '5566',
    '556',
    '55',
    '5',
    '6',
    'lue_',
    'LUE',
    'lue',
    '%',
    '_',
    '\\',
    'ä',
    'Ä',
    'ü',
    '无此人',
    '00000',
    '8888',
    '批量',
    '批',
    '客1',
    '王',
  ]),
];

/** Some pieces of `text`: its 1-, 2-, 3-, 4- and 5-character pieces at a few positions. */
function pieces(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (const n of [1, 2, 3, 4, 5])
    for (const i of [0, 1, Math.max(0, chars.length - n)])
      if (i + n <= chars.length) out.push(chars.slice(i, i + n).join(''));
  return out;
}

async function everyKeywordAsIlike() {
  expect(KEYWORDS.length).toBeGreaterThan(100);
  for (const q of KEYWORDS) {
    const want = await expected(q.trim());
    const got = await searched(q);
    expect(got.ids, `q=${JSON.stringify(q)}`).toEqual(want);
    expect(got.total, `q=${JSON.stringify(q)}`).toBe(want.length);
  }
}

/** Customers whose postings are still to be written. */
async function waiting(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db(),
    sql`select count(*)::int as n from customer_grams_pending`,
  );
  return row?.n ?? 0;
}

/** Pieces, statuses and sources whose counts (folded or not) differ from their postings. */
async function countsOffBy(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db(),
    sql`with counted as (
          select gram, status, source, sum(postings)::int as n
          from (select * from customer_gram_counts union all select * from customer_gram_count_changes) c
          group by 1, 2, 3 having sum(postings) <> 0),
        posted as (select gram, status, source, count(*)::int as n from customer_grams group by 1, 2, 3)
        select count(*)::int as n from ((select * from counted except select * from posted)
                                        union all (select * from posted except select * from counted)) d`,
  );
  return row?.n ?? -1;
}

/** What a plain ILIKE over the whole table finds, in the list's order. */
async function expected(q: string, extra = sql`true`): Promise<number[]> {
  const pattern = `%${escapeLike(q)}%`;
  const rows = await queryRows<{ id: number }>(
    db(),
    sql`select id from customers
        where (name ilike ${pattern} or phone ilike ${pattern} or qq ilike ${pattern} or wechat ilike ${pattern})
          and ${extra}
        order by created_at desc, id asc`,
  );
  return rows.map((r) => r.id);
}

/** Every page of the manager's search, in order, and the total the first page gave. */
async function searched(q: string, filters = ''): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = [];
  let total = -1;
  for (let page = 1; page < 10; page++) {
    const response = await call(
      t.app,
      manager,
      'GET',
      `/api/customers?q=${encodeURIComponent(q)}&pageSize=100&page=${page}${filters}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { items: { id: number }[]; total: number; totalCapped: boolean };
    expect(body.totalCapped).toBe(false);
    if (page === 1) total = body.total;
    ids.push(...body.items.map((item) => item.id));
    if (body.items.length < 100) break;
  }
  return { ids, total };
}

async function insert(rows: Values[], from: number, sameInstant = false) {
  const base = now().getTime() - 86_400_000 * 30;
  return db()
    .insert(customers)
    .values(
      rows.map((v, i) => {
        // Some share their creation instant: the list breaks such ties by id.
        const at = new Date(base + (sameInstant ? from : from + i) * 60_000);
        return {
          ...v,
          source: i % 2 === 0 ? ('baidu' as const) : ('seo' as const),
          createdAt: at,
          updatedAt: at,
          releaseAt: at,
          releasedReason: 'unassigned' as const,
        };
      }),
    )
    .returning({ id: customers.id });
}

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  const boss = await makeUser(db(), { codes: [...demoRoleGrants.sales_manager] });
  manager = await signIn(t.app, boss.username, TEST_PASSWORD);
  await insert(TRICKY.slice(0, 4), 0, true);
  for (const [i, values] of TRICKY.slice(4).entries()) await insert([values], 10 + i);
  await insert(BULK, 100);
});
afterAll(async () => t?.close());

describe('keyword search along the postings', () => {
  it('finds what ILIKE finds, in the same order, for every kind of keyword, before its postings are written', async () => {
    expect(await waiting()).toBeGreaterThan(BULK.length);
    await everyKeywordAsIlike();
  });

  it('finds the same once the postings are written', async () => {
    expect(await drainPostings(db(), 50)).toBeGreaterThan(BULK.length);
    expect(await waiting()).toBe(0);
    await db().execute(sql`analyze customer_grams`);
    await everyKeywordAsIlike();
    // The pieces of "55667" as common as a school's "1380": walked along one piece, counted apart.
    const { intersectUpTo } = walkSettings;
    walkSettings.intersectUpTo = 50;
    try {
      await everyKeywordAsIlike();
    } finally {
      walkSettings.intersectUpTo = intersectUpTo;
    }
    expect(await countsOffBy()).toBe(0);
  });

  it('has keywords whose pieces are common', async () => {
    expect((await expected('55667')).length).toBeGreaterThan(200);
    expect((await expected('lue_')).length).toBeGreaterThan(10);
  });

  it('applies status and source filters beside the keyword', async () => {
    for (const q of ['556', '5566', '55667', '王', '批量', 'lue_', '55', '13800138000']) {
      for (const [filters, extra] of [
        ['&source=baidu', sql`source = 'baidu'`],
        [
          '&status=unregistered&source=seo,baidu',
          sql`status = 'unregistered' and source in ('seo', 'baidu')`,
        ],
        ['&status=enrolled', sql`status = 'enrolled'`],
      ] as const) {
        const want = await expected(q, extra);
        const got = await searched(q, filters);
        expect(got.ids, `q=${q}${filters}`).toEqual(want);
        expect(got.total, `q=${q}${filters}`).toBe(want.length);
      }
    }
  });

  it('refuses a filter value the list does not know, with or without a keyword walked', async () => {
    for (const filter of ['status=nobody', 'source=baidu,nowhere']) {
      const unwalked = await call(t.app, manager, 'GET', `/api/customers?${filter}`);
      expect(unwalked.statusCode).toBe(400);
      for (const q of ['5566', '55667', '王', 'zz']) {
        const response = await call(
          t.app,
          manager,
          'GET',
          `/api/customers?q=${encodeURIComponent(q)}&${filter}`,
        );
        expect(response.statusCode, `q=${q}&${filter}`).toBe(400);
        expect(response.json().error, `q=${q}&${filter}`).toBe(unwalked.json().error);
      }
    }
  });

  it('follows edits, enrolments and deletions', async () => {
    const [first] = await expected('18655665566');
    expect(first).toBeDefined();
    await db()
      .update(customers)
      .set({ phone: '17700001111', name: '改名了' })
      .where(eq(customers.id, first!));
    expect((await searched('18655665566')).ids).toEqual([]);
    expect((await searched('哈哈')).ids).toEqual([]);
    expect((await searched('改名')).ids).toEqual([first]);
    expect((await searched('0111')).ids).toEqual(await expected('0111'));
    // Written again behind the edit, and found the same.
    expect(await drainPostings(db())).toBe(1);
    expect((await searched('改名')).ids).toEqual([first]);
    expect((await searched('18655665566')).ids).toEqual([]);

    const [enrolled] = await expected('5566');
    await db().update(customers).set({ status: 'enrolled' }).where(eq(customers.id, enrolled!));
    expect((await searched('556', '&status=enrolled')).ids).toEqual([enrolled]);
    expect((await searched('556', '&status=unregistered')).ids).not.toContain(enrolled);
    await drainPostings(db());
    expect((await searched('556', '&status=enrolled')).ids).toEqual([enrolled]);

    await db().delete(customers).where(eq(customers.id, enrolled!));
    expect((await searched('556')).ids).toEqual(await expected('556'));
    expect((await searched('556')).ids).not.toContain(enrolled);
    const left = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from customer_grams where customer_id = ${enrolled!}`,
    );
    expect(left[0]?.n).toBe(0);
    expect(await countsOffBy()).toBe(0);
  });

  it('shows each customer on a page as its own page shows it', async () => {
    for (const path of ['/api/customers?q=556&pageSize=5', '/api/customers?pageSize=5&sort=name']) {
      const body = (await call(t.app, manager, 'GET', path)).json() as { items: { id: number }[] };
      expect(body.items.length).toBe(5);
      for (const item of body.items) {
        const one = await call(t.app, manager, 'GET', `/api/customers/${item.id}`);
        expect(one.json(), path).toEqual(item);
      }
    }
  });

  it('keeps sorts other than the default', async () => {
    const response = await call(t.app, manager, 'GET', '/api/customers?q=556&sort=name&pageSize=200');
    const body = response.json() as { items: { id: number; name: string }[] };
    const names = body.items.map((item) => item.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(body.items.length).toBe(Math.min(200, (await expected('556')).length));
  });

  it('stays exact when edits race the writing of the postings', async () => {
    const ids = (await expected('5566')).slice(0, 40);
    for (let round = 0; round < 8; round++) {
      await Promise.all([
        drainPostings(db(), 7),
        ...ids.map((id, i) =>
          db()
            .update(customers)
            .set({ phone: `1390000${String(round * 100 + i).padStart(4, '0')}`, name: `竞${round}-${i}` })
            .where(eq(customers.id, id)),
        ),
        drainPostings(db(), 5),
      ]);
    }
    await drainPostings(db());
    const [differ] = await queryRows<{ n: number }>(
      db(),
      sql`with posted as (select gram, created_at, customer_id, status, source, in_name from customer_grams),
               due as (select g.gram, c.created_at, c.id as customer_id, c.status, c.source, g.in_name
                       from customers c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g)
          select count(*)::int as n from ((select * from posted except all select * from due)
                                          union all (select * from due except all select * from posted)) d`,
    );
    expect(differ?.n).toBe(0);
    expect(await countsOffBy()).toBe(0);
    expect((await searched('竞7-')).ids).toEqual(await expected('竞7-'));
  });

  it('stays exact while the counts its pieces were chosen by are minutes old', async () => {
    const { intersectUpTo } = walkSettings;
    walkSettings.intersectUpTo = 5;
    try {
      for (const q of ['90817', '908172', '90817263'])
        expect((await searched(q)).ids).toEqual(await expected(q));
      // Its pieces were counted with nobody holding them: now one is common, another not at all.
      await insert(
        Array.from({ length: 12 }, (_, i) => ({
          name: `旧数${i}`,
          phone: `1390817${String(i).padStart(4, '0')}`,
        })),
        5_000,
      );
      await insert([{ name: '旧数全', phone: '13908172630' }], 5_100);
      for (const drained of [false, true]) {
        if (drained) await drainPostings(db());
        for (const q of ['90817', '908172', '90817263', '0817263']) {
          const want = await expected(q);
          expect(want.length, q).toBeGreaterThan(0);
          expect(await searched(q), `q=${q}, drained: ${drained}`).toEqual({ ids: want, total: want.length });
        }
      }
    } finally {
      walkSettings.intersectUpTo = intersectUpTo;
    }
  });

  it('keeps draining when a customer is named again while its postings stand', async () => {
    await drainPostings(db());
    const [one] = await expected('王芳');
    await db().execute(sql`insert into customer_grams_pending (customer_id) values (${one!})`);
    // Its postings (and their counts, which every writer keeps with them) out of date.
    await db().execute(sql`update customer_grams set status = 'enrolled' where customer_id = ${one!}`);
    await db().execute(
      sql`insert into customer_gram_count_changes (gram, status, source, postings)
          select gram, s.status, source, s.postings from customer_grams,
            (values ('enrolled', 1), ('unregistered', -1)) s(status, postings)
          where customer_id = ${one!}`,
    );
    expect(await drainPostings(db())).toBe(1);
    expect(await waiting()).toBe(0);
    expect(await searched('王芳', '&status=unregistered')).toEqual({ ids: [one], total: 1 });
    expect(await searched('王芳', '&status=enrolled')).toEqual({ ids: [], total: 0 });
    expect(await searched('王芳')).toEqual({ ids: [one], total: 1 });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'counts exactly while another instance holds the counts, and folds them in after',
    async () => {
      const other = new pg.Client({ connectionString: t.database.url });
      await other.connect();
      try {
        await other.query(`select pg_advisory_lock(hashtext('customer_gram_counts_fold'))`);
        const ids = (await expected('55667')).slice(0, 6);
        for (const [i, id] of ids.entries()) {
          await db()
            .update(customers)
            .set({ name: `锁${i}`, phone: `1770000${i}000` })
            .where(eq(customers.id, id));
        }
        await drainPostings(db());
        const [unfolded] = await queryRows<{ n: number }>(
          db(),
          sql`select count(*)::int as n from customer_gram_count_changes`,
        );
        expect(unfolded?.n).toBeGreaterThan(0);
        for (const q of ['锁', '5566', '55667', '0000', '770']) {
          const want = await expected(q);
          expect(await searched(q), q).toEqual({ ids: want, total: want.length });
        }
      } finally {
        await other.end();
      }
      await drainPostings(db());
      const [left] = await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from customer_gram_count_changes`,
      );
      expect(left?.n).toBe(0);
      expect(await countsOffBy()).toBe(0);
      expect((await searched('锁')).total).toBe(6);
    },
  );
});
