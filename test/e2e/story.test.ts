import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { apiSession, browserTests, type ListPage, resultsPath, signInByApi, tableRows } from './browser.ts';

/**
 * The seed's story in the browser, moved along by the server's test clock (docs/spec.md §8): 三江 lets
 * 龙泰 go cold and he appears in the pool; 暴雨 grabs him there, follows him up but never closes;
 * fifteen days on the sweep releases him for no deal; 大傻 grabs him from the pool and, once he
 * pays, finds him among his enrolled customers. It runs last of the browser tests (it moves time
 * and keeps 龙泰), and puts the clock back however it ends.
 */
type Customer = { id: number; name: string; releaseAt: string; consultant: { name: string } | null };
type Page_<T> = ListPage<T>;

const { manager, admin, openPage } = browserTests('manager', 'admin');
afterAll(async () => {
  await admin.send('DELETE', '/api/test/clock').catch(() => {});
});

const DAY = 86_400_000;
const clockTo = (at: number) => admin.send('PUT', '/api/test/clock', { now: new Date(at).toISOString() });
const poolRow = (page: Page, id: number) => page.locator(`.ant-table-tbody tr[data-row-key="${id}"]`);

async function grabInPool(page: Page, customer: Customer, reason: string) {
  await page.goto(`/pool?q=${encodeURIComponent(customer.name)}`);
  const row = poolRow(page, customer.id);
  await row.getByTestId('pool-reason').getByText(reason).waitFor();
  await row.getByTestId(`grab-${customer.id}`).click();
  await page.locator('.ant-message').getByTestId('grab-success').waitFor();
  await row.waitFor({ state: 'detached' });
}

describe('the story of 龙泰', () => {
  test('goes cold with 三江, is grabbed, released for no deal, grabbed again and enrolled', {
    timeout: 120_000,
  }, async () => {
    const [longtai] = (await manager.get<Page_<Customer>>(`/api/customers?q=${encodeURIComponent('龙泰')}`))
      .items;
    if (!longtai) throw new Error('the demo data has no 龙泰');
    expect(longtai.consultant?.name).toBe('三江');
    const baoyu = await openPage('baoyu');
    const dasha = await openPage('dasha');
    try {
      // 三江 does not call again: at his deadline 龙泰 is public, and 暴雨 grabs him.
      const cold = new Date(longtai.releaseAt).getTime() + 60_000;
      await clockTo(cold);
      await grabInPool(baoyu.page, longtai, '三天未跟进');

      // 暴雨 follows up from "my customers" but never closes.
      await baoyu.page.goto('/my-customers?status=following');
      const mine = tableRows(baoyu.page).filter({ hasText: '龙泰' });
      await mine.getByText(/^还剩 \d+ 天 \d+ 小时$/).waitFor();
      const baoyuApi = await apiSession('baoyu');
      try {
        for (let day = 1; day <= 14; day++) {
          await clockTo(cold + day * DAY);
          await baoyuApi.send('POST', `/api/customers/${longtai.id}/consult-records`, {
            note: `第${day}天回访`,
          });
        }
      } finally {
        await baoyuApi.dispose();
      }

      // Fifteen days after he received him, the nightly sweep releases 龙泰 for no deal…
      await clockTo(cold + 15 * DAY);
      // Fifteen idle days end a session (7 days idle at most): everyone signs in again.
      const later = await apiSession('admin');
      try {
        const swept = await later.send<{ released: number }>('POST', '/api/admin/sweep');
        expect(swept.released).toBeGreaterThanOrEqual(1);
      } finally {
        await later.dispose();
      }
      await signInByApi(dasha.context, 'dasha');
      await signInByApi(baoyu.context, 'baoyu');

      // …大傻 grabs him from the pool, and he pays a deposit.
      await grabInPool(dasha.page, longtai, '十五天未成单');
      const managerLater = await apiSession('manager');
      const [klass] = (await managerLater.get<Page_<{ id: number }>>('/api/classes?pageSize=1')).items;
      await managerLater.dispose();
      const dashaApi = await apiSession('dasha');
      try {
        await dashaApi.send('POST', '/api/payments', {
          customerId: longtai.id,
          classId: klass!.id,
          payType: 'deposit',
          paidFee: '2000',
        });
      } finally {
        await dashaApi.dispose();
      }
      await dasha.page.goto('/my-customers?status=enrolled');
      await tableRows(dasha.page).filter({ hasText: '龙泰' }).first().waitFor();
      await dasha.page.screenshot({ path: resultsPath('story-enrolled.png'), fullPage: true });

      // 暴雨's list keeps the period he lost, released.
      await baoyu.page.goto('/my-customers?status=released_no_followup,released_no_deal,reassigned');
      await tableRows(baoyu.page).filter({ hasText: '龙泰' }).first().waitFor();
    } finally {
      await admin.send('DELETE', '/api/test/clock');
      await baoyu.context.close();
      await dasha.context.close();
    }
  });
});
