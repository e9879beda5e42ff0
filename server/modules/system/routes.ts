import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { now, setClock } from '../../clock.ts';
import { type Database, ping } from '../../db/client.ts';
import { badRequest, HttpError } from '../../http/errors.ts';
import { errors } from '../../http/schemas.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ database: Database }> = async (app, { database }) => {
  app.get(
    '/api/health',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
          }),
          ...errors(503),
        },
      },
    },
    async () => {
      try {
        await ping(database.db);
      } catch {
        throw new HttpError(503, 'database_unavailable', 'The database does not answer');
      }
      return { ok: true, database: database.kind };
    },
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
