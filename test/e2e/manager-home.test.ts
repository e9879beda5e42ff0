import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests, poll, resultsPath } from './browser.ts';
import { expectNoRawCodes, watchPage } from './watch.ts';

/**
 * The manager's story (issue 19): the home page shows the team's figures, labelled as the team's
 * (not his own zeros); on 销售权重 he sets a consultant's weight and daily quota (put back after);
 * the month's 业绩报表 lists only the people who sell, not the administrator or himself.
 */
type Figures = {
  following: number;
  expiringWithinDay: number;
  grabbedThisMonth: number;
  enrolledThisMonth: number;
};
type Row = { consultant: { id: number; name: string } };
type Dashboard = { mine?: Figures; teamSummary?: Figures; team?: Row[] };
type Rank = {
  id: number;
  consultantId: number;
  weight: number;
  dailyQuota: number;
  active: boolean;
  consultant: { name: string };
};

const { manager, openPage } = browserTests('manager');

const words = {
  'zh-CN': {
    team: {
      following: '团队正在跟进',
      expiringWithinDay: '团队24小时内到期',
      grabbedThisMonth: '团队本月抢单',
      enrolledThisMonth: '团队本月报名',
    },
    saved: '已保存',
    total: '合计',
  },
  en: {
    team: {
      following: 'Team: following',
      expiringWithinDay: 'Team: due within 24 hours',
      grabbedThisMonth: 'Team: grabbed this month',
      enrolledThisMonth: 'Team: enrolled this month',
    },
    saved: 'Saved',
    total: 'Total',
  },
} as const;

/** Staff who do not sell: the report and the team's table must not list them at zero. */
const OVERSEERS = ['管理员', '王经理'];
const message = (page: Page) => page.locator('.ant-message');

describe("the manager's home, weights and report", () => {
  for (const language of ['zh-CN', 'en'] as const) {
    test(`shows the team's figures, sets a weight and a quota, and reports only sellers (${language})`, async () => {
      const w = words[language];
      const { context, page } = await openPage('manager', { language });
      const watch = watchPage(page);
      const ranks = (await manager.get<{ items: Rank[] }>('/api/sale-ranks?pageSize=200')).items;
      const target = ranks.find((rank) => rank.active);
      if (!target) throw new Error('no active sale rank in the demo');
      try {
        // Home: the team's four figures, titled as the team's; no row of the manager's own zeros.
        const dashboard = await manager.get<Dashboard>('/api/dashboard');
        expect(dashboard.mine).toBeUndefined();
        await page.goto('/');
        for (const [key, title] of Object.entries(w.team)) {
          const card = page.getByTestId(`dashboard-team-${key}`);
          await card.getByText(title, { exact: true }).waitFor();
          expect(await card.locator('.ant-statistic-content-value').innerText()).toBe(
            String(dashboard.teamSummary![key as keyof Figures]),
          );
        }
        expect(await page.getByTestId('dashboard-following').count()).toBe(0);
        const team = page.getByTestId('dashboard-team');
        await team.locator('tr.ant-table-row').first().waitFor();
        const teamNames = await team.locator('tr.ant-table-row td:first-child').allInnerTexts();
        expect(teamNames.sort()).toEqual(dashboard.team!.map((row) => row.consultant.name).sort());
        for (const name of OVERSEERS) expect(teamNames).not.toContain(name);
        await expectNoRawCodes(page);
        await page.screenshot({ path: resultsPath(`manager-home-${language}.png`), fullPage: true });
        watch.check();

        // 销售权重: a new weight and quota, saved as the cells are left.
        await page.goto('/sale-ranks');
        const weight = page.getByTestId(`sale-rank-weight-${target.id}`);
        const quota = page.getByTestId(`sale-rank-quota-${target.id}`);
        await weight.waitFor();
        const newWeight = target.weight + 2;
        const newQuota = target.dailyQuota + 5;
        await weight.fill(String(newWeight));
        await weight.press('Enter');
        await message(page).getByText(w.saved, { exact: true }).first().waitFor();
        await quota.fill(String(newQuota));
        await quota.press('Tab');
        await poll(async () => {
          const saved = await manager.get<Rank>(`/api/sale-ranks/${target.id}`);
          return [saved.weight, saved.dailyQuota];
        }).toEqual([newWeight, newQuota]);
        // What is left of today's quota follows the new quota on screen.
        const { assignedToday } = await manager.get<{ assignedToday: number }>(
          `/api/sale-ranks/${target.id}`,
        );
        await poll(() => page.getByTestId(`sale-rank-remaining-${target.id}`).innerText()).toBe(
          String(Math.max(0, newQuota - assignedToday)),
        );
        await expectNoRawCodes(page);
        watch.check();

        // 业绩报表 for this month: the people who sell, and nobody who only oversees.
        await page.goto('/reports/performance');
        const report = await manager.get<{ items: Row[] }>('/api/reports/performance');
        const table = page.getByTestId('performance-table');
        await table.locator('tr.ant-table-row').first().waitFor();
        const names = await table.locator('tr.ant-table-row td:first-child').allInnerTexts();
        expect(names.sort()).toEqual(report.items.map((row) => row.consultant.name).sort());
        for (const name of ['三江', '暴雨', '大傻']) expect(names).toContain(name);
        for (const name of OVERSEERS) expect(names).not.toContain(name);
        await expectNoRawCodes(page);
        watch.check();
      } finally {
        await manager.send('PATCH', `/api/sale-ranks/${target.id}`, {
          weight: target.weight,
          dailyQuota: target.dailyQuota,
        });
        await context.close();
      }
    });
  }
});
