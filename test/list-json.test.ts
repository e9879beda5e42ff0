import { eq, sql } from 'drizzle-orm';
import fastJson from 'fast-json-stringify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../server/auth/sessions.ts';
import { consultRecords, customers } from '../server/db/schema/index.ts';
import { itemSchema } from '../server/engine/fields.ts';
import type { ListQuery } from '../server/engine/query.ts';
import { resourceService } from '../server/engine/service.ts';
import { customersResource } from '../server/modules/customers/resource.ts';
import { myCustomersResource } from '../server/modules/distributions/my-customers.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeCourse, makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Issue 24: the customer list's pages are written as JSON by PostgreSQL (engine/list-json.ts). Every
 * answer must be the one the rows presented by `present` and serialized by the route's schema give:
 * the same items with the same values (contacts masked for the same readers, times to the
 * millisecond, awkward text escaped), the same totals, for every reader and every kind of query.
 */
let t: TestApp;
const db = () => t.database.db;
const sessions: Record<string, Session> = {};
const actors: Record<string, Actor> = {};
const serializers = {
  customers: fastJson(itemSchema(customersResource) as object),
  'my-customers': fastJson(itemSchema(myCustomersResource) as object),
};
const configs = { customers: customersResource, 'my-customers': myCustomersResource };
// The object path: the same resource without its JSON pages.
const objects = (list: keyof typeof configs) =>
  resourceService(db(), { ...configs[list], listJson: undefined }, { timezone: 'Asia/Shanghai' });

const AWKWARD = [
  'quote " and \\ backslash',
  'new\nline\ttab\r',
  'control \u0001\u001f char',
  'emoji 😀 and 中文，全角',
  "it's <b>&amp;</b>",
  '',
];

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  const grants = {
    manager: demoRoleGrants.sales_manager,
    mine: demoRoleGrants.consultant,
    other: demoRoleGrants.consultant,
  };
  for (const [who, codes] of Object.entries(grants)) {
    const user = await makeUser(db(), { codes: [...codes] });
    sessions[who] = await signIn(t.app, user.username, TEST_PASSWORD);
    actors[who] = {
      userId: user.id,
      username: user.username,
      permissions: new Set(codes),
    } as unknown as Actor;
  }
  const python = await makeCourse(db(), 'Python全栈');
  const java = await makeCourse(db(), 'Java "高级"');
  for (let i = 0; i < 14; i++) {
    const owner = [actors.mine!.userId, actors.other!.userId, undefined][i % 3];
    const customer = await makeCustomer(db(), {
      name: i % 2 ? `王芳${i}` : `Wang ${AWKWARD[i % AWKWARD.length]}`,
      phone: i % 4 === 3 ? null : `1380013${String(8000 + i)}`,
      qq: i % 5 === 0 ? null : `${10000 + i}`,
      wechat: i % 3 === 0 ? `wx_${i}_lue` : null,
      note: AWKWARD[(i + 1) % AWKWARD.length],
      company: AWKWARD[(i + 2) % AWKWARD.length],
      major: AWKWARD[(i + 3) % AWKWARD.length],
      source: i % 2 ? 'baidu' : 'seo',
      courseIds: i % 3 === 0 ? [java.id, python.id] : i % 3 === 1 ? [python.id] : [],
      ...(owner === undefined
        ? { at: new Date(Date.now() - 86_400_000) }
        : { owner, via: 'manual' as const }),
    });
    // Times as PostgreSQL keeps them, to the microsecond: answered to the millisecond, cut, not rounded.
    await db()
      .update(customers)
      .set({ createdAt: sql`${customers.createdAt} + interval '0.000789 s'` })
      .where(eq(customers.id, customer.id));
    if (owner !== undefined && i % 2 === 0) {
      await db().insert(consultRecords).values({
        customerId: customer.id,
        consultantId: owner,
        at: sql`now() + interval '0.000321 s'`,
        note: '回访',
      });
    }
  }
  // Two of mine's customers handed to other: mine's ended periods then show them masked.
  const [first, second] = await db()
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.consultantId, actors.mine!.userId))
    .limit(2);
  const handed = await call(t.app, sessions.manager!, 'POST', '/api/customers/actions/reassign', {
    ids: [first!.id, second!.id],
    consultantId: actors.other!.userId,
    reason: '转交',
  });
  expect(handed.statusCode, handed.body).toBe(200);
});
afterAll(async () => t?.close());

const QUERIES: ListQuery[] = [
  {},
  { pageSize: 5 },
  { page: 2, pageSize: 5 },
  { page: 9, pageSize: 5 },
  { q: '王芳' },
  { q: '王' },
  { q: '13800138' },
  { q: '138001388001' },
  { q: 'lue' },
  { q: '1000' },
  { q: '王', source: 'baidu' },
  { q: 'Wang', status: 'unregistered', source: 'seo,baidu' },
  { sort: 'name' },
  { sort: '-createdAt', pageSize: 3 },
  { source: 'seo' },
  { q: 'nobody at all' },
];

const queryString = (query: ListQuery) =>
  new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();

const MY_QUERIES: ListQuery[] = [
  {},
  { pageSize: 3 },
  { page: 2, pageSize: 3 },
  { status: 'reassigned' },
  { q: '王芳' },
  { sort: '-startedAt' },
];

/** The list's answer over HTTP is the object path's, serialized by the route's item schema. */
async function expectSamePages(list: keyof typeof configs, who: string, queries: ListQuery[]) {
  for (const query of queries) {
    const answer = await call(t.app, sessions[who]!, 'GET', `/api/${list}?${queryString(query)}`);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    const page = JSON.parse(answer.body) as { items: unknown[] };
    // My customers' days left are to the hundredth of a day: two reads milliseconds apart agree.
    const want = await objects(list).list(actors[who]!, query);
    expect(page, JSON.stringify(query)).toEqual({
      ...want,
      items: want.items.map((item) => JSON.parse(serializers[list](item))),
    });
  }
}

describe('a page of customers written by PostgreSQL', () => {
  for (const who of ['manager', 'mine', 'other']) {
    it(`is the page present() gives, for ${who}, whatever the query`, async () => {
      await expectSamePages('customers', who, QUERIES);
    });
  }

  for (const who of ['mine', 'other', 'manager']) {
    it(`is, for my customers too, what present() gives ${who}`, async () => {
      await expectSamePages('my-customers', who, MY_QUERIES);
    });
  }

  it('keeps a consultant to their own customers, their contacts whole', async () => {
    const answer = await call(t.app, sessions.mine!, 'GET', '/api/customers?pageSize=100');
    const { items } = JSON.parse(answer.body) as { items: { consultantId: number; phone: string | null }[] };
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.consultantId).toBe(actors.mine!.userId);
      if (item.phone) expect(item.phone).toMatch(/^1380013\d{4}$/);
    }
  });
});
