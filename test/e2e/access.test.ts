import { describe, expect, test } from 'vitest';
import { apiSession, browserTests, fetchMenus, poll } from './browser.ts';

const { openPage } = browserTests();

describe('pages a user may and may not open', () => {
  test('a consultant opening a system page sees 403, and has no System menu', async () => {
    const { context, page } = await openPage('sanjiang');
    const menus = await fetchMenus(context);
    expect(menus.flatMap((group) => group.items).some((item) => item.path === '/system/users')).toBe(false);

    await page.goto('/system/users');
    await page.getByText('无权访问此页面', { exact: true }).waitFor();
    expect(await page.locator('.ant-result-403').count()).toBe(1);
    expect(await page.locator('.ant-layout-sider').getByText('系统管理', { exact: true }).count()).toBe(0);
    await context.close();
  });

  test('an unknown address shows 404 inside the shell', async () => {
    const { context, page } = await openPage('sanjiang');
    await page.goto('/no-such-page');
    await page.getByText('页面不存在', { exact: true }).waitFor();
    expect(await page.locator('.ant-result-404').count()).toBe(1);
    await page.locator('.ant-layout-sider').waitFor();
    await context.close();
  });

  test('a page below another in the menu opens under its own title, highlighted in the side menu', async () => {
    const { context, page } = await openPage('manager');
    // /customers/import sits below /customers: the menu must pick the import page, not the list.
    const entry = (await fetchMenus(context))
      .flatMap((m) => m.items)
      .find((item) => item.path === '/customers/import');
    expect(entry, 'a manager has the import page').toBeDefined();
    await page.goto(entry?.path ?? '/');
    await page
      .locator('h4')
      .getByText(entry?.title ?? '', { exact: true })
      .waitFor();
    const selected = page.locator('.ant-layout-sider .ant-menu-item-selected');
    expect(await selected.textContent()).toBe(entry?.title);
    await context.close();
  });

  test('a grant taken away leaves the menu at the next navigation, without a reload', async () => {
    const admin = await apiSession('admin');
    type Role = { id: number; code: string; permissionCodes: string[] };
    const [consultant] = (await admin.get<{ items: Role[] }>('/api/roles?pageSize=100')).items.filter(
      (role) => role.code === 'consultant',
    );
    if (!consultant) throw new Error('the demo has no consultant role');
    const { context, page } = await openPage('sanjiang');
    const followUps = page.locator('.ant-layout-sider').getByText('跟进记录', { exact: true });
    try {
      await page.goto('/my-customers');
      await followUps.waitFor();
      await admin.send('PATCH', `/api/roles/${consultant.id}`, {
        permissionCodes: consultant.permissionCodes.filter((code) => code !== 'consult_record.list'),
      });
      // No reload: the next page opened inside the app reads the grants again.
      await page.locator('.ant-layout-sider').getByText('公共客户池', { exact: true }).click();
      await poll(() => followUps.count()).toBe(0);
      await page.goto('/consult-records');
      await page.getByText('无权访问此页面', { exact: true }).waitFor();
    } finally {
      await admin.send('PATCH', `/api/roles/${consultant.id}`, {
        permissionCodes: consultant.permissionCodes,
      });
      await admin.dispose();
      await context.close();
    }
  });
});
