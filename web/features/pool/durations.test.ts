import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import type { ListPage } from '../../api/resource.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { type PoolItem, withoutCustomer } from './api.ts';
import { formatDuration, splitDuration } from './durations.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

async function translator(lng: 'zh-CN' | 'en') {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    interpolation: { escapeValue: false },
  });
  return instance.t;
}

describe('durations', () => {
  test('splits a span into whole days, hours and minutes, never negative', () => {
    expect(splitDuration(2 * day + 3 * hour + 59 * minute + 59_999)).toEqual({
      days: 2,
      hours: 3,
      minutes: 59,
    });
    expect(splitDuration(-5 * minute)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });

  test('says a span in its two largest units, rounded down', async () => {
    const zh = await translator('zh-CN');
    expect(formatDuration(2 * day + 3 * hour + 40 * minute, zh)).toBe('2 天 3 小时');
    expect(formatDuration(5 * hour + 12 * minute + 30_000, zh)).toBe('5 小时 12 分钟');
    expect(formatDuration(8 * minute + 59_000, zh)).toBe('8 分钟');
    expect(formatDuration(-1, zh)).toBe('0 分钟');
    const english = await translator('en');
    expect(formatDuration(day, english)).toBe('1 d 0 h');
  });
});

describe('a grabbed row', () => {
  const page: ListPage<PoolItem> = {
    items: [1, 2, 3].map((id) => ({
      id,
      name: `客户${id}`,
      phone: null,
      qq: null,
      releasedReason: 'no_followup',
      publicSince: null,
      previousConsultant: null,
    })),
    total: 3,
    page: 1,
    pageSize: 20,
  };

  test('leaves the cached page at once, and the total with it', () => {
    expect(withoutCustomer(page, 2)).toMatchObject({ items: [{ id: 1 }, { id: 3 }], total: 2 });
    expect(withoutCustomer(page, 9)).toBe(page);
    expect(withoutCustomer(undefined, 2)).toBeUndefined();
  });
});
