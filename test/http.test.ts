import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { setClock } from '../server/clock.ts';
import { users } from '../server/db/schema/index.ts';
import { appForTests, as, buildTestApp, signIn } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

const t = appForTests();

describe('the error shape', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_json', message: expect.any(String) });
  });

  it('answers a body over 1 MB with 400 body_too_large', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('body_too_large');
  });

  it('answers an unknown API path with 404 not_found', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it('hides the internals of a 500', async () => {
    const app = await buildApp({ config: t.config, database: t.database, logger: false });
    app.get('/api/boom', { config: { access: { public: true } } }, async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    });
    const response = await app.inject({ method: 'GET', url: '/api/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal', message: 'Something went wrong on our side' });
    expect(response.body).not.toContain('secret');
    await app.close();
  });

  it('writes nothing when a request is refused', async () => {
    const before = await t.database.db.select().from(users);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'b', x: 1 },
    });
    expect(await t.database.db.select().from(users)).toEqual(before);
  });
});

describe('the access declaration', () => {
  it('refuses to start when an /api route declares no access', async () => {
    const app = await buildApp({ config: t.config, database: t.database, logger: false });
    expect(() => app.get('/api/forgotten', async () => ({ ok: true }))).toThrow(/declares no access/);
    await app.close();
  });

  it('answers 403 forbidden when the caller lacks the permission, 2xx when they hold it', async () => {
    const app = await buildApp({ config: t.config, database: t.database, logger: false });
    app.post(
      '/api/needs-grab',
      {
        config: { access: { permission: 'customer.grab' } },
        schema: { body: Type.Object({}, { additionalProperties: false }) },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
    const without = await makeUser(t.database.db, { codes: ['customer.list'] });
    const holder = await makeUser(t.database.db, { codes: ['customer.grab'] });
    const a = await signIn(app, without.username, TEST_PASSWORD);
    const b = await signIn(app, holder.username, TEST_PASSWORD);
    const refused = await app.inject({ method: 'POST', url: '/api/needs-grab', headers: as(a), payload: {} });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('forbidden');
    const allowed = await app.inject({ method: 'POST', url: '/api/needs-grab', headers: as(b), payload: {} });
    expect(allowed.statusCode).toBe(200);
    await app.close();
  });
});

describe('health and docs', () => {
  it('reports health without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, database: t.database.kind });
  });

  it('publishes OpenAPI with the sign-in calls, and the docs page', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/health']),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('sends security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describe('the test clock', () => {
  it('does not exist without CRM_TEST_CLOCK=1', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/test/clock',
      payload: { now: '2030-01-01T00:00:00Z' },
    });
    expect(response.statusCode).toBe(404);
  });

  it('sets and resets the server time when enabled', async () => {
    const clocked = await buildTestApp({ testClock: true });
    try {
      const set = await clocked.app.inject({
        method: 'PUT',
        url: '/api/test/clock',
        payload: { now: '2030-01-02T03:04:05+08:00' },
      });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toEqual({ now: '2030-01-01T19:04:05.000Z', frozen: true });
      const bad = await clocked.app.inject({
        method: 'PUT',
        url: '/api/test/clock',
        payload: { now: 'tomorrow' },
      });
      expect(bad.statusCode).toBe(400);
      const reset = await clocked.app.inject({ method: 'DELETE', url: '/api/test/clock' });
      expect(reset.json().frozen).toBe(false);
      expect(Math.abs(new Date(reset.json().now).getTime() - Date.now())).toBeLessThan(5_000);
    } finally {
      setClock(null);
      await clocked.close();
    }
  });
});

describe('database errors that are the input’s fault', () => {
  it('answers a value the column cannot hold with 400, even past every other check', async () => {
    const app = await buildApp({ config: t.config, database: t.database, logger: false });
    app.get('/api/too-big', { config: { access: { public: true } } }, async () => {
      await t.database.db.execute(sql`select ${'9999999999'}::int`);
      return { ok: true };
    });
    const response = await app.inject({ method: 'GET', url: '/api/too-big' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('validation');
    await app.close();
  });
});

describe('NUL characters', () => {
  it('are refused with 400 in query strings and bodies, before the database sees them', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ad\u0000min', password: 'x' },
    });
    expect(login.statusCode).toBe(400);
    expect(login.json().details).toEqual([
      { field: 'username', message: 'may not contain NUL characters', code: 'nul_character' },
    ]);
  });
});
