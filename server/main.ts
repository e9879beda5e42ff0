import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { now } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { untilDatabaseAnswers } from './http/outage.ts';
import { readiness } from './http/readiness.ts';
import { startDailyJobs } from './jobs/daily.ts';
import { startFrequentJobs } from './jobs/frequent.ts';
import { startPostings } from './jobs/postings.ts';
import { dailyJobs, frequentJobs } from './jobs/schedule.ts';
import { createLogger, defaultLogFormat } from './log.ts';
import { prepareDatabase } from './prepare.ts';
import { hasDemoStaff, isDatabaseEmpty, seedDemo } from './seed/demo.ts';

export type ServeOptions = { port?: number; host?: string; demo: boolean };

/**
 * Opens the database, listens, then prepares the database (migrations, the catalogue) — waiting
 * for it, with backoff, when it is not up yet: meanwhile /api/health/live answers and the rest of
 * the API answers 503. Loads demo data into an empty database (never in production).
 * SIGINT/SIGTERM drain requests, close the database and release the data-directory lock.
 */
export async function serve(options: ServeOptions): Promise<{ app: FastifyInstance; database: Database }> {
  const config = loadConfig();
  const started = performance.now();
  const format = defaultLogFormat();
  const log = createLogger(config.logLevel, format);
  const database = await openDatabase(config, 'crm serve');
  const prepared = readiness(false);
  let app: FastifyInstance | undefined;
  let jobs: { stop: () => Promise<void> } | undefined;
  let everyMinute: { stop: () => Promise<void> } | undefined;
  let postings: { stop: () => Promise<void> } | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await jobs?.stop();
      await everyMinute?.stop();
      await postings?.stop();
      await app?.close();
    } finally {
      await database.close();
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    app = await buildApp({ config, database, logger: log, readiness: prepared });
    await app.listen({ port: options.port ?? config.port, host: options.host ?? config.host });
    await untilDatabaseAnswers(() => prepareDatabase(database), {
      log,
      what: 'preparing the database',
      stopped: () => stopping,
    });
    if (options.demo && !config.production && (await isDatabaseEmpty(database.db))) {
      const summary = await seedDemo(database.db, {
        password: config.demoPassword,
        at: now(),
        timezone: config.timezone,
      });
      log.info({ summary }, `loaded the demo data (${summary.rows.customers} customers)`);
    }
    prepared.markReady();
    // Also the catch-up: a sweep missed while no instance ran happens now.
    jobs = startDailyJobs(database.db, dailyJobs(database.db), { timezone: config.timezone, log: app.log });
    everyMinute = startFrequentJobs(frequentJobs(database.db), { log: app.log });
    postings = startPostings(database.db, app.log);
    const address = addressToOpen(config, app);
    const demo = !config.production && (await hasDemoStaff(database.db));
    const startupMs = Math.round(performance.now() - started);
    // A person at a terminal gets the one line they need; a log collector gets the same as JSON.
    if (format === 'pretty') console.log(readyLine(address, demo ? config.demoPassword : null));
    else log.info({ url: address, database: database.kind, startupMs, demo }, 'Banyan CRM is ready');
    return { app, database };
  } catch (error) {
    // A signal while waiting for the database: shutdown() closes everything and ends the process.
    if (stopping) await new Promise(() => {});
    await app?.close().catch(() => {});
    await database.close();
    throw error;
  }
}

/** The address a person types: PUBLIC_URL when set, else the port on this machine. */
function addressToOpen(config: Config, app: FastifyInstance): string {
  if (config.publicUrl) return config.publicUrl;
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.port;
  const host = typeof bound === 'object' && bound ? bound.address : config.host;
  const reachable =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}

function readyLine(address: string, demoPassword: string | null): string {
  const signIn = demoPassword
    ? ` — demo sign-in: admin / ${demoPassword} (also manager, sanjiang, teacher, finance)`
    : '';
  return `\nBanyan CRM is ready at ${address}${signIn}\n`;
}
