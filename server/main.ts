import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { now } from './clock.ts';
import { loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { prepareDatabase } from './db/prepare.ts';
import { isDatabaseEmpty, seedDemo } from './db/seed/demo.ts';
import { startDailyJobs } from './jobs/daily.ts';
import { dailyJobs } from './jobs/schedule.ts';

export type ServeOptions = { port?: number; host?: string; demo: boolean };

/**
 * Opens and prepares the database, loads demo data into an empty one (never in production), and
 * listens. SIGINT/SIGTERM drain requests, close the database and release the data-directory lock.
 */
export async function serve(options: ServeOptions): Promise<{ app: FastifyInstance; database: Database }> {
  const config = loadConfig();
  const started = performance.now();
  const database = await openDatabase(config, 'crm serve');
  let app: FastifyInstance | undefined;
  let jobs: { stop: () => Promise<void> } | undefined;
  const shutdown = async (signal: string) => {
    app?.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await jobs?.stop();
      await app?.close();
    } finally {
      await database.close();
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await prepareDatabase(database);
    app = await buildApp({ config, database });
    if (options.demo && !config.production && (await isDatabaseEmpty(database.db))) {
      const summary = await seedDemo(database.db, { password: config.demoPassword, at: now() });
      app.log.info({ summary }, 'loaded the demo data (sign in as admin / CRM_DEMO_PASSWORD)');
    }
    await app.listen({ port: options.port ?? config.port, host: options.host ?? config.host });
    // Also the catch-up: a sweep missed while no instance ran happens now.
    jobs = startDailyJobs(database.db, dailyJobs(database.db), { timezone: config.timezone, log: app.log });
    app.log.info(
      { database: database.kind, startupMs: Math.round(performance.now() - started) },
      'Banyan CRM is ready',
    );
    return { app, database };
  } catch (error) {
    await app?.close().catch(() => {});
    await database.close();
    throw error;
  }
}
