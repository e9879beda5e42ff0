import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { PoolSettings } from '../../server/modules/pool/settings.ts';
import { browserTests, type ListPage, resultsPath, tableRows } from './browser.ts';

/**
 * The sales core in the browser (docs/spec.md §3): two consultants race for one customer of the public
 * pool, the winner follows it up from "my customers" and from its page, and an administrator
 * changes a pool rule. The e2e server runs without CRM_TEST_CLOCK, so nothing here depends on the
 * time of day: the demo data already has public customers, and countdowns are checked by shape.
 */

type PoolItem = {
  id: number;
  name: string;
  source: string;
  releasedReason: string;
  previousConsultant: { id: number; name: string } | null;
};
type Page_<T> = ListPage<T>;

const { admin, baoyu, dasha, openPage } = browserTests('admin', 'baoyu', 'dasha');

const poolRow = (page: Page, id: number) => page.locator(`.ant-table-tbody tr[data-row-key="${id}"]`);
const message = (page: Page) => page.locator('.ant-message');

/** A customer both consultants may grab: public, last owned by neither (三江's, or never owned). */
async function sharedPoolCustomer(): Promise<PoolItem> {
  const [mine, theirs] = await Promise.all([
    baoyu.get<Page_<PoolItem>>('/api/pool?pageSize=200'),
    dasha.get<Page_<PoolItem>>('/api/pool?pageSize=200'),
  ]);
  const both = mine.items.filter((item) => theirs.items.some((other) => other.id === item.id));
  // The customers test counts Baidu and SEO customers: take another source when there is one.
  const target = both.find((item) => !['baidu', 'seo'].includes(item.source)) ?? both[0];
  if (!target) throw new Error('the demo data has no public customer that both 暴雨 and 大傻 may grab');
  return target;
}

/**
 * Keeps a page's pool list as it was when `freeze()` is called, as if the other consultant's grab
 * had happened just after its last refresh (the page polls every 10 s and would otherwise remove
 * the row by itself, at a moment the test cannot choose). `thaw()` lets every later request
 * through, so the refresh that follows the refused grab shows the pool as it really is.
 */
async function freezablePool(page: Page) {
  let last: string | null = null;
  let frozen: string | null = null;
  await page.route(
    (url) => url.pathname === '/api/pool',
    async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      if (frozen !== null)
        return route.fulfill({ status: 200, contentType: 'application/json', body: frozen });
      const response = await route.fetch();
      last = await response.text();
      return route.fulfill({ response, body: last });
    },
  );
  return {
    freeze: () => {
      frozen = last;
    },
    thaw: () => {
      frozen = null;
    },
  };
}

