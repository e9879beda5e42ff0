import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../server/db/schema/index.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Issue 20, item 3: where the caller sees a contact masked (138****0001), keyword search matches it
 * only whole — never a piece, or `q=138`, `q=1380`… spells out the hidden digits. Names stay
 * searchable by any piece; contacts the caller reads in full (their own customers, a manager's)
 * stay searchable by any piece too.
 */
let t: TestApp;
const db = () => t.database.db;
let manager: Session;
let mallory: Session; // the consultant trying to read another's contacts
let owner: Session;

// In the pool: nobody's, so masked for every consultant.
const POOL = { name: '池中客户甲', phone: '13800000001', qq: '138000017', wechat: 'Pool_wx_1380' };
// Owner's customer, that mallory owned once (a period of hers in "my customers").
const FORMER = { name: '转走的客户', phone: '13700000002', qq: '137000027', wechat: 'former_wx_1370' };
// Mallory's own: she reads its contacts in full.
const OWN = { name: '自己的客户', phone: '13800099993', qq: '138000993', wechat: 'own_wx_1380' };

let poolId: number;
let formerId: number;
let ownId: number;

const get = async (who: Session, url: string) => {
  const response = await call(t.app, who, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Record<string, unknown>[]; total: number };
};
const found = async (who: Session, list: string, q: string) =>
  (await get(who, `/api/${list}?q=${encodeURIComponent(q)}&pageSize=200`)).items.map((item) =>
    list === 'my-customers' ? (item.customer as { id: number }).id : (item.id as number),
  );

/** Every piece of `text` at least `min` characters long that is not the whole of it. */
const pieces = (text: string, min = 1) => {
  const all = new Set<string>();
  for (let i = 0; i < text.length; i++)
    for (let j = i + min; j <= text.length; j++) if (j - i < text.length) all.add(text.slice(i, j));
  return [...all];
};

/** Nobody's, in the pool since yesterday; or, given an owner, theirs from now on. */
const insertCustomer = async (values: typeof POOL, ownerId: number | null) =>
  (
    await makeCustomer(db(), {
      ...values,
      source: 'baidu',
      ...(ownerId === null ? { at: new Date(Date.now() - 86_400_000) } : { owner: ownerId, via: 'manual' }),
    })
  ).id;

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  const boss = await makeUser(db(), { codes: [...demoRoleGrants.sales_manager] });
  const her = await makeUser(db(), { codes: [...demoRoleGrants.consultant] });
  const him = await makeUser(db(), { codes: [...demoRoleGrants.consultant] });
  manager = await signIn(t.app, boss.username, TEST_PASSWORD);
  mallory = await signIn(t.app, her.username, TEST_PASSWORD);
  owner = await signIn(t.app, him.username, TEST_PASSWORD);
  poolId = await insertCustomer(POOL, null);
  ownId = await insertCustomer(OWN, her.id);
  formerId = await insertCustomer(FORMER, her.id);
  const handed = await call(t.app, manager, 'POST', '/api/customers/actions/reassign', {
    ids: [formerId],
    consultantId: him.id,
    reason: '转交',
  });
  expect(handed.statusCode, handed.body).toBe(200);
});
afterAll(async () => t?.close());

