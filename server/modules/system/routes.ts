import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { now, setClock } from '../../clock.ts';
import { type Database, ping } from '../../db/client.ts';
import { badRequest, HttpError } from '../../http/errors.ts';
import { within } from '../../http/outage.ts';
import type { Readiness } from '../../http/readiness.ts';
import { errors } from '../../http/schemas.ts';

/** A health check answers within this, whatever the database does (a frozen one never answers). */
const HEALTH_TIMEOUT_MS = 2_000;

const Ready = Type.Object({
  ok: Type.Boolean(),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
});

/**
 * Health checks, and the test clock (only with CRM_TEST_CLOCK=1).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/health         ready   routes.ts#healthRoutes
 *   GET /api/health/ready   ready   routes.ts#healthRoutes
 *   GET /api/health/live    live    routes.ts#healthRoutes
 *   PUT /api/test/clock     freeze  routes.ts#testClockRoutes
 *   DELETE /api/test/clock  thaw    routes.ts#testClockRoutes
 *   GET /api/test/clock     read    routes.ts#testClockRoutes
 */
/**
 * Liveness (the process answers: restart it if not) apart from readiness (the database is prepared
 * and answers now: send it traffic). `/api/health` is readiness, as it always was.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ database: Database; readiness: Readiness }> = async (
  app,
  { database, readiness },
) => {
  // Checks that come while a ping is out share it, so a frozen database is not sent one per check.
  let pinging: Promise<void> | null = null;
  const ready = async () => {
    if (!readiness.isReady) throw new HttpError(503, 'database_unavailable', 'The database is not ready yet');
    pinging ??= ping(database.db).finally(() => {
      pinging = null;
    });
    try {
      await within(pinging, HEALTH_TIMEOUT_MS);
    } catch {
      throw new HttpError(503, 'database_unavailable', 'The database does not answer');
    }
    return { ok: true, database: database.kind };
  };
  const schema = (summary: string) => ({
    tags: ['system'],
    summary,
    response: { 200: Ready, ...errors(503) },
  });
  const access = { public: true } as const;
  app.get(
    '/api/health',
    { config: { access }, schema: schema('Ready: the database is prepared and answers') },
    ready,
  );
  app.get('/api/health/ready', { config: { access }, schema: schema('Ready (as /api/health)') }, ready);
  app.get(
    '/api/health/live',
    {
      config: { access },
      schema: {
        tags: ['system'],
        summary: 'Alive: the process answers, whatever the database does',
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async () => ({ ok: true }),
  );
};

const ClockBody = Type.Object({ now: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
const ClockReply = Type.Object({ now: Type.String(), frozen: Type.Boolean() });

/** Registered only when CRM_TEST_CLOCK=1: without it these routes do not exist. */
export const testClockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { public: true } as const;
  app.put(
    '/api/test/clock',
    {
      config: { access },
      schema: {
        tags: ['test'],
        summary: "Set the server's time",
        body: ClockBody,
        response: { 200: ClockReply, ...errors(400) },
      },
    },
    async (request) => {
      const at = new Date(request.body.now);
      if (Number.isNaN(at.getTime())) throw badRequest('validation', 'now: is not a valid ISO 8601 time');
      setClock(at);
      return { now: now().toISOString(), frozen: true };
    },
  );
  app.delete(
    '/api/test/clock',
    {
      config: { access },
      schema: { tags: ['test'], summary: 'Return to real time', response: { 200: ClockReply } },
    },
    async () => {
      setClock(null);
      return { now: now().toISOString(), frozen: false };
    },
  );
  app.get(
    '/api/test/clock',
    {
      config: { access },
      schema: { tags: ['test'], summary: "The server's time", response: { 200: ClockReply } },
    },
    async () => ({ now: now().toISOString(), frozen: true }),
  );
};
