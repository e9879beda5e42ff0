import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests, type ListPage, poll, resultsPath, tableRows } from './browser.ts';

type Customer = { id: number; name: string; status: string; consultant: { id: number; name: string } | null };
type Page_<T> = ListPage<T>;

const { manager, openPage } = browserTests('manager');

const rows = tableRows;
const message = (page: Page, text: string) => page.locator('.ant-message').getByText(text, { exact: true });
/** The open dropdown of a select (antd keeps closed ones in the page, hidden). */
const dropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
/** A filter of the list's filter bar, by the placeholder that names it. */
const filter = (page: Page, title: string): Locator =>
  page.locator('.ant-select').filter({ has: page.locator('.ant-select-placeholder', { hasText: title }) });

/** Ticks options of a multiple select with the mouse, scrolling its list to each one as needed. */
async function pick(page: Page, select: Locator, labels: string[]): Promise<void> {
  await select.click();
  const list = dropdown(page);
  for (const label of labels) {
    const exactly = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const option = list.locator('.ant-select-item-option').filter({ hasText: exactly });
    for (let scrolls = 0; (await option.count()) === 0; scrolls++) {
      if (scrolls > 20) throw new Error(`no option ${label}`);
      await list.locator('.ant-select-dropdown-list-holder').hover();
      await page.mouse.wheel(0, 120);
    }
    await option.click();
  }
  await page.keyboard.press('Escape');
}

/** Types into a remote select (a ref to another resource), which searches that resource on the server. */
async function typeInto(page: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  await page.keyboard.type(text);
}

/** Waits for the list to report this many rows in all ("共 48 条"). */
const shows = (page: Page, total: number) =>
  page.locator('.ant-pagination-total-text').getByText(`共 ${total} 条`, { exact: true }).waitFor();

/** Waits for the pagination to mark page 2 as the current one. */
const onPage2 = (page: Page) =>
  page.locator('.ant-pagination-item-active').getByText('2', { exact: true }).waitFor();

/** The list's filters and page as the URL holds them. */
const listParams = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