describe('the pool, for a consultant (contacts masked)', () => {
  it('shows the contact masked, so the search must not read it', async () => {
    const [item] = (await get(mallory, `/api/pool?id=${poolId}`)).items;
    expect(item).toMatchObject({ phone: '138****0001', qq: '138****0017', wechat: 'Poo****1380' });
  });

  it('defeats the digit-by-digit attack of the issue: nothing is learnt past the shown 138', async () => {
    let known = '138';
    let requests = 0;
    for (let position = known.length; position < POOL.phone.length - 4; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        requests++;
        if ((await found(mallory, 'pool', `${known}${digit}`)).includes(poolId)) {
          known += digit;
          break;
        }
      }
    }
    expect(known).toBe('138');
    // With the hole open these requests spelt out the hidden digits (32 did in the issue); now all miss.
    expect(requests).toBe(40);
  });

  it('never matches a piece of a masked phone, QQ or WeChat id, of any length, in any case', async () => {
    for (const contact of [POOL.phone, POOL.qq, POOL.wechat, POOL.wechat.toUpperCase()]) {
      for (const q of pieces(contact)) {
        expect(await found(mallory, 'pool', q), `q=${q}`).not.toContain(poolId);
      }
    }
  });

  it('matches the whole contact, normalised as it is stored', async () => {
    for (const q of [
      POOL.phone,
      '138 0000 0001',
      '+86 138-0000-0001',
      POOL.qq,
      POOL.wechat,
      POOL.wechat.toLowerCase(),
    ]) {
      expect(await found(mallory, 'pool', q), `q=${q}`).toEqual([poolId]);
    }
  });

  it('still finds names by any piece, one character or more', async () => {
    for (const q of ['池', '池中', '客户甲', POOL.name]) {
      expect(await found(mallory, 'pool', q), `q=${q}`).toContain(poolId);
    }
  });

  it('keeps matching pieces for a manager, who reads every contact in full, without leaking through the list cache', async () => {
    for (const q of ['1', '13', '1380', '0000000', 'wx_1', '00017']) {
      expect(await found(manager, 'pool', q), `q=${q}`).toContain(poolId);
      // The same query, just answered (and kept) for the manager, is the consultant's own to answer.
      const response = await call(t.app, mallory, 'GET', `/api/pool?q=${q}&pageSize=200`);
      expect(response.json().items.map((i: { id: number }) => i.id)).not.toContain(poolId);
    }
  });

  it('does not export what the list does not show', async () => {
    const response = await call(t.app, mallory, 'GET', '/api/pool/export?q=1380');
    expect(response.statusCode).toBe(200);
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, mallory.userId), eq(auditLog.action, 'export')))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry?.after).toMatchObject({ rows: 0 });
  });

  it('cannot be sorted by a masked contact, which would place it between numbers known in full', async () => {
    for (const key of ['phone', '-qq', 'wechat']) {
      const response = await call(t.app, mallory, 'GET', `/api/pool?sort=${key}`);
      expect(response.statusCode).toBe(400);
    }
  });
});

describe('my customers, for a former owner (contacts masked)', () => {
  it('masks the phone of a customer now someone else’s, and matches it only whole', async () => {
    const periods = (await get(mallory, '/api/my-customers?pageSize=200')).items;
    const former = periods.find((p) => (p.customer as { id: number }).id === formerId);
    expect((former!.customer as { phone: string }).phone).toBe('137****0002');
    for (const q of pieces(FORMER.phone)) {
      expect(await found(mallory, 'my-customers', q), `q=${q}`).not.toContain(formerId);
    }
    expect(await found(mallory, 'my-customers', FORMER.phone)).toContain(formerId);
    expect(await found(mallory, 'my-customers', '137 0000 0002')).toContain(formerId);
    expect(await found(mallory, 'my-customers', '转走')).toContain(formerId);
  });

  it('matches pieces of contacts its owner reads in full', async () => {
    expect(await found(mallory, 'my-customers', '99993')).toEqual([ownId]);
    expect(await found(owner, 'my-customers', '7000000')).toEqual([formerId]);
  });
});

describe('customers', () => {
  it('match pieces of a consultant’s own contacts, and of everyone’s for a manager', async () => {
    for (const q of ['38', '9999', OWN.qq.slice(2, 7), 'OWN_WX']) {
      expect(await found(mallory, 'customers', q), `q=${q}`).toEqual([ownId]);
    }
    expect(await found(owner, 'customers', '70000')).toEqual([formerId]);
    expect((await found(manager, 'customers', '1380')).sort()).toEqual([poolId, ownId].sort());
    expect(await found(manager, 'customers', '00002')).toEqual([formerId]);
  });

  it('show a consultant nobody else’s, by any piece or whole', async () => {
    for (const q of [FORMER.phone, FORMER.phone.slice(0, 6), POOL.phone, POOL.name, '池']) {
      expect(await found(mallory, 'customers', q), `q=${q}`).toEqual([]);
    }
  });
});

describe('the duplicate check', () => {
  it('compares whole numbers only: a neighbouring number is a new lead, the same one is named masked', async () => {
    const neighbour = await call(t.app, mallory, 'POST', '/api/customers', {
      name: '邻号',
      phone: '13800000002',
      consultantId: mallory.userId,
    });
    expect(neighbour.statusCode, neighbour.body).toBe(201);
    const same = await call(t.app, mallory, 'POST', '/api/customers', {
      name: '撞号',
      phone: '138 0000 0001',
      consultantId: mallory.userId,
    });
    expect(same.statusCode).toBe(409);
    expect(same.json().message).toContain('138****0001');
    expect(same.json().message).not.toContain(POOL.phone);
    expect(same.json().existing).toMatchObject({ id: poolId, name: '池****' });
  });
});
