import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { loginFailures, rolePermissions, sessions, userRoles } from '../server/db/schema/index.ts';
import { appForTests, as, buildTestApp, signIn } from './app.ts';
import { makeRole, makeUser, setActive, TEST_PASSWORD } from './factories.ts';

const t = appForTests();

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('sign-in', () => {
  it('starts a server-side session with an HttpOnly, SameSite=Lax cookie and returns the user', async () => {
    const user = await makeUser(t.database.db, { name: '三江', codes: ['customer.list', 'pool.list'] });
    const response = await login(user.username, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ id: user.id, username: user.username, name: '三江' });
    expect(body.user.permissions).toEqual(['customer.list', 'pool.list']);
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(typeof body.csrfToken).toBe('string');
    const cookie = response.cookies.find((c) => c.name === 'crm_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    // Only a hash of the token is stored.
    const stored = await t.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toBe(cookie?.value);
  });

  it('refuses a wrong password or an unknown user with 401 invalid_credentials', async () => {
    const user = await makeUser(t.database.db);
    for (const [username, password] of [
      [user.username, 'wrong-password'],
      ['nobody-here', TEST_PASSWORD],
    ] as const) {
      const response = await login(username, password);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'invalid_credentials', message: expect.any(String) });
      expect(response.cookies).toHaveLength(0);
    }
  });

  it('throttles a username after 5 failures in 15 minutes, even for the right password', async () => {
    const user = await makeUser(t.database.db);
    setClock(new Date('2026-03-01T08:00:00Z'));
    for (let i = 0; i < 5; i++) expect((await login(user.username, `wrong-${i}`)).statusCode).toBe(401);
    const blocked = await login(user.username, TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toBe('too_many_attempts');
    // Another username is not affected.
    const other = await makeUser(t.database.db);
    expect((await login(other.username, TEST_PASSWORD)).statusCode).toBe(200);
    // Fifteen minutes after the first failure the window has moved on.
    setClock(new Date('2026-03-01T08:15:01Z'));
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
    setClock(null);
    // A success clears the record of failures.
    const left = await t.database.db
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.username, user.username));
    expect(left).toHaveLength(0);
  });

  it('lets only five of many simultaneous wrong guesses through to the password check', async () => {
    const user = await makeUser(t.database.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => login(user.username, `guess-${i}`)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('answers a disabled account exactly as a wrong password, unless the password is right', async () => {
    const active = await makeUser(t.database.db);
    const disabled = await makeUser(t.database.db, { active: false });
    const answers = [
      await login(active.username, 'wrong-password'),
      await login(disabled.username, 'wrong-password'),
      await login('nobody-at-all', 'wrong-password'),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.body).toBe(answers[0]!.body);
      expect(answer.cookies).toHaveLength(0);
    }
    expect(answers[0]!.json()).toEqual({
      error: 'invalid_credentials',
      message: 'Wrong username or password',
    });
    // Guesses at a disabled account are counted and throttled as any others.
    for (let i = 0; i < 4; i++) expect((await login(disabled.username, `guess-${i}`)).statusCode).toBe(401);
    expect((await login(disabled.username, 'guess-5')).statusCode).toBe(429);
    // Only the right password learns that the account is disabled (here, once the throttle has passed).
    const other = await makeUser(t.database.db, { active: false });
    const right = await login(other.username, TEST_PASSWORD);
    expect(right.statusCode).toBe(403);
    expect(right.json().error).toBe('account_disabled');
    expect(right.cookies).toHaveLength(0);
  });

  it('throttles an address after its limit of failures over any usernames, an IPv6 address by its /64', async () => {
    const limited = await buildTestApp({ loginMaxFailuresPerAddress: 6 });
    try {
      const from = (remoteAddress: string, username: string, password: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password },
          remoteAddress,
        });
      const user = await makeUser(limited.database.db);
      setClock(new Date('2026-05-01T08:00:00Z'));
      // Six guesses, each at a username of its own: no username reaches its limit of five.
      for (let i = 0; i < 6; i++) {
        expect((await from('203.0.113.9', `someone-${i}`, 'guess')).statusCode).toBe(401);
      }
      const blocked = await from('203.0.113.9', user.username, TEST_PASSWORD);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ error: 'too_many_attempts', params: { minutes: 15 } });
      // The same address written as IPv6 is the same address.
      expect((await from('::ffff:203.0.113.9', user.username, TEST_PASSWORD)).statusCode).toBe(429);
      // Other addresses are not affected.
      expect((await from('203.0.113.10', user.username, TEST_PASSWORD)).statusCode).toBe(200);
      // Addresses of one IPv6 /64 count together: walking through them gains nothing.
      for (let i = 1; i <= 6; i++) {
        expect((await from(`2001:db8:0:7::${i}`, `other-${i}`, 'guess')).statusCode).toBe(401);
      }
      expect((await from('2001:db8:0:7::99', user.username, TEST_PASSWORD)).statusCode).toBe(429);
      expect((await from('2001:db8:0:8::1', user.username, TEST_PASSWORD)).statusCode).toBe(200);
      // Fifteen minutes after the failures the address may try again.
      setClock(new Date('2026-05-01T08:15:01Z'));
      expect((await from('203.0.113.9', user.username, TEST_PASSWORD)).statusCode).toBe(200);
    } finally {
      setClock(null);
      await limited.close();
    }
  });

  it('counts the address the proxy reports only when it trusts the proxy (PUBLIC_URL set)', async () => {
    for (const publicUrl of [null, 'https://crm.example.school']) {
      const limited = await buildTestApp({ loginMaxFailuresPerAddress: 2, publicUrl });
      try {
        const via = (forwardedFor: string, password: string, username = 'nobody') =>
          limited.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username, password },
            headers: { 'x-forwarded-for': forwardedFor },
          });
        const user = await makeUser(limited.database.db);
        expect((await via('198.51.100.1', 'guess-1')).statusCode).toBe(401);
        expect((await via('198.51.100.1', 'guess-2')).statusCode).toBe(401);
        expect((await via('198.51.100.1', TEST_PASSWORD, user.username)).statusCode).toBe(429);
        // Behind a trusted proxy another client is another address; without one, the header is
        // anybody's to write, and the socket's address is what counts.
        const other = await via('198.51.100.2', TEST_PASSWORD, user.username);
        expect(other.statusCode, String(publicUrl)).toBe(publicUrl ? 200 : 429);
      } finally {
        await limited.close();
      }
    }
  });

  it('validates the body: missing, unknown and wrongly typed fields are 400 with details', async () => {
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      error: 'validation',
      details: [{ field: 'password', message: 'is required', code: 'required' }],
    });
    const unknown = await login('x', 'y').then(() =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'x', password: 'y', admin: true },
      }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toContainEqual({
      field: 'admin',
      message: 'is not a known field',
      code: 'unknown_field',
    });
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 123, password: 'y' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().details[0].field).toBe('username');
  });
});