describe('the customers list and a customer’s page', () => {
  test('a manager filters, pages, edits, opens a customer and comes back to the same place, then exports', async () => {
    // Arrange through the API: two sources and one consultant that leave more than one page of ten.
    const find = (query: string) => manager.get<Page_<Customer>>(`/api/customers?${query}`);
    const bySource = 'source=baidu,seo';
    const all = await find(`${bySource}&pageSize=200`);
    const consultantId = String(all.items.find((c) => c.consultant?.name === '三江')?.consultant?.id);
    expect(consultantId, '三江 owns Baidu or SEO customers in the demo data').toMatch(/^\d+$/);
    const byConsultant = `${bySource}&consultantId=${consultantId}`;
    // A keyword too, as long as page 2 still exists: "1" is in most phone numbers and QQs.
    const keyword = (await find(`${byConsultant}&q=1&pageSize=1`)).total > 10 ? '1' : '';
    const filtered = keyword ? `${byConsultant}&q=${keyword}` : byConsultant;
    const total = (await find(`${filtered}&pageSize=1`)).total;
    expect(total, 'the filters leave a page 2 at ten a page').toBeGreaterThan(10);

    const { context, page } = await openPage('manager');
    await page.goto('/customers');
    await rows(page).first().waitFor();

    // Filter through the filter bar as a user does, each time waiting for the list to show the
    // result before making the next change.
    await pick(page, filter(page, '来源'), ['百度推广', 'SEO']);
    await page.waitForURL((url) => url.searchParams.get('source') === 'baidu,seo');
    await shows(page, all.total);
    const lookup = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return url.pathname === '/api/options/users' && url.searchParams.get('q') === '三江';
    });
    await typeInto(page, filter(page, '课程顾问'), '三江');
    expect((await lookup).status(), 'whoever filters customers may look their consultants up').toBe(200);
    await dropdown(page).locator('.ant-select-item-option').filter({ hasText: '三江' }).first().click();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.searchParams.get('consultantId') === consultantId);
    if (keyword) {
      await shows(page, (await find(`${byConsultant}&pageSize=1`)).total);
      const box = page.locator('input[aria-label="搜索"]');
      await box.fill(keyword);
      await box.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === keyword);
    }
    await shows(page, total);

    // Ten a page, then page 2.
    await page.locator('.ant-pagination-options .ant-select').click();
    await dropdown(page).getByText('10 条/页', { exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('pageSize') === '10');
    await page.locator('.ant-pagination-item-2').click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    const listed = {
      source: 'baidu,seo',
      consultantId,
      ...(keyword ? { q: keyword } : {}),
      pageSize: '10',
      page: '2',
    };
    expect(listParams(page)).toEqual(listed);
    const target = (await find(`${filtered}&pageSize=10&page=2`)).items[0];
    if (!target) throw new Error('page 2 is empty');
    await rows(page).filter({ hasText: target.name }).first().waitFor();
    await onPage2(page);
    await page.screenshot({ path: resultsPath('customers-filtered.png'), fullPage: true });

    // bulk action: added with the reassign action (issue 5)

    // Edit that customer in the drawer: the list stays on page 2 with its filters.
    let handedId: number | null = null;
    const renamed = `E2E客户${Date.now().toString(36)}1`; // the "1" keeps it under the keyword
    try {
      const row = rows(page).filter({ hasText: target.name }).first();
      await row.getByRole('button', { name: '编辑' }).click();
      const drawer = page.getByTestId('resource-form');
      const name = drawer.locator('#name');
      await poll(() => name.inputValue()).toBe(target.name);
      await name.fill(renamed);
      await page.getByTestId('resource-form-submit').click();
      await message(page, '已保存').waitFor();
      await drawer.waitFor({ state: 'hidden' });
      await rows(page).getByText(renamed, { exact: true }).waitFor();
      expect(listParams(page)).toEqual(listed);

      // Its page shows the edit in the timeline; the back link returns to the same list.
      await rows(page).filter({ hasText: renamed }).getByRole('link', { name: /详情/ }).click();
      await page.waitForURL((url) => url.pathname === `/customers/${target.id}`);
      await page.getByRole('heading', { name: renamed }).waitFor();
      const timeline = page.getByTestId('customer-timeline');
      await timeline.getByText('修改：姓名', { exact: true }).first().waitFor();
      await page.screenshot({ path: resultsPath('customer-detail.png'), fullPage: true });
      await page.getByTestId('customer-back').click();
      await page.waitForURL((url) => url.pathname === '/customers');
      expect(listParams(page)).toEqual(listed);
      await rows(page).getByText(renamed, { exact: true }).waitFor();
      await onPage2(page);

      // Export: the filtered list (every page of it) as an .xlsx file.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /导\s?出/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const exported = new URL(download.url());
      expect(exported.pathname).toBe('/api/customers/export');
      expect(exported.searchParams.get('source')).toBe('baidu,seo');
      expect(exported.searchParams.get('consultantId')).toBe(consultantId);
      expect(exported.searchParams.has('page')).toBe(false);

      // Bulk action: hand the last customer of page 2 to 暴雨 (转交); it leaves 三江's list and the
      // list keeps its filters.
      // (Enrolled customers keep their consultant: pick one still being followed.)
      const handed = (await find(`${filtered}&pageSize=10&page=2`)).items.findLast(
        (c) => c.status === 'unregistered',
      );
      if (!handed) throw new Error('page 2 has no unregistered customer to hand on');
      handedId = handed.id;
      const handedRow = rows(page).filter({ hasText: handed.name }).first();
      await handedRow.locator('.ant-checkbox-input').check();
      await page.getByTestId('bulk-actions').click();
      await page.locator('.ant-dropdown-menu').getByText('转交', { exact: true }).click();
      const modal = page.locator('.ant-modal').filter({ hasText: '转交' });
      await typeInto(page, modal.locator('.ant-select').first(), '暴雨');
      // The filter bar's consultant list is still in the page: take the option that is showing.
      await page
        .locator('.ant-select-item-option:visible')
        .filter({ hasText: /^暴雨$/ })
        .click();
      await modal.locator('#reason').fill('三江本周休假');
      await modal.getByRole('button', { name: /^转\s?交$/ }).click();
      await message(page, '「转交」已完成，共 1 项').waitFor();
      await handedRow.waitFor({ state: 'detached' });
      expect(listParams(page)).toMatchObject({ source: 'baidu,seo', consultantId });
      await context.close();
    } finally {
      await manager.send('PATCH', `/api/customers/${target.id}`, { name: target.name });
      if (handedId !== null) {
        await manager.send('POST', '/api/customers/actions/reassign', {
          ids: [handedId],
          consultantId: Number(consultantId),
          reason: '休假结束',
        });
      }
    }
  });
});
