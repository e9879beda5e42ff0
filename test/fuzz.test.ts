import { eq } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '../server/auth/passwords.ts';
import { users } from '../server/db/schema/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { as, buildTestApp, type Session, signIn, type TestApp } from './app.ts';
import {
  BAD_IDS,
  BODY_VALUES,
  DATE_QUERY_VALUES,
  deepJson,
  deepObjectJson,
  HOSTILE_DATES,
  plausible,
  QUERY_VALUES,
  RAW_QUERY_VALUES,
  resolve,
} from './fuzz/inputs.ts';

/**
 * Every list and write route the OpenAPI document declares, fed generated bad input: each query
 * parameter and path id in turn, each body field in turn planted in an otherwise plausible body,
 * and whole bodies that are deep, large, or not JSON. Whatever the input, the answer is never a
 * 5xx. Failures are collected and reported together, with the request that caused each.
 */

type Operation = {
  parameters?: { in: string; name: string; schema?: object }[];
  requestBody?: { content?: Record<string, { schema: object }> };
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object> };
};

const PASSWORD = 'fuzz-password-1';
// Filters on days and instants: createdAt, paidAt, at, date, startDate…
const DATE_PARAM = /(At|^at|[dD]ate)$/;
// Routes that end or replace the session the fuzz runs on, or that take files (fuzzed in imports).
const SKIPPED = new Set(['POST /api/auth/logout', 'POST /api/auth/login', 'POST /api/customers/import']);

let t: TestApp;
let doc: Document;
const sessions: Record<string, Session> = {};
const failures: string[] = [];
let requests = 0;
const routesRun = new Set<string>();
const stats: Record<string, { n: number; ms: number; codes: Record<number, number> }> = {};

beforeAll(async () => {
  t = await buildTestApp();
  await seedDemo(t.database.db, { password: PASSWORD, at: new Date() });
  sessions.admin = await signIn(t.app, 'admin', PASSWORD);
  sessions.consultant = await signIn(t.app, 'sanjiang', PASSWORD);
  doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as Document;
});
afterAll(async () => {
  console.log(`fuzz: ${requests} requests over ${routesRun.size} routes, ${failures.length} answered 5xx`);
  if (process.env.FUZZ_STATS) {
    for (const [route, st] of Object.entries(stats).sort((a, b) => b[1].ms - a[1].ms))
      console.log(route, st.n, Math.round(st.ms), JSON.stringify(st.codes));
  }
  await t?.close();
});

async function send(who: string, route: string, options: InjectOptions): Promise<LightMyRequestResponse> {
  requests++;
  routesRun.add(route);
  const started = performance.now();
  let response = await t.app.inject({ ...options, headers: { ...as(sessions[who]!), ...options.headers } });
  if (response.statusCode === 401) {
    // Something in the fuzz signed this user out (a password reset, a disable): restore them.
    const username = who === 'admin' ? 'admin' : 'sanjiang';
    await t.database.db
      .update(users)
      .set({ passwordHash: await hashPassword(PASSWORD), active: true })
      .where(eq(users.username, username));
    sessions[who] = await signIn(t.app, username, PASSWORD);
    response = await t.app.inject({ ...options, headers: { ...as(sessions[who]!), ...options.headers } });
  }
  stats[route] ??= { n: 0, ms: 0, codes: {} };
  const stat = stats[route];
  stat.n++;
  stat.ms += performance.now() - started;
  stat.codes[response.statusCode] = (stat.codes[response.statusCode] ?? 0) + 1;
  if (response.statusCode >= 500) {
    const payload =
      typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload ?? '');
    failures.push(
      `${who} ${options.method} ${String(options.url).slice(0, 200)} ${payload.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`,
    );
  }
  return response;
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );

/** A record's id to use in a path: the newest of its list, so the demo admin is never the target. */
async function someId(path: string): Promise<string> {
  const list = path.replace(/\/\{[^}]+\}.*$/, '');
  const response = await t.app.inject({ url: `${list}?sort=-id&pageSize=1`, headers: as(sessions.admin!) });
  const item =
    response.statusCode === 200 ? (response.json() as { items?: { id: number }[] }).items?.[0] : undefined;
  return String(item?.id ?? 1);
}

const fill = (path: string, id: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(id));