describe('a session', () => {
  it('answers /me with roles, permissions, menus and the CSRF token', async () => {
    const user = await makeUser(t.database.db, { codes: ['customer.list', 'user.list', 'customer.grab'] });
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(200);
    const body = me.json();
    expect(body).toMatchObject({ id: user.id, username: user.username, csrfToken: session.csrfToken });
    // The school's zone, so the web shows its times (the greeting too) whatever the browser's zone.
    expect(body.timezone).toBe(t.config.timezone);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(login.json().user.timezone).toBe(t.config.timezone);
    expect(body.permissions).toEqual(['customer.grab', 'customer.list', 'user.list']);
    // Pages only, grouped by menu in menu order; actions do not appear in the menu.
    expect(body.menus.map((m: { title: string }) => m.title)).toEqual(['销售管理', '系统管理']);
    expect(body.menus[0].items).toEqual([
      {
        code: 'customer.list',
        title: '客户管理',
        titleEn: 'Customers',
        icon: 'TeamOutlined',
        path: '/customers',
      },
    ]);
    expect(body.menus[1].items.map((i: { path: string }) => i.path)).toEqual(['/system/users']);
  });

  it('sees a grant made by any path, even plain SQL, on the very next request', async () => {
    const role = await makeRole(t.database.db, ['customer.list']);
    const user = await makeUser(t.database.db);
    await t.database.db.insert(userRoles).values({ userId: user.id, roleId: role.id });
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    const users = () =>
      t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: session.cookie } });
    expect((await users()).statusCode).toBe(403);
    expect((await users()).statusCode).toBe(403);
    await t.database.db.insert(rolePermissions).values({ roleId: role.id, permissionCode: 'user.list' });
    expect((await users()).statusCode).toBe(200);
    await t.database.db.delete(userRoles).where(eq(userRoles.userId, user.id));
    expect((await users()).statusCode).toBe(403);
  });

  it('is required: no cookie or a made-up cookie is 401', async () => {
    for (const headers of [{}, { cookie: 'crm_session=forged' }]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toBe('unauthorized');
    }
  });

  it('ends at logout, and the old cookie no longer works', async () => {
    const user = await makeUser(t.database.db);
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: as(session) });
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'crm_session')?.value).toBe('');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(401);
  });

  it('needs the x-csrf-token header on writes: missing or wrong is 403 csrf and changes nothing', async () => {
    const user = await makeUser(t.database.db);
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    for (const headers of [{ cookie: session.cookie }, { cookie: session.cookie, 'x-csrf-token': 'nope' }]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toBe('csrf');
    }
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(200);
  });

  it('stops working at once when the user is disabled, and a disabled user cannot sign in', async () => {
    const user = await makeUser(t.database.db);
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    await setActive(t.database.db, user.id, false);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(401);
    const again = await login(user.username, TEST_PASSWORD);
    expect(again.statusCode).toBe(403);
    expect(again.json().error).toBe('account_disabled');
  });

  it('expires after a week unused', async () => {
    const user = await makeUser(t.database.db);
    setClock(new Date('2026-04-01T00:00:00Z'));
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    setClock(new Date('2026-04-07T23:00:00Z'));
    const me = () =>
      t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect((await me()).statusCode).toBe(200);
    // Use slides the idle deadline forward…
    setClock(new Date('2026-04-14T22:00:00Z'));
    expect((await me()).statusCode).toBe(200);
    // …but not past a week of silence.
    setClock(new Date('2026-04-21T22:00:01Z'));
    expect((await me()).statusCode).toBe(401);
    setClock(null);
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await buildTestApp({ publicUrl: 'https://crm.example.school' });
    try {
      const user = await makeUser(secure.database.db);
      const response = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user.username, password: TEST_PASSWORD },
      });
      expect(response.cookies.find((c) => c.name === 'crm_session')?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });
});
