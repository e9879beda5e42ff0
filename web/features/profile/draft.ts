import {
  type ChannelCode,
  channelOrder,
  type NotificationEvent,
  type NotifySettings,
  type PerEvent,
} from './api.ts';

/**
 * The notification choices being edited: the general channels, and the events chosen apart (an
 * event not in `perEvent` follows the general channels — "同通用设置"). Channels are always kept in
 * the page's order, so that a draft equal to the saved settings compares equal.
 */
export type Draft = { channels: ChannelCode[]; perEvent: PerEvent };

export const ordered = (channels: readonly ChannelCode[]): ChannelCode[] =>
  channelOrder.filter((code) => channels.includes(code));

export function draftOf(settings: Pick<NotifySettings, 'channels' | 'perEvent'>): Draft {
  const perEvent: PerEvent = {};
  for (const [event, channels] of Object.entries(settings.perEvent)) {
    if (channels) perEvent[event as NotificationEvent] = ordered(channels);
  }
  return { channels: ordered(settings.channels), perEvent };
}

const keyOf = (draft: Draft) =>
  JSON.stringify([
    draft.channels,
    Object.entries(draft.perEvent)
      .filter(([, channels]) => channels !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  ]);

export const sameDraft = (a: Draft, b: Draft): boolean => keyOf(a) === keyOf(b);

/** What an event is sent on under the draft, and whether that is the general choice. */
export function channelsOf(
  draft: Draft,
  event: NotificationEvent,
): { channels: ChannelCode[]; general: boolean } {
  const own = draft.perEvent[event];
  return own ? { channels: own, general: false } : { channels: draft.channels, general: true };
}

export const withGeneral = (draft: Draft, channels: readonly ChannelCode[]): Draft => ({
  ...draft,
  channels: ordered(channels),
});

/** An event back to the general channels, or apart from them, starting from what it gets now. */
export function withFollowsGeneral(draft: Draft, event: NotificationEvent, follows: boolean): Draft {
  const perEvent = { ...draft.perEvent };
  if (follows) delete perEvent[event];
  else perEvent[event] = [...channelsOf(draft, event).channels];
  return { ...draft, perEvent };
}

/** One box of the table ticked or cleared: the event is then chosen apart. */
export function withEventChannel(
  draft: Draft,
  event: NotificationEvent,
  channel: ChannelCode,
  on: boolean,
): Draft {
  const current = channelsOf(draft, event).channels;
  const next = on ? [...current, channel] : current.filter((c) => c !== channel);
  return { ...draft, perEvent: { ...draft.perEvent, [event]: ordered(next) } };
}
