import { describe, expect, test } from 'vitest';
import { browserTests, poll, resultsPath } from './browser.ts';
import { expectNoRawCodes, watchPage } from './watch.ts';

/**
 * Issue 23's inbox: a consultant given a new customer sees the bell count it, opens the drawer,
 * follows the notification to the customer (which marks it read) and marks the rest read; their
 * profile says where notifications go and that no channel is configured on this school's server.
 */
type Inbox = {
  items: { id: number; title: string; readAt: string | null; link: string | null }[];
  unread: number;
};

const { manager, baoyu, openPage } = browserTests('manager', 'baoyu');

const words = {
  'zh-CN': { readAll: '全部标为已读', noneUnread: '没有未读通知', unread: '未读' },
  en: { readAll: 'Mark all read', noneUnread: 'No unread notifications', unread: 'Unread' },
} as const;

describe('the inbox', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    test(`a consultant is told of a new customer, opens it from the bell, and reads the rest (${language})`, async () => {
      const w = words[language];
      const me = await baoyu.get<{ id: number }>('/api/auth/me');
      const name = `通知E2E${language === 'en' ? 'EN' : 'ZH'}${Date.now() % 100_000}`;
      const phone = `139${String(Date.now()).slice(-8)}`;
      const made = await manager.send<{ id: number }>('POST', '/api/customers', {
        name,
        phone,
        consultantId: me.id,
      });
      // A second one, so something is still unread after the first is opened.
      await manager.send('POST', '/api/customers', {
        name: `${name}乙`,
        phone: `${phone.slice(0, -1)}${(Number(phone.at(-1)) + 1) % 10}`,
        consultantId: me.id,
      });
      const before = await baoyu.get<Inbox>('/api/me/notifications');
      const item = before.items.find((i) => i.link === `/customers/${made.id}`);
      expect(item?.readAt).toBeNull();
      expect(before.unread).toBeGreaterThan(0);

      const { context, page } = await openPage('baoyu', { language });
      const watch = watchPage(page);
      try {
        await page.goto('/');
        const bell = page.getByTestId('inbox-bell');
        await poll(() => page.locator('.ant-badge .ant-scroll-number').first().getAttribute('title')).toBe(
          String(before.unread),
        );
        await bell.click();
        const drawer = page.getByTestId('inbox-drawer');
        await drawer.getByTestId(`inbox-item-${item!.id}`).waitFor();
        await expectNoRawCodes(page);
        await page.screenshot({ path: resultsPath(`inbox-drawer-${language}.png`) });

        // The notification leads to the customer, and is read from then on.
        await drawer.getByTestId(`inbox-item-${item!.id}`).click();
        await poll(() => new URL(page.url()).pathname).toBe(`/customers/${made.id}`);
        await poll(async () => (await baoyu.get<Inbox>('/api/me/notifications')).unread).toBe(
          before.unread - 1,
        );

        // The rest, all at once.
        await bell.click();
        await drawer.getByTestId('inbox-read-all').click();
        await poll(async () => (await baoyu.get<Inbox>('/api/me/notifications')).unread).toBe(0);
        await drawer.locator('.ant-segmented-item').filter({ hasText: w.unread }).click();
        await drawer.getByText(w.noneUnread).waitFor();
        watch.check();

        // Where notifications go: the profile, with this server's channels not configured.
        await page.goto('/profile');
        await page.getByTestId('profile-channels').waitFor();
        await page.getByTestId('not-configured-sms').first().waitFor();
        await expectNoRawCodes(page);
        await page.screenshot({ path: resultsPath(`profile-${language}.png`), fullPage: true });
        watch.check();
      } finally {
        await context.close();
      }
    });
  }
});
