import type { FastifyInstance, RouteHandlerMethod, RouteOptions } from 'fastify';

/**
 * Closing the app waits for every route handler still running, not only for open connections.
 * A handler whose client hung up goes on after its socket closes; without this, shutdown closed
 * the database under it and its next query failed ("Cannot use a pool after calling end").
 * Call before any route is registered.
 */
export function drainHandlersOnClose(app: FastifyInstance): void {
  let running = 0;
  let idle: (() => void) | null = null;
  app.addHook('onRoute', (route: RouteOptions) => {
    const handler = route.handler as RouteHandlerMethod;
    // Only promises are counted and passed on as they are: a handler that answers later through
    // `reply.send` (fastify-static's) must stay synchronous, or Fastify would answer at once.
    route.handler = function (this: FastifyInstance, request, reply) {
      const result: unknown = handler.call(this, request, reply);
      if (!(result instanceof Promise)) return result;
      running++;
      return result.finally(() => {
        running--;
        if (running === 0) idle?.();
      });
    };
  });
  app.addHook('onClose', async () => {
    if (running > 0) await new Promise<void>((resolve) => (idle = resolve));
  });
}