/** A stable number from text, so each parameter tries its own share of the corpus on every run. */
const hash = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

async function fuzzQueries(who: string, method: string, path: string, op: Operation, id: string) {
  const route = `${method} ${path}`;
  // Every list shares one filter parser, so each parameter takes every date and range (where the
  // 500s were) and a rotating share of the rest; exports, the same parser again, a smaller share.
  const share = path.endsWith('/export') ? 8 : 4;
  for (const param of (op.parameters ?? []).filter((p) => p.in === 'query')) {
    const offset = hash(`${who} ${route} ${param.name}`);
    const values = [
      ...(DATE_PARAM.test(param.name) ? DATE_QUERY_VALUES : []),
      ...QUERY_VALUES.filter((_, i) => (offset + i) % share === 0),
    ].map(encodeURIComponent);
    values.push(RAW_QUERY_VALUES[offset % RAW_QUERY_VALUES.length]!);
    for (const value of values) {
      await send(who, route, { method: method as 'GET', url: `${fill(path, id)}?${param.name}=${value}` });
    }
    // A parameter given twice arrives as an array.
    await send(who, route, {
      method: method as 'GET',
      url: `${fill(path, id)}?${param.name}=1&${param.name}=2`,
    });
  }
}

async function fuzzBody(method: string, path: string, op: Operation, id: string) {
  const route = `${method} ${path}`;
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const url = fill(path, id);
  const options = { method: method as 'POST', url, headers: { 'content-type': 'application/json' } };
  const whole = [
    deepJson(100_000),
    deepObjectJson(10_000),
    deepJson(33),
    '{"a":',
    '',
    'null',
    '[]',
    '"text"',
    '1e999',
    `"${'x'.repeat(1_100_000)}"`,
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
  ];
  for (const payload of whole) await send('admin', route, { ...options, payload });
  await send('admin', route, { ...options, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
  await send('admin', route, {
    ...options,
    headers: { 'content-type': 'application/json; charset=gbk' },
    payload: '{}',
  });
  if (!schema) return;
  const root = resolve(schema, doc);
  const base = (plausible(root, doc, 1) ?? {}) as Record<string, unknown>;
  await send('admin', route, { ...options, payload: JSON.stringify(base) });
  for (const [key, property] of Object.entries(root.properties ?? {})) {
    // Each field takes half the corpus, turn about, and every hostile date if it holds a date.
    const offset = hash(`${route} ${key}`);
    const values = BODY_VALUES.filter((_, i) => (offset + i) % 2 === 0);
    if (/date/.test(JSON.stringify(property))) values.push(...HOSTILE_DATES);
    for (const value of values) {
      await send('admin', route, { ...options, payload: JSON.stringify({ ...base, [key]: value }) });
    }
  }
  await send('admin', route, { ...options, payload: JSON.stringify({ ...base, unknownField: 1 }) });
}

describe('the API under generated bad input', { timeout: 900_000 }, () => {
  test('no list or write route answers 5xx, whatever it is sent', async () => {
    for (const { method, path, op } of operations()) {
      if (SKIPPED.has(`${method} ${path}`)) continue;
      const hasId = path.includes('{');
      const ids = hasId ? [...BAD_IDS, await someId(path)] : [''];
      for (const id of ids) {
        if (method === 'GET') {
          await send('admin', `${method} ${path}`, { method: 'GET', url: fill(path, id) });
          await send('consultant', `${method} ${path}`, { method: 'GET', url: fill(path, id) });
        } else if (id === ids.at(-1) || !BAD_IDS.includes(id)) {
          // Writes reach their bodies' code only on a real record; bad ids are tried bodiless below.
          await fuzzBody(method, path, op, id);
        } else {
          await send('admin', `${method} ${path}`, {
            method: method as 'POST',
            url: fill(path, id),
            payload: {},
          });
        }
      }
      const id = hasId ? ids.at(-1)! : '';
      if (method === 'GET' && op.parameters?.some((p) => p.in === 'query')) {
        await fuzzQueries('admin', method, path, op, id);
        // A consultant's lists are scoped and masked: other code, fuzzed where they may look.
        const allowed = await t.app.inject({ url: fill(path, id), headers: as(sessions.consultant!) });
        if (allowed.statusCode === 200 && !path.endsWith('/export')) {
          await fuzzQueries('consultant', method, path, op, id);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
