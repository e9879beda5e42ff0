import { describe, expect, it } from 'vitest';
import {
  channelsOf,
  draftOf,
  sameDraft,
  withEventChannel,
  withFollowsGeneral,
  withGeneral,
} from './draft.ts';

describe('the notification choices being edited', () => {
  const saved = draftOf({ channels: ['email', 'sms'], perEvent: { grab_won: ['wechat'] } });

  it('keeps channels in the page’s order, so the saved settings compare equal', () => {
    expect(saved).toEqual({ channels: ['sms', 'email'], perEvent: { grab_won: ['wechat'] } });
    expect(
      sameDraft(saved, draftOf({ channels: ['sms', 'email'], perEvent: { grab_won: ['wechat'] } })),
    ).toBe(true);
    expect(sameDraft(saved, withGeneral(saved, ['email', 'sms']))).toBe(true);
    expect(sameDraft(saved, withGeneral(saved, ['email']))).toBe(false);
  });

  it('sends an event not chosen apart on the general channels, which follow the general choice', () => {
    expect(channelsOf(saved, 'customer_assigned')).toEqual({ channels: ['sms', 'email'], general: true });
    expect(channelsOf(withGeneral(saved, ['dingtalk']), 'customer_assigned').channels).toEqual(['dingtalk']);
    expect(channelsOf(saved, 'grab_won')).toEqual({ channels: ['wechat'], general: false });
  });

  it('sets an event apart starting from what it gets now, and back to the general choice', () => {
    const apart = withFollowsGeneral(saved, 'release_reminder', false);
    expect(channelsOf(apart, 'release_reminder')).toEqual({ channels: ['sms', 'email'], general: false });
    // Changing the general channels no longer moves it.
    expect(channelsOf(withGeneral(apart, []), 'release_reminder').channels).toEqual(['sms', 'email']);
    const back = withFollowsGeneral(apart, 'release_reminder', true);
    expect(sameDraft(back, saved)).toBe(true);
  });

  it('ticks one box of an event: it is then chosen apart, and none at all is a choice too', () => {
    const ticked = withEventChannel(saved, 'customer_released', 'wechat', true);
    expect(ticked.perEvent.customer_released).toEqual(['sms', 'wechat', 'email']);
    const cleared = withEventChannel(
      withEventChannel(saved, 'grab_won', 'wechat', false),
      'grab_won',
      'sms',
      false,
    );
    expect(cleared.perEvent.grab_won).toEqual([]);
    expect(channelsOf(cleared, 'grab_won')).toEqual({ channels: [], general: false });
  });
});
