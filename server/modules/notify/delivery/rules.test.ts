import { describe, expect, it } from 'vitest';
import type { Channel } from '../channels/types.ts';
import {
  idempotencyKeyOf,
  JITTER,
  MAX_ERROR_LENGTH,
  type Person,
  redact,
  retryDelayMs,
  skipReason,
  verdictOf,
} from './rules.ts';

const AT = new Date('2026-12-01T02:00:00.000Z');

describe('the retry delay', () => {
  it('doubles from the base with each failure, within the jitter', () => {
    expect([1, 2, 3, 4, 8].map((n) => retryDelayMs(n, 30, () => 0.5))).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_840_000,
    ]);
    for (const attempts of [1, 3, 6]) {
      const exact = 30_000 * 2 ** (attempts - 1);
      expect(retryDelayMs(attempts, 30, () => 0)).toBe(Math.round(exact * (1 - JITTER)));
      expect(retryDelayMs(attempts, 30, () => 0.999_999)).toBeLessThanOrEqual(
        Math.round(exact * (1 + JITTER)),
      );
      for (let i = 0; i < 100; i++) {
        const delay = retryDelayMs(attempts, 30);
        expect(delay).toBeGreaterThanOrEqual(exact * (1 - JITTER) - 1);
        expect(delay).toBeLessThanOrEqual(exact * (1 + JITTER) + 1);
      }
    }
  });

  it('is at most about a day, however many attempts', () => {
    expect(retryDelayMs(100, 86_400, () => 0.5)).toBe(86_400_000);
  });
});

describe('the verdict of an attempt', () => {
  const options = { maxAttempts: 3, baseSeconds: 30, at: AT, random: () => 0.5 };
  it('sent, retried later, or given up', () => {
    expect(verdictOf({ ok: true, providerMessageId: 'm1' }, { ...options, attempts: 1 })).toEqual({
      status: 'sent',
      providerMessageId: 'm1',
    });
    expect(verdictOf({ ok: true }, { ...options, attempts: 1 })).toEqual({
      status: 'sent',
      providerMessageId: null,
    });
    expect(verdictOf({ ok: false, error: 'down', retry: true }, { ...options, attempts: 2 })).toEqual({
      status: 'failed',
      error: 'down',
      nextAttemptAt: new Date(AT.getTime() + 60_000),
    });
    expect(verdictOf({ ok: false, error: 'down', retry: true }, { ...options, attempts: 3 })).toEqual({
      status: 'dead',
      error: 'down',
    });
    expect(
      verdictOf({ ok: false, error: 'no such user', retry: false }, { ...options, attempts: 1 }),
    ).toEqual({
      status: 'dead',
      error: 'no such user',
    });
  });
});

describe('why a notification is skipped', () => {
  const channel = (notConfigured: string | null): Channel => ({
    code: 'email',
    idempotent: false,
    notConfigured: () => notConfigured,
    unreachable: (r) => (r.email ? null : 'no e-mail address'),
    send: async () => ({ ok: true }),
  });
  const person: Person = {
    userId: 1,
    name: '三江',
    email: 'a@b.c',
    phone: null,
    wechatOpenid: null,
    dingtalkUserId: null,
    active: true,
  };
  it('names the first reason, or none', () => {
    expect(skipReason(channel(null), person, 'grab_won')).toBeNull();
    expect(skipReason(undefined, person, 'grab_won')).toBe('no such channel');
    expect(skipReason(channel('SMTP_URL is not set'), { ...person, active: false }, 'grab_won')).toBe(
      'SMTP_URL is not set',
    );
    expect(skipReason(channel(null), { ...person, active: false }, 'grab_won')).toBe('account disabled');
    expect(skipReason(channel(null), { ...person, email: null }, 'grab_won')).toBe('no e-mail address');
    expect(skipReason(channel(null), undefined, 'grab_won')).toBe('no such person');
  });
});

describe('what a provider hears and says', () => {
  it('an idempotency key stable per row, different between rows and databases', () => {
    const key = idempotencyKeyOf({ id: 7, dedupeKey: 'grab_won:7:3:email' });
    expect(key).toBe(idempotencyKeyOf({ id: 7, dedupeKey: 'grab_won:7:3:email' }));
    expect(key).toMatch(/^crm-7-[0-9a-f]{16}$/);
    expect(idempotencyKeyOf({ id: 7, dedupeKey: 'grab_won:8:3:email' })).not.toBe(key);
  });

  it('errors without the secrets of the settings, and bounded', () => {
    expect(redact('login failed for s3cret-pass at host', ['s3cret-pass'])).toBe(
      'login failed for *** at host',
    );
    const long = redact('x'.repeat(10_000), []);
    expect(long).toHaveLength(MAX_ERROR_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});
