import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { setClock } from '../server/clock.ts';
import { runDueJobs } from '../server/jobs/daily.ts';
import { createLogger } from '../server/log.ts';
import { appForTests } from './app.ts';

/** A failed statement is logged, never the values it was given (but at debug, on purpose). */
const t = appForTests();

// What a failing statement was given: a session token's hash, say.
const SECRET = 'f3a9c2-session-hash-d41d8cd98f00b204';

function capture(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger(level, 'json', stream), text: () => lines.join('') };
}

async function failRequest(level: string): Promise<string> {
  const { log, text } = capture(level);
  const app = await buildApp({ config: t.config, database: t.database, logger: log });
  app.get('/api/failing-statement', { config: { access: { public: true } } }, async () => {
    await t.database.db.execute(sql`select length(${SECRET}) / 0 as boom`);
    return {};
  });
  const response = await app.inject({ method: 'GET', url: '/api/failing-statement' });
  await app.close();
  expect(response.statusCode).toBe(500);
  expect(response.body).not.toContain(SECRET);
  return text();
}

describe('logs of failed statements', () => {
  it('name the statement and the database’s reason, not the parameters', async () => {
    const logged = await failRequest('info');
    expect(logged).toContain('select length($1) / 0 as boom');
    expect(logged).toContain('division by zero');
    expect(logged).not.toContain(SECRET);
  });

  it('carry the parameters at debug level, for whoever is debugging', async () => {
    const logged = await failRequest('debug');
    expect(logged).toContain('select length($1) / 0 as boom');
    expect(logged).toContain(SECRET);
  });

  it('from a background job say the statement without its values too', async () => {
    const { log, text } = capture('info');
    setClock(new Date('2026-08-01T02:00:00Z'));
    const job = {
      kind: `log-values-${process.pid}`,
      minutes: 5,
      run: async () => t.database.db.execute(sql`select length(${SECRET}) / 0 as boom`),
    };
    await runDueJobs(t.database.db, [job], { timezone: 'Asia/Shanghai', log });
    expect(text()).toContain('select length($1) / 0 as boom');
    expect(text()).not.toContain(SECRET);
  });
});

describe('the line of a request the database could not serve', () => {
  it('is a warning, not an error: an outage is no bug, and would bury real errors', async () => {
    const { log, text } = capture('info');
    const app = await buildApp({ config: t.config, database: t.database, logger: log });
    app.get('/api/database-away', { config: { access: { public: true } } }, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const response = await app.inject({ method: 'GET', url: '/api/database-away' });
    await app.close();
    expect(response.statusCode).toBe(503);
    const line = text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => l.msg.startsWith('GET /api/database-away'));
    expect(line?.level).toBe(40);
  });
});
