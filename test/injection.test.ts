import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../server/modules/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';

/**
 * Every list parameter of every resource, fed what an attacker or a clumsy paste would send:
 * the answer is 400 or a normal (usually empty) list, never a 500.
 */
const NASTY = [
  "' OR 1=1 --",
  '"; drop table users; --',
  '__',
  '%',
  '\\',
  '😀'.repeat(20),
  'x'.repeat(1_990),
  '..',
  ',',
  ',,,',
  '9999999999',
  '-1',
  '0',
  '1e10',
  'NaN',
  'null',
  '2026-13-45',
  '2026-01-01..2025-01-01',
  '\u0000',
];

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await buildTestApp();
  await seedDemo(t.database.db, { password: 'injection-pass', at: new Date() });
  admin = await signIn(t.app, 'admin', 'injection-pass');
});
afterAll(async () => t?.close());

describe('injection-shaped input', () => {
  // Hundreds of requests, exports among them: 8 s alone, over 30 s on a loaded machine.
  it('never makes a list, a read or an export answer 500', { timeout: 240_000 }, async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const resource of resources) {
      const params = [
        'q',
        'sort',
        'page',
        'pageSize',
        ...resource.fields.filter((f) => f.filter).map((f) => f.key),
      ];
      for (const param of params) {
        for (const value of NASTY) {
          const url = `/api/${resource.name}?${param}=${encodeURIComponent(value)}`;
          const response = await call(t.app, admin, 'GET', url);
          requests++;
          if (![200, 400].includes(response.statusCode))
            failures.push(`${url.slice(0, 120)} → ${response.statusCode}`);
        }
      }
      for (const id of ['0', '-1', '9999999999', 'abc', '1.5', "1' OR '1'='1"]) {
        const response = await call(t.app, admin, 'GET', `/api/${resource.name}/${encodeURIComponent(id)}`);
        requests++;
        if (![400, 404].includes(response.statusCode))
          failures.push(`/api/${resource.name}/${id} → ${response.statusCode}`);
      }
      const exported = await call(
        t.app,
        admin,
        'GET',
        `/api/${resource.name}/export?q=${encodeURIComponent("' OR 1=1 --")}`,
      );
      requests++;
      if (exported.statusCode !== 200) failures.push(`/api/${resource.name}/export → ${exported.statusCode}`);
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1_000);
  });
});
