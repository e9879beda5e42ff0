import type { Channel, ChannelCode, SendOutcome } from '../../server/modules/notify/channels/types.ts';

/**
 * An in-process provider for the delivery tests: one that takes an idempotency key (`idempotent`)
 * and, like a real one that does, accepts a key it has seen once only. It counts every call, and
 * every message it really delivered, per key.
 */
export type FakeChannel = Channel & {
  calls: string[];
  delivered: Map<string, number>;
  mood: 'up' | 'down' | 'hang';
};

export function fakeChannel(code: ChannelCode, options: { idempotent: boolean }): FakeChannel {
  const channel: FakeChannel = {
    code,
    idempotent: options.idempotent,
    calls: [],
    delivered: new Map(),
    mood: 'up',
    notConfigured: () => null,
    unreachable: () => null,
    async send({ idempotencyKey, signal }): Promise<SendOutcome> {
      channel.calls.push(idempotencyKey);
      if (channel.mood === 'down')
        return { ok: false, error: 'HTTP 503 from the fake provider', retry: true };
      if (channel.mood === 'hang') {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return { ok: false, error: 'aborted', retry: true };
      }
      const seen = channel.delivered.has(idempotencyKey);
      if (!seen || !options.idempotent)
        channel.delivered.set(idempotencyKey, (channel.delivered.get(idempotencyKey) ?? 0) + 1);
      return { ok: true, providerMessageId: `fake-${idempotencyKey}` };
    },
  };
  return channel;
}