describe('the public pool, my customers and follow-ups', () => {
  test('two consultants grab the same customer: one wins and follows it up, the other is told it is taken', {
    timeout: 120_000,
  }, async () => {
    const target = await sharedPoolCustomer();
    const stamp = Date.now().toString(36);
    const winner = await openPage('baoyu');
    const loser = await openPage('dasha');
    let limited: PoolSettings | null = null;
    try {
      // 大傻 opens the pool straight on a search (the list's state is in the URL)…
      const stale = await freezablePool(loser.page);
      await loser.page.goto(`/pool?q=${encodeURIComponent(target.name)}`);
      const loserRow = poolRow(loser.page, target.id);
      await loserRow.waitFor();
      // …and 暴雨 finds the same customer with the search box.
      await winner.page.goto('/pool');
      await tableRows(winner.page).first().waitFor();
      const search = winner.page.locator('input[aria-label="搜索"]');
      await search.fill(target.name);
      await search.press('Enter');
      await winner.page.waitForURL((url) => url.searchParams.get('q') === target.name);
      const winnerRow = poolRow(winner.page, target.id);
      await winnerRow.waitFor();
      // The row says why and for how long it has been public, and whose it was.
      await winnerRow.getByTestId('pool-reason').waitFor();
      expect(await winnerRow.getByTestId('pool-public-for').textContent()).toMatch(
        /^(\d+ 天 \d+ 小时|\d+ 小时 \d+ 分钟|\d+ 分钟)$/,
      );
      if (target.previousConsultant) await winnerRow.getByText(target.previousConsultant.name).waitFor();
      await winner.page.screenshot({ path: resultsPath('pool.png'), fullPage: true });

      stale.freeze();
      await winnerRow.getByTestId(`grab-${target.id}`).click();
      await message(winner.page).getByTestId('grab-success').waitFor();
      await winnerRow.waitFor({ state: 'detached' });

      // 大傻's page still shows the row; the grab is refused and the row goes.
      expect(await loserRow.count()).toBe(1);
      stale.thaw();
      await loserRow.getByTestId(`grab-${target.id}`).click();
      const taken = message(loser.page).getByTestId('grab-taken');
      await taken.waitFor();
      expect(await taken.textContent()).toContain('已被其他顾问抢走');
      await loserRow.waitFor({ state: 'detached' });
      await loser.page.screenshot({ path: resultsPath('pool-taken.png') });

      // The winner's message leads to the customer's page, now with 暴雨 as its consultant.
      await message(winner.page).getByTestId('grab-view-customer').click();
      await winner.page.waitForURL((url) => url.pathname === `/customers/${target.id}`);
      await winner.page.getByText('课程顾问：暴雨', { exact: true }).waitFor();

      // Past the daily limit the server's refusal shows as an error notice (the rule is put back).
      const rules = await admin.get<PoolSettings>('/api/settings/pool');
      const another = (await baoyu.get<Page_<PoolItem>>('/api/pool?pageSize=1')).items[0];
      if (another) {
        limited = rules;
        await admin.send('PUT', '/api/settings/pool', { ...rules, dailyGrabLimit: 1 });
        await winner.page.goto(`/pool?q=${encodeURIComponent(another.name)}`);
        await poolRow(winner.page, another.id).getByTestId(`grab-${another.id}`).click();
        const notice = winner.page.locator('.ant-notification-notice');
        await notice.getByText('今天的抢单数已达上限').waitFor();
        // …in the page's language, naming the limit (the server's English message is for API users).
        await notice.getByText('每天最多 1 位').waitFor();
        expect(await notice.innerText()).not.toMatch(/customers a day/);
        await poolRow(winner.page, another.id).waitFor();
        await admin.send('PUT', '/api/settings/pool', rules);
        limited = null;
      }

      // 暴雨 now owns it.
      const owned = await baoyu.get<{ consultant: { name: string } | null }>(`/api/customers/${target.id}`);
      expect(owned.consultant?.name).toBe('暴雨');

      // My customers, 跟进中: the customer with its countdown.
      const page = winner.page;
      await page.goto('/my-customers');
      await page.locator('.ant-tabs-tab').getByText('跟进中', { exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('status') === 'following');
      const mySearch = page.locator('input[aria-label="搜索"]');
      await mySearch.fill(target.name);
      await mySearch.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === target.name);
      const found = await baoyu.get<Page_<unknown>>(
        `/api/my-customers?status=following&q=${encodeURIComponent(target.name)}&pageSize=1`,
      );
      await page
        .locator('.ant-pagination-total-text')
        .getByText(`共 ${found.total} 条`, { exact: true })
        .waitFor();
      const link = page.getByTestId(`my-customer-${target.id}`);
      await link.waitFor();
      const row = tableRows(page).filter({ has: link });
      expect(await row.getByTestId('my-customer-status').textContent()).toBe('正在跟进');
      // A grab starts both clocks now: the earlier deadline is days away, whatever the rules.
      expect(await row.getByTestId('countdown').textContent()).toMatch(/^还剩 \d+ 天 \d+ 小时$/);
      await page.screenshot({ path: resultsPath('my-customers.png'), fullPage: true });

      // A quick follow-up from the list.
      const quickNote = `E2E 快速跟进 ${stamp}`;
      await row.getByTestId(`quick-follow-up-${target.id}`).click();
      const modal = page.locator('.follow-up-modal .ant-modal');
      await modal.waitFor();
      // The modal is still settling when it appears: a click on its select may open the list just as
      // the modal's animation moves it, so open it (again) until the option stands still.
      const wechat = page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
        .filter({ hasText: '微信' });
      for (let attempt = 0; ; attempt++) {
        if (!(await wechat.isVisible())) await modal.locator('.ant-select').click();
        try {
          await wechat.click({ timeout: 3_000 });
          break;
        } catch (error) {
          if (attempt >= 4) throw error;
        }
      }
      await modal.getByTestId('follow-up-note').fill(quickNote);
      await modal.getByRole('button', { name: '提交跟进' }).click();
      await message(page)
        .getByText(/已重新计时/)
        .waitFor();
      await modal.waitFor({ state: 'hidden' });

      // Its page shows the follow-up in the timeline; a second one from the form there.
      await link.click();
      await page.waitForURL((url) => url.pathname === `/customers/${target.id}`);
      const timeline = page.getByTestId('customer-timeline');
      await timeline.getByText(quickNote, { exact: true }).waitFor();
      await timeline.getByText('跟进 · 微信', { exact: true }).first().waitFor();
      const form = page.getByTestId('follow-up-form');
      const pageNote = `E2E 详情页跟进 ${stamp}`;
      await form.getByTestId('follow-up-note').fill(pageNote);
      await form.getByTestId('follow-up-submit').click();
      const result = form.getByTestId('follow-up-result');
      await result.waitFor();
      expect(await result.textContent()).toContain('已重新计时');
      await timeline.getByText(pageNote, { exact: true }).waitFor();
      await page.screenshot({ path: resultsPath('customer-follow-up.png'), fullPage: true });
    } finally {
      if (limited) await admin.send('PUT', '/api/settings/pool', limited);
      await winner.context.close();
      await loser.context.close();
    }
  });

  test('an administrator changes a pool rule and sees how many customers were recomputed', async () => {
    const before = await admin.get<PoolSettings>('/api/settings/pool');
    const changed = before.remindDaysBefore === 2 ? 1 : 2;
    const { context, page } = await openPage('admin');
    try {
      await page.goto('/settings/pool');
      const input = page.getByTestId('remindDaysBefore');
      await input.waitFor();
      expect(await input.inputValue()).toBe(String(before.remindDaysBefore));
      await page
        .getByText('允许原顾问在', { exact: false })
        .or(page.getByText('不允许原顾问抢回'))
        .first()
        .waitFor();
      await input.fill(String(changed));
      await page.getByTestId('pool-settings-save').click();
      await page
        .getByTestId('pool-settings-recomputed')
        .getByText(/^已保存，重新计算了 \d+ 位客户的释放时间$/)
        .waitFor();
      expect((await admin.get<PoolSettings>('/api/settings/pool')).remindDaysBefore).toBe(changed);
      await page.screenshot({ path: resultsPath('pool-settings.png') });
    } finally {
      await admin.send('PUT', '/api/settings/pool', before);
      await context.close();
    }
    expect(await admin.get<PoolSettings>('/api/settings/pool')).toEqual(before);
  });
});
