import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionCodes } from '../server/auth/catalogue.ts';
import { isCalendarDate, isInstant } from '../server/http/dates.ts';
import { jsonDepthExceeds } from '../server/http/json-depth.ts';
import { as, buildTestApp, type Session, signIn, type TestApp } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

/** Input that used to answer 500 (issue 20, item 6): impossible dates, and JSON nested too deep. */

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await buildTestApp();
  await makeUser(t.database.db, { username: 'hostile_admin', codes: [...permissionCodes] });
  admin = await signIn(t.app, 'hostile_admin', TEST_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ url, headers: as(admin) });

describe('an impossible date in a filter', () => {
  const lists = [
    '/api/users?createdAt=..2026-04-31',
    '/api/customers?createdAt=2026-02-29..',
    '/api/customers/export?createdAt=..2026-04-31',
    '/api/pool?releaseAt=0000-01-01..',
    '/api/audit-log?at=..2026-12-31T23:59:60Z',
    '/api/payment-records?paidAt=2026-04-30T24:00..',
    '/api/classes?startDate=2026-02-30..',
    '/api/course-records?date=..2026-04-31',
    '/api/notifications?createdAt=2026-04-30T10:00:00%2B16:00..',
  ];
  for (const url of lists) {
    it(`is a 400 naming the field: ${url}`, async () => {
      const response = await get(url);
      expect(response.statusCode).toBe(400);
      const field = url.split('?')[1]!.split('=')[0];
      expect(response.json()).toMatchObject({
        error: 'validation',
        details: [{ field, code: 'not_a_date' }],
      });
    });
  }

  it('still finds records in a real range, the last day whole', async () => {
    const response = await get('/api/users?createdAt=2000-02-29..9999-12-31');
    expect(response.statusCode).toBe(200);
    expect(response.json().total).toBeGreaterThan(0);
  });
});

describe('an impossible date in a body', () => {
  it('year 0 and a leap second are 400, not a database error', async () => {
    for (const paidAt of ['0000-01-01T00:00:00Z', '2026-12-31T23:59:60Z', '2026-02-29T10:00:00Z']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/payments',
        headers: as(admin),
        payload: { customerId: 1, classId: 1, payType: 'deposit', paidFee: '100.00', paidAt },
      });
      expect(response.statusCode, paidAt).toBe(400);
      expect(response.json().details).toContainEqual(
        expect.objectContaining({ field: 'paidAt', code: 'not_a_date' }),
      );
    }
  });
});

describe('JSON nested deep', () => {
  it('100,000 levels is a 400 body_too_deep, and the server carries on', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { ...as(admin), 'content-type': 'application/json' },
      payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'body_too_deep', params: { limit: 32 } });
    expect((await get('/api/auth/me')).statusCode).toBe(200);
  });

  it('brackets inside strings do not count', () => {
    expect(jsonDepthExceeds(JSON.stringify({ note: '['.repeat(1000) }), 32)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ note: '\\"[[[[' }), 2)).toBe(false);
    expect(jsonDepthExceeds('{"a":{"b":{"c":1}}}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":{"b":{"c":[1]}}}', 3)).toBe(true);
  });
});

describe('what counts as a date', () => {
  it('is a day that exists, in years 1–9999', () => {
    expect(['2028-02-29', '0001-01-01', '9999-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(
      ['2026-02-29', '2026-04-31', '0000-01-01', '2026-13-01', '10000-01-01'].map(isCalendarDate),
    ).toEqual([false, false, false, false, false]);
  });

  it('an instant has a real time and a zone PostgreSQL takes', () => {
    expect(isInstant('2026-04-30T10:00:00+08:00', { rfc3339: true })).toBe(true);
    expect(isInstant('2026-04-30T10:00', { rfc3339: true })).toBe(false);
    expect(isInstant('2026-04-30T10:00')).toBe(true);
    expect(isInstant('2026-04-30 10:00:00.123Z')).toBe(true);
    expect(
      ['2026-04-30T24:00', '2026-12-31T23:59:60Z', '2026-04-30T10:00+16:00'].map((s) => isInstant(s)),
    ).toEqual([false, false, false]);
  });
});
