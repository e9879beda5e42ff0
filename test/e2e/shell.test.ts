import { describe, expect, test } from 'vitest';
import { browserTests, fetchMenus, resultsPath, tableRows } from './browser.ts';

const { openPage } = browserTests();

describe('the signed-in shell', () => {
  test('an administrator signs in and sees the System menu with its pages', async () => {
    const { context, page } = await openPage();
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('demo1234');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/');

    const menus = await fetchMenus(context);
    const system = menus.find((group) => group.title === '系统管理');
    expect(system, 'the server sends the admin a 系统管理 group').toBeDefined();
    const sider = page.locator('.ant-layout-sider');
    await sider.getByText('系统管理', { exact: true }).click();
    for (const item of system?.items ?? []) {
      await sider.locator(`a[href="${item.path}"]`).waitFor();
      expect(await sider.locator(`a[href="${item.path}"]`).textContent()).toBe(item.title);
    }
    // The home page offers a card for every page in the menus.
    const pageCount = menus.reduce((count, group) => count + group.items.length, 0);
    await page.locator('main .ant-card').first().waitFor();
    expect(await page.locator('main a[href^="/"]').count()).toBe(pageCount);

    await page.screenshot({ path: resultsPath('shell.png') });
    await context.close();
  });

  test('switching to English translates the menu and the shell, and is remembered', async () => {
    const { context, page } = await openPage('admin');
    await page.goto('/');
    await page.locator('.ant-layout-sider').getByText('首页', { exact: true }).waitFor();

    await page.getByText('English', { exact: true }).click();
    const sider = page.locator('.ant-layout-sider');
    await sider.getByText('Home', { exact: true }).waitFor();
    for (const group of await fetchMenus(context)) {
      await sider.getByText(group.titleEn, { exact: true }).waitFor();
    }
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('user-menu').click();
    await page.getByText('Sign out', { exact: true }).waitFor();

    await page.reload();
    await page.locator('.ant-layout-sider').getByText('Home', { exact: true }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('crm_lang'))).toBe('en');
    await context.close();
  });

  test('signing out ends the session and lands on the sign-in page', async () => {
    const { context, page } = await openPage('admin');
    await page.goto('/customers');
    await page.locator('.ant-table-row').first().waitFor();

    await page.getByTestId('user-menu').click();
    // The menu slides open, and 我的资料 sits right above 退出登录: on a busy machine a click
    // taken while it still moves can land on the item above. Click once it has settled.
    const signOut = page.getByRole('menuitem', { name: '退出登录' });
    await signOut.waitFor();
    await page.waitForFunction(
      () => !document.querySelector('.ant-dropdown[class*="-enter"], .ant-dropdown[class*="-appear"]'),
    );
    await signOut.click();
    // Polled, so that a failure says where the page went instead.
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/login$/);
    expect(new URL(page.url()).search).toBe('');
    await page.locator('#username').waitFor();

    // The server forgot the session too: the app sends us back to sign in.
    expect((await context.request.get('/api/auth/me')).status()).toBe(401);
    await page.goto('/customers');
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('next') === '/customers',
    );
    await context.close();
  });

  test("dates and the greeting follow the school's time zone, not the browser's", async () => {
    // Los Angeles is 16 hours behind Shanghai: a browser there reads another day and hour.
    const { context, page } = await openPage('admin', { timezoneId: 'America/Los_Angeles' });
    const school = (at: Date, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour12: false, ...options }).format(at);
    await page.goto('/');
    const hour = Number(school(new Date(), { hour: '2-digit' }));
    const greeting = hour < 12 ? '早上好' : hour < 18 ? '下午好' : '晚上好';
    await page.getByRole('heading', { level: 3 }).getByText(greeting).waitFor();

    const users = (await context.request
      .get('/api/users?sort=username&pageSize=1')
      .then((r) => r.json())) as {
      items: { username: string; createdAt: string }[];
    };
    const first = users.items[0];
    if (!first) throw new Error('no users');
    const at = new Date(first.createdAt);
    const [day, month, year] = school(at, { day: '2-digit', month: '2-digit', year: 'numeric' }).split('/');
    const expected = `${year}-${month}-${day} ${school(at, { hour: '2-digit', minute: '2-digit' })}`;
    await page.goto('/system/users?sort=username');
    await tableRows(page).first().getByText(expected).waitFor();
    await context.close();
  });
});
