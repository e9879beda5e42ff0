import type { FastifyInstance } from 'fastify';

export const isApi = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

/**
 * An API answer is one person's view of data that any write may change, and a refusal is about one
 * request: no browser, proxy or back button may keep either (a shared computer at the front desk
 * would otherwise show the last user's customers). Built assets set their own, long, caching.
 */
export function noStoreForApi(app: FastifyInstance): void {
  // onSend runs for every answer: handlers, refusals from the error handler, 404s, plugins' routes.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (isApi(request.url)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
