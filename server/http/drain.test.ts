import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { drainHandlersOnClose } from './drain.ts';

describe('closing the app', () => {
  it('waits for a handler that is still running, and answers sync handlers as they answer', async () => {
    const app = Fastify();
    drainHandlersOnClose(app);
    let release = () => {};
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const events: string[] = [];
    app.get('/slow', async () => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
      events.push('handler done');
      return { ok: true };
    });
    // Answers later through reply.send, as fastify-static does.
    app.get('/later', (_request, reply) => {
      setTimeout(() => reply.send({ later: true }), 10);
    });
    await app.ready();
    expect((await app.inject('/later')).json()).toEqual({ later: true });

    const answer = app.inject('/slow');
    await running;
    const closed = app.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
    release();
    await closed;
    expect(events).toEqual(['handler done', 'closed']);
    expect((await answer).json()).toEqual({ ok: true });
  });
});
