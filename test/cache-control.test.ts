import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

/** API answers are never kept by a browser or proxy; the built assets keep their long caching. */
let t: TestApp;
let webDir: string;
let manager: Session;

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'crm-web-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>CRM</title>');
  writeFileSync(path.join(webDir, 'assets', 'app-3f2a.js'), 'console.log(1)');
  t = await buildTestApp({ webDir });
  const user = await makeUser(t.database.db, { codes: ['customer.list', 'customer.create'] });
  manager = await signIn(t.app, user.username, TEST_PASSWORD);
});
afterAll(async () => {
  await t?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('Cache-Control on API answers', () => {
  it.each([
    ['a list', 'GET', '/api/customers', 200],
    ['a validation refusal', 'GET', '/api/customers?pageSize=100000', 400],
    ['a write refused for its body', 'POST', '/api/customers', 400],
    ['an unknown API path', 'GET', '/api/no-such-thing', 404],
    ['the OpenAPI document', 'GET', '/api/openapi.json', 200],
    ['the health check', 'GET', '/api/health', 200],
  ] as const)('%s carries no-store', async (_, method, url, status) => {
    const response = await call(t.app, manager, method, url, method === 'POST' ? {} : undefined);
    expect(response.statusCode).toBe(status);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('so do a sign-in and a request without a session', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'wrong-password' },
    });
    expect(login.statusCode).toBe(401);
    expect(login.headers['cache-control']).toBe('no-store');
    const anonymous = await call(t.app, null, 'GET', '/api/customers');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
  });

  it('leaves the built assets and the page their own caching', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-3f2a.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await t.app.inject({ method: 'GET', url: '/customers' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
  });
});
