import type { FastifyInstance } from 'fastify';
import { unavailable } from './errors.ts';
import { isApi } from './no-store.ts';

/**
 * Whether the database has been prepared (migrated, its catalogue synchronised). The server listens
 * before that — the database may start after it — so its health checks can say "alive, not ready".
 */
export type Readiness = { readonly isReady: boolean; readonly whenReady: Promise<void>; markReady(): void };

export function readiness(ready: boolean): Readiness {
  let markReady = () => {};
  const whenReady = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const state = {
    isReady: false,
    whenReady,
    markReady() {
      state.isReady = true;
      markReady();
    },
  };
  if (ready) state.markReady();
  return state;
}

/** Until the database is ready, API requests other than the health checks answer 503 unavailable. */
export function refuseUntilReady(app: FastifyInstance, state: Readiness): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (state.isReady || !isApi(request.url) || request.url.startsWith('/api/health')) return done();
    done(unavailable('The server is starting and its database is not ready yet; try again shortly'));
  });
}
