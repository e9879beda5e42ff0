import type { Db } from '../../../db/client.ts';
import type { CodeOf, notifyChannel } from '../../../db/schema/enums.ts';
import type { NotificationEvent } from '../outbox.ts';

/**
 * What every channel is given and answers (docs/spec.md §6). One renderer makes the message of an
 * event (modules/notify/messages.ts); each channel sends it its own way; the delivery worker
 * (modules/notify/delivery/) claims rows, calls a channel and records the outcome.
 */
export type ChannelCode = CodeOf<typeof notifyChannel>;

/** An event's message, rendered once and shared by every channel. */
export type Message = {
  event: NotificationEvent;
  /** One line: "新客户分配：张三". */
  title: string;
  /** Plain text, a few lines, for SMS-like and mail bodies. */
  text: string;
  /** The same as Markdown (DingTalk). */
  markdown: string;
  /** Where it is acted on (PUBLIC_URL + path), or null when PUBLIC_URL is not set. */
  link: string | null;
  /** Named values for template messages (WeChat template keywords, SMS template params). */
  fields: Record<string, string>;
};

/** Who is told, with what each channel needs to reach them. */
export type Recipient = {
  userId: number;
  name: string;
  email: string | null;
  phone: string | null;
  wechatOpenid: string | null;
  dingtalkUserId: string | null;
};

export type SendOutcome =
  | { ok: true; providerMessageId?: string }
  /** `retry`: worth trying again later (down, 5xx, timeout, rate limit); false: it will never work. */
  | { ok: false; error: string; retry: boolean };

export type Channel = {
  code: ChannelCode;
  /** Null when the channel can send, else why not ("SMTP_URL is not set"), for `skipped` rows. */
  notConfigured(): string | null;
  /**
   * Null when the person can be reached here for `event`, else why not ("no mobile number", "no
   * WeChat template for grab_won"): such a row is `skipped` with the reason. Template channels
   * (WeChat, SMS) need `event`; without it they answer for the person alone.
   */
  unreachable(recipient: Recipient, event: NotificationEvent): string | null;
  /**
   * Whether the provider takes an idempotency key, so a send whose outcome was lost (the instance
   * died mid-call) may be tried again without risking a second message; else such a row is
   * `unknown`, for a person to decide.
   */
  idempotent: boolean;
  send(input: {
    message: Message;
    recipient: Recipient;
    /** Unique per notification row and stable across retries. */
    idempotencyKey: string;
    signal: AbortSignal;
  }): Promise<SendOutcome>;
};

/**
 * What a channel's factory may use besides its settings: the database (tokens shared by every
 * instance, such as WeChat's). Each factory is `xxxChannel(config.notify, deps) → Channel`.
 */
export type ChannelDeps = { db: Db };
