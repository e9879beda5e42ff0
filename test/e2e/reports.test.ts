import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { PerformanceRow } from '../../server/modules/reports/performance.ts';
import { browserTests, poll, resultsPath } from './browser.ts';

/** A consultant's row as the API answers it. */
type Row = PerformanceRow;
type Performance = { month: string; items: Row[] };
type Dashboard = {
  mine?: {
    following: number;
    expiringWithinDay: number;
    grabbedThisMonth: number;
    enrolledThisMonth: number;
  };
  pool?: { total: number };
  team?: Row[];
};

const { manager, openPage } = browserTests('manager');

const tableRow = (page: Page, name: string) =>
  page.getByTestId('performance-table').locator('tr.ant-table-row').filter({ hasText: name });
/** The cells of a consultant's row, as shown: name, received, grabbed, followed up, enrolled, amount. */
const cells = async (page: Page, name: string) =>
  (await tableRow(page, name).locator('td').allInnerTexts()).map((text) => text.trim());
const active = (row: Row) =>
  row.received + row.grabbed + row.followedUp + row.enrolled > 0 || Number(row.amount) !== 0;
const previous = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

describe('month-end performance', () => {
  test('the manager reads the month per consultant as a chart and a table, and switches months', async () => {
    const current = await manager.get<Performance>('/api/reports/performance');
    // The demo is written relative to its start; should this month be empty yet, open the last one.
    const month = current.items.some(active) ? current.month : previous(current.month);
    const { context, page } = await openPage('manager');
    await page.goto(month === current.month ? '/reports/performance' : `/reports/performance?month=${month}`);

    await page.getByTestId('performance-chart').locator('canvas').first().waitFor();
    const shown = await manager.get<Performance>(`/api/reports/performance?month=${month}`);
    for (const name of ['三江', '暴雨', '大傻']) {
      const row = shown.items.find((r) => r.consultant.name === name)!;
      await tableRow(page, name).waitFor();
      expect((await cells(page, name)).slice(0, 5)).toEqual([
        name,
        String(row.received),
        String(row.grabbed),
        String(row.followedUp),
        String(row.enrolled),
      ]);
    }
    await page.getByText('合计', { exact: true }).waitFor();
    expect(await page.locator('.ant-picker input').inputValue()).toBe(month);
    await page.screenshot({ path: resultsPath('reports-performance.png'), fullPage: true });

    // One month back: the URL, the picker and the figures follow.
    const before = previous(month);
    await page.getByTestId('performance-previous').click();
    await poll(() => new URL(page.url()).searchParams.get('month')).toBe(before);
    await poll(() => page.locator('.ant-picker input').inputValue()).toBe(before);
    const earlier = await manager.get<Performance>(`/api/reports/performance?month=${before}`);
    const sanjiang = earlier.items.find((r) => r.consultant.name === '三江')!;
    await poll(async () => (await cells(page, '三江')).slice(1, 4)).toEqual([
      String(sanjiang.received),
      String(sanjiang.grabbed),
      String(sanjiang.followedUp),
    ]);

    // A month long before the demo: everyone listed at zero, and no chart.
    await page.goto('/reports/performance?month=2001-01');
    await page.getByText('这个月还没有业绩').first().waitFor();
    await tableRow(page, '三江').waitFor();
    expect(await cells(page, '三江')).toEqual(['三江', '0', '0', '0', '0', '¥0.00']);
    expect(await page.getByTestId('performance-chart').count()).toBe(0);
    await context.close();
  });

  test('a consultant sees their own dashboard on the home page, and only their own row', async () => {
    const { context, page } = await openPage('sanjiang');
    const mine = ((await (await context.request.get('/api/dashboard')).json()) as Dashboard).mine!;
    await page.goto('/');
    for (const [key, value] of Object.entries(mine)) {
      const card = page.getByTestId(`dashboard-${key}`);
      await card.waitFor();
      expect(await card.locator('.ant-statistic-content-value').innerText()).toBe(String(value));
    }
    await page.getByText('24小时内到期').waitFor();
    if (mine.expiringWithinDay > 0) {
      // Red while anything is about to fall into the pool.
      const colour = (key: string) =>
        page
          .getByTestId(`dashboard-${key}`)
          .locator('.ant-statistic-content')
          .evaluate((el) => getComputedStyle(el).color);
      expect(await colour('expiringWithinDay')).not.toBe(await colour('following'));
    }
    expect(await page.getByTestId('dashboard-pool').count()).toBe(0);
    expect(await page.getByTestId('dashboard-team').count()).toBe(0);
    await page.screenshot({ path: resultsPath('reports-dashboard-consultant.png'), fullPage: true });

    await page.goto('/reports/performance');
    await tableRow(page, '三江').waitFor();
    expect(await page.getByTestId('performance-table').locator('tr.ant-table-row').count()).toBe(1);
    await context.close();
  });

  test("the manager's home page shows the pool and the team's month", async () => {
    const dashboard = await manager.get<Dashboard>('/api/dashboard');
    const { context, page } = await openPage('manager');
    await page.goto('/');
    const pool = page.getByTestId('dashboard-pool');
    await pool.waitFor();
    expect(await pool.locator('.ant-statistic-content-value').innerText()).toBe(
      String(dashboard.pool!.total),
    );
    const team = page.getByTestId('dashboard-team');
    await team.locator('tr.ant-table-row').first().waitFor();
    expect(await team.locator('tr.ant-table-row').first().locator('td').first().innerText()).toBe(
      dashboard.team![0]!.consultant.name,
    );
    await page.screenshot({ path: resultsPath('reports-dashboard-manager.png'), fullPage: true });
    await context.close();
  });
});
