import type { NotifyConfig } from '../../../config.ts';
import { notifyChannel } from '../../../db/schema/enums.ts';
import { emailChannel } from './email.ts';
import type { Channel, ChannelCode, ChannelDeps, SendOutcome } from './types.ts';

/**
 * Every channel, built once per instance from the settings (config.ts `NotifyConfig`): the worker
 * sends through them, and `GET /api/notify/channels` says which can send.
 */
export function channelsFrom(config: NotifyConfig, _deps: ChannelDeps): Record<ChannelCode, Channel> {
  return {
    email: emailChannel(config),
    // PLACEHOLDERS until the providers' factories land (branch wp-providers): dingtalk.ts,
    // wechat.ts and aliyun-sms.ts take their places here, given `_deps`.
    dingtalk: awaitingProvider('dingtalk', config.dingtalk !== null, 'DINGTALK_ROBOT_WEBHOOK'),
    wechat: awaitingProvider('wechat', config.wechat !== null, 'WECHAT_APP_ID'),
    sms: awaitingProvider('sms', config.sms !== null, 'ALIYUN_SMS_ACCESS_KEY_ID'),
  };
}

/** A channel whose provider is not built in yet: never sends, so its rows are `skipped` with why. */
function awaitingProvider(code: ChannelCode, configured: boolean, variable: string): Channel {
  const reason = configured ? `the ${code} provider is not built in yet` : `${variable} is not set`;
  return {
    code,
    idempotent: false,
    notConfigured: () => reason,
    unreachable: () => null,
    send: async (): Promise<SendOutcome> => ({ ok: false, error: reason, retry: false }),
  };
}

/** Whether a channel can send, and if not why (the name of a missing setting, never its value). */
export type ChannelStatus = { channel: ChannelCode; configured: boolean; reason: string | null };

/** Each channel's status, in the order the school names them (db/schema/enums.ts `notifyChannel`). */
export function channelStatuses(channels: Partial<Record<ChannelCode, Channel>>): ChannelStatus[] {
  return notifyChannel.codes.map((code) => {
    const channel = channels[code];
    const reason = channel ? channel.notConfigured() : `no ${code} channel`;
    return { channel: code, configured: reason === null, reason };
  });
}

/**
 * The secret values of the settings (passwords, signing secrets, tokens in URLs), which the worker
 * blanks out of any provider's error before it is stored or logged.
 */
export function secretsOf(config: NotifyConfig): string[] {
  const found: (string | null | undefined)[] = [
    config.dingtalk?.secret,
    config.wechat?.appSecret,
    config.sms?.accessKeySecret,
  ];
  const fromUrl = (text: string | undefined, read: (url: URL) => (string | null)[]) => {
    if (!text) return;
    try {
      found.push(...read(new URL(text)));
    } catch {
      // Not a URL: config.ts already refused it at start.
    }
  };
  fromUrl(config.email?.smtpUrl, (url) => [url.password, safeDecode(url.password)]);
  fromUrl(config.dingtalk?.webhook, (url) => [url.searchParams.get('access_token')]);
  return [...new Set(found.filter((s): s is string => typeof s === 'string' && s.length >= 4))];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
