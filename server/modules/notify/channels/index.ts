import type { NotifyConfig } from '../../../config.ts';
import { notifyChannel } from '../../../db/schema/enums.ts';
import { aliyunSmsChannel } from './aliyun-sms.ts';
import { dingtalkChannel } from './dingtalk.ts';
import { emailChannel } from './email.ts';
import type { Channel, ChannelCode, ChannelDeps } from './types.ts';
import { wechatChannel } from './wechat.ts';

/**
 * Every channel, built once per instance from the settings (config.ts `NotifyConfig`): the worker
 * sends through them, and `GET /api/notify/channels` says which can send.
 */
export function channelsFrom(config: NotifyConfig, deps: ChannelDeps): Record<ChannelCode, Channel> {
  return {
    email: emailChannel(config),
    dingtalk: dingtalkChannel(config),
    wechat: wechatChannel(config, deps),
    sms: aliyunSmsChannel(config),
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
