import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { gate } from './auth/gate.ts';
import { clockIsFrozen } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { CanPick } from './engine/meta.ts';
import { drainHandlersOnClose } from './http/drain.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { boundJsonDepth } from './http/json-depth.ts';
import { noStoreForApi } from './http/no-store.ts';
import { type Readiness, readiness, refuseUntilReady } from './http/readiness.ts';
import { ErrorBody } from './http/schemas.ts';
import { sendSecurityHeaders } from './http/security-headers.ts';
import { refuseNulCharacters, validatorCompiler } from './http/validation.ts';
import { createLogger, defaultLogFormat, OneLinePerRequest } from './log.ts';
import { startImportWorker } from './modules/imports/queue.ts';
import { importLimitsOf } from './modules/imports/refusals.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { resources } from './modules/index.ts';
import { channelStatuses, channelsFrom, secretsOf } from './modules/notify/channels/index.ts';
import { startDeliveryWorker } from './modules/notify/delivery/worker.ts';
import { notifyChannelRoutes } from './modules/notify/routes.ts';
import { moduleRoutes } from './modules/routes.ts';
import { sessionRoutes } from './modules/session/routes.ts';
import { healthRoutes, testClockRoutes } from './modules/system/routes.ts';

export type AppOptions = {
  config: Config;
  database: Database;
  /** The logger (main.ts makes it), or false for silence (tests); default: one for config.logLevel. */
  logger?: false | Logger;
  /**
   * Whether the database is prepared yet (main.ts listens before it is): until then API requests
   * answer 503 and the import worker waits. Default: ready (tests, on a migrated database).
   */
  readiness?: Readiness;
};

const ONE_MB = 1024 * 1024;

/** Builds the whole application on an open database; main.ts and the tests both start here. */
export async function buildApp({
  config,
  database,
  logger,
  readiness: ready = readiness(true),
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger === false
      ? { logger: false }
      : {
          loggerInstance: (logger ?? createLogger(config.logLevel, defaultLogFormat())) as FastifyBaseLogger,
        }),
    logController: new OneLinePerRequest(),
    bodyLimit: ONE_MB,
    trustProxy: Boolean(config.publicUrl),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  boundJsonDepth(app);
  drainHandlersOnClose(app);
  app.addHook('preValidation', async (request) => refuseNulCharacters(request));
  registerErrorHandler(app);
  noStoreForApi(app);
  if (!ready.isReady) refuseUntilReady(app, ready);
  app.addSchema(ErrorBody);

  sendSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: config.publicUrl?.startsWith('https:') ? [] : null,
      },
    },
    hsts: config.publicUrl?.startsWith('https:') ? undefined : false,
  });
  await app.register(cookie);
  // Before any route, so every /api route (the docs' too) passes through its declaration check.
  await app.register(gate, { db: database.db });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Banyan CRM API',
        version: '0.1.0',
        description:
          'Session cookie `crm_session`; writes carry `x-csrf-token`. Errors: `{ error, message }`.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'crm_session' } },
      },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(healthRoutes, { database, readiness: ready });
  await app.register(sessionRoutes, {
    db: database.db,
    secureCookie: Boolean(config.publicUrl?.startsWith('https:')),
    timezone: config.timezone,
    loginMaxFailuresPerAddress: config.loginMaxFailuresPerAddress,
  });
  // Names anyone signed in may look up (the options routes); other refs need their list.
  const named = new Set(['users', 'courses', 'classes']);
  const listedBy = new Map(resources.map((r) => [r.name, r.permissions.list]));
  const canPick: CanPick = (ref, actor) => {
    const list = listedBy.get(ref);
    return named.has(ref) || (list !== undefined && actor.permissions.has(list));
  };
  for (const routes of moduleRoutes) {
    await app.register(routes, { db: database.db, timezone: config.timezone, canPick, config });
  }
  // Each instance runs queued imports; the queue itself is in the database (modules/imports/queue.ts).
  const importWorker = config.importWorker
    ? backgroundWorker(app, ready, () =>
        startImportWorker(database.db, {
          kind: database.kind,
          databaseUrl: database.url ?? null,
          timeouts: database.timeouts,
          timezone: config.timezone,
          limits: importLimitsOf(config),
          heapMb: config.importHeapMb,
          leaseMs: config.jobLeaseMs,
          log: app.log,
        }),
      )
    : () => null;
  await app.register(importRoutes, {
    db: database.db,
    limits: importLimitsOf(config),
    worker: importWorker,
  });
  // Each instance delivers the outbox too, through channels built once from the settings.
  const channels = channelsFrom(config.notify, { db: database.db });
  if (config.notify.worker) {
    backgroundWorker(app, ready, () =>
      startDeliveryWorker(database.db, {
        kind: database.kind,
        channels,
        settings: config.notify,
        publicUrl: config.publicUrl,
        timezone: config.timezone,
        leaseMs: config.jobLeaseMs,
        secrets: secretsOf(config.notify),
        log: app.log,
      }),
    );
  }
  await app.register(notifyChannelRoutes, { statuses: () => channelStatuses(channels) });
  if (config.testClock) {
    await app.register(testClockRoutes);
    app.log.warn('CRM_TEST_CLOCK=1: the test clock is enabled; never use this in production');
  } else if (clockIsFrozen()) {
    app.log.warn('the clock is frozen, but the test clock routes are disabled');
  }

  await serveWeb(app, config.webDir);
  return app;
}

/** The built web app, with every non-API GET falling back to index.html for the client router. */
async function serveWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!existsSync(index)) {
    app.log.info(`no web build at ${webDir}; run "npm run build" to serve the web app`);
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    // vite.config.ts writes .br and .gz beside each asset; Accept-Encoding picks one.
    preCompressed: true,
    setHeaders(reply, filePath) {
      // Vite fingerprints everything under assets/, so it never changes under the same name.
      if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url === '/api') {
      return reply.status(404).send({ error: 'not_found', message: `No route GET ${url}` });
    }
    const file = path.join(webDir, path.normalize(decodeURIComponent(url)));
    if (file.startsWith(webDir + path.sep) && existsSync(file) && statSync(file).isFile()) {
      return reply.sendFile(path.relative(webDir, file));
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
}

/**
 * A worker of this instance (imports, deliveries): started once the database is ready (migrated,
 * or back after an outage at start), stopped when the app closes — and never started after that.
 * Returns the running worker, or null before it starts.
 */
function backgroundWorker<W extends { stop: () => Promise<void> }>(
  app: FastifyInstance,
  ready: Readiness,
  start: () => W,
): () => W | null {
  let worker: W | null = null;
  let closing = false;
  const begin = () => {
    if (!closing) worker = start();
  };
  app.addHook('onReady', async () => {
    if (ready.isReady) begin();
    else void ready.whenReady.then(begin);
  });
  app.addHook('onClose', async () => {
    closing = true;
    await worker?.stop();
  });
  return () => worker;
}
