import { createHmac } from 'node:crypto';
import { now } from '../../../clock.ts';
import type { NotifyConfig } from '../../../config.ts';
import { failure, providerWords, requestJson, statusFailure, withoutSecrets } from './http.ts';
import { mainlandMobile } from './phone.ts';
import type { Channel, Message, Recipient, SendOutcome } from './types.ts';

/**
 * DingTalk's custom group robot (自定义机器人): a markdown message POSTed to the robot's webhook,
 * which @-mentions the person by their mobile number so DingTalk tells them, not only the group.
 * With a secret (加签), every call carries `timestamp` (milliseconds) and `sign`: the base64
 * HMAC-SHA256, keyed by the secret, of `timestamp + "\n" + secret`, URL-encoded; DingTalk refuses a
 * timestamp more than an hour off. `errcode` 0 is delivered; anything else is a failure.
 */

const PROVIDER = 'DingTalk';

/**
 * Codes worth trying again later: too many messages a minute (the robot takes 20), and DingTalk
 * being busy. Everything else (a wrong sign, a removed robot, keywords missing) will not mend.
 */
const RETRY_CODES = new Set([-1, 130101, 410100]);

/** The `sign` of a call at `timestamp` (ms): base64 HMAC-SHA256 of "timestamp\nsecret", keyed by the secret. */
export function dingtalkSign(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The webhook with `timestamp` and `sign` added when the robot has a secret. */
export function signedWebhook(webhook: string, secret: string | null, timestamp: number): string {
  const url = new URL(webhook);
  if (secret) {
    url.searchParams.set('timestamp', String(timestamp));
    // URLSearchParams percent-encodes the base64's + / = as DingTalk asks.
    url.searchParams.set('sign', dingtalkSign(timestamp, secret));
  }
  return url.toString();
}

/**
 * The robot's markdown message. The mention works only when the text names the number too
 * (`@13800138000`) besides `at.atMobiles`; a DingTalk user id, where known, is mentioned alike.
 */
export function dingtalkMessage(message: Message, recipient: Recipient) {
  const mobile = mainlandMobile(recipient.phone);
  const lines = [message.markdown];
  if (message.link) lines.push(`[打开](${message.link})`);
  const mentions = [
    ...(mobile ? [`@${mobile}`] : []),
    ...(recipient.dingtalkUserId ? [`@${recipient.dingtalkUserId}`] : []),
  ];
  if (mentions.length > 0) lines.push(mentions.join(' '));
  return {
    msgtype: 'markdown',
    markdown: { title: message.title, text: lines.join('\n\n') },
    at: {
      atMobiles: mobile ? [mobile] : [],
      atUserIds: recipient.dingtalkUserId ? [recipient.dingtalkUserId] : [],
      isAtAll: false,
    },
  };
}

function accessTokenOf(webhook: string): string | null {
  try {
    return new URL(webhook).searchParams.get('access_token');
  } catch {
    return null;
  }
}

export function dingtalkChannel(config: NotifyConfig): Channel {
  const settings = config.dingtalk;
  // The webhook's access_token is as secret as the signing secret.
  const secrets = settings ? [settings.secret, accessTokenOf(settings.webhook)] : [];

  async function send(message: Message, recipient: Recipient, signal: AbortSignal): Promise<SendOutcome> {
    if (!settings) return failure(PROVIDER, 'DINGTALK_ROBOT_WEBHOOK is not set', false);
    let url: string;
    try {
      url = signedWebhook(settings.webhook, settings.secret, now().getTime());
    } catch {
      return failure(PROVIDER, 'DINGTALK_ROBOT_WEBHOOK is not a valid address', false);
    }
    const answer = await requestJson({
      provider: PROVIDER,
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(dingtalkMessage(message, recipient)),
      timeoutMs: config.timeoutMs,
      signal,
    });
    if (!answer.ok) return answer;
    const { errcode, errmsg } = (answer.body ?? {}) as { errcode?: unknown; errmsg?: unknown };
    if (answer.status >= 400 && typeof errcode !== 'number') return statusFailure(PROVIDER, answer.status);
    if (errcode === 0) return { ok: true };
    const code = typeof errcode === 'number' ? errcode : Number.NaN;
    return failure(PROVIDER, `errcode ${String(errcode)}: ${providerWords(errmsg)}`, RETRY_CODES.has(code));
  }

  return {
    code: 'dingtalk',
    // The robot takes no idempotency key: a call whose answer was lost may have posted.
    idempotent: false,
    notConfigured: () => (settings ? null : 'DINGTALK_ROBOT_WEBHOOK is not set'),
    // The robot posts to a group everyone in it reads; the mention is added where a number is known.
    unreachable: () => null,
    send: async ({ message, recipient, signal }) =>
      withoutSecrets(await send(message, recipient, signal), secrets),
  };
}
