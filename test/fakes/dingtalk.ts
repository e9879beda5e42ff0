import { createHmac, timingSafeEqual } from 'node:crypto';
import { type FakeServer, startFakeServer } from './server.ts';

/**
 * A DingTalk custom robot, checking what DingTalk checks: the webhook's access token; with a secret,
 * a `timestamp` within an hour of its own clock and the `sign` computed with its own copy of the
 * secret (errcode 310000 otherwise, as DingTalk answers); a markdown message with a title and text.
 * It records what it accepted. `answerNext(errcode)` plays DingTalk refusing the next message
 * (130101: more than 20 a minute).
 */
export type DingtalkMessage = {
  msgtype: string;
  markdown: { title: string; text: string };
  at?: { atMobiles?: string[]; atUserIds?: string[]; isAtAll?: boolean };
};

export type DingtalkFake = FakeServer & {
  /** The webhook to configure: `{url}/robot/send?access_token=…`. */
  webhook: string;
  messages: DingtalkMessage[];
  answerNext(errcode: number, errmsg?: string): void;
};

const HOUR_MS = 60 * 60_000;

export async function startDingtalkFake(options: {
  accessToken: string;
  /** The robot's 加签 secret; null: a robot that signs nothing (keyword or IP security instead). */
  secret: string | null;
  /** Its clock, to judge a timestamp's age; the real one by default, as DingTalk's. */
  now?: () => number;
}): Promise<DingtalkFake> {
  const clock = options.now ?? Date.now;
  const messages: DingtalkMessage[] = [];
  const queued: { errcode: number; errmsg: string }[] = [];

  const server = await startFakeServer(({ method, url, body }) => {
    if (method !== 'POST' || url.pathname !== '/robot/send') return { status: 404, json: { errcode: 404 } };
    if (url.searchParams.get('access_token') !== options.accessToken) {
      return { json: { errcode: 300001, errmsg: 'token is not exist' } };
    }
    if (options.secret !== null) {
      const timestamp = Number(url.searchParams.get('timestamp'));
      if (!Number.isInteger(timestamp) || Math.abs(clock() - timestamp) > HOUR_MS) {
        return { json: { errcode: 310000, errmsg: 'invalid timestamp' } };
      }
      const expected = createHmac('sha256', options.secret)
        .update(`${timestamp}\n${options.secret}`)
        .digest();
      const given = Buffer.from(url.searchParams.get('sign') ?? '', 'base64');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { json: { errcode: 310000, errmsg: 'sign not match' } };
      }
    }
    let message: DingtalkMessage;
    try {
      message = JSON.parse(body) as DingtalkMessage;
    } catch {
      return { json: { errcode: 40035, errmsg: '缺少参数 json' } };
    }
    if (message.msgtype !== 'markdown' || !message.markdown?.title || !message.markdown?.text) {
      return { json: { errcode: 40035, errmsg: 'markdown needs a title and a text' } };
    }
    const next = queued.shift();
    if (next) return { json: next };
    messages.push(message);
    return { json: { errcode: 0, errmsg: 'ok' } };
  });

  return {
    ...server,
    webhook: `${server.url}/robot/send?access_token=${options.accessToken}`,
    messages,
    answerNext(errcode, errmsg = 'send too fast, exceed 20 times per minute') {
      queued.push({ errcode, errmsg });
    },
  };
}
