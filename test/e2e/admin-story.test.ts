import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { notificationEvent } from '../../server/db/schema/enums.ts';
import { browserTests, type ListPage, poll, resultsPath, tableRows } from './browser.ts';
import { expectNoRawCodes, type PageWatch, watchPage } from './watch.ts';

/**
 * Issue 19, the administrator's story: a new role, its permissions, a new colleague holding it —
 * and then the system pages tell what happened in words: the audit log names each write, its
 * record (a link to it) and who made it; notifications name their events; menus show their icons;
 * permissions show names. Codes only in administrators' tooltips. In Chinese and in English.
 */
type Role = { id: number; code: string; title: string };
type User = { id: number; username: string; name: string };

/** Any event's label, as the server's list of events words it: a new event is matched as it lands. */
const eventLabels = (language: 'zh' | 'en') =>
  new RegExp(
    Object.values(notificationEvent.labels)
      .map((label) => label[language])
      .join('|'),
  );

const { admin, openPage } = browserTests('admin');

const words = {
  'zh-CN': {
    save: '保存',
    teaching: '教学管理',
    roleSaved: '角色已保存',
    created: '创建',
    updated: '修改',
    role: '角色',
    user: '用户',
    changedPermissions: '修改了：权限',
    onlyRecord: '只显示一条记录',
    anEvent: eventLabels('zh'),
    sales: '销售管理',
    customersPermission: '客户管理',
  },
  en: {
    save: 'Save',
    teaching: 'Teaching',
    roleSaved: 'Role saved',
    created: 'Created',
    updated: 'Updated',
    role: 'Roles',
    user: 'Users',
    changedPermissions: 'Changed: Permissions',
    onlyRecord: 'Showing one record',
    anEvent: eventLabels('en'),
    sales: 'Sales',
    // The Title column (the Chinese title, data like its English twin beside it) carries the code.
    customersPermission: '客户管理',
  },
} as const;

/** Goes to a page, waits for its table, and holds it to the story's promises. */
async function visit(page: Page, watch: PageWatch, path: string): Promise<void> {
  await page.goto(path);
  await tableRows(page).first().waitFor();
  await expectNoRawCodes(page);
  watch.check();
}

/** Hovering `target` shows an administrator `code` in its tooltip. */
async function expectTooltip(page: Page, target: ReturnType<Page['locator']>, code: string): Promise<void> {
  await target.hover();
  await page.locator('.ant-tooltip-container').getByText(code, { exact: true }).waitFor();
  await page.mouse.move(0, 0);
}

describe.each(['zh-CN', 'en'] as const)('the administrator, in %s', (language) => {
  const w = words[language];

  test('creates a role, grants it, gives it to a new user, and reads it all back in words', async () => {
    const stamp = `${language === 'en' ? 'en' : 'zh'}${Date.now().toString(36)}`;
    const roleTitle = `E2E教务${stamp}`;
    const roleCode = `e2e_${stamp}`;
    const userName = `E2E同事${stamp}`;
    const username = `e2e.${stamp}`;
    const { context, page } = await openPage('admin', { language });
    const watch = watchPage(page);
    try {
      // A new role; its permissions are granted on the page it opens into.
      await visit(page, watch, '/system/roles');
      await page.getByTestId('resource-add').click();
      const form = page.getByTestId('resource-form');
      await form.locator('#code').fill(roleCode);
      await form.locator('#title').fill(roleTitle);
      await page.getByTestId('resource-form-submit').click();
      await page.waitForURL((url) => /^\/system\/roles\/\d+$/.test(url.pathname));
      await page.getByTestId('role-save').waitFor();
      await page.locator('.ant-card-head').getByText(w.teaching, { exact: true }).click();
      await page.getByTestId('role-save').click();
      await page.locator('.ant-message').getByText(w.roleSaved, { exact: true }).waitFor();
      await expectNoRawCodes(page);
      watch.check();
      const [role] = (await admin.get<ListPage<Role>>(`/api/roles?code=${roleCode}`)).items;
      if (!role) throw new Error('the role was not created');

      // A colleague holding it.
      await visit(page, watch, '/system/users');
      await page.getByTestId('resource-add').click();
      await form.locator('#username').fill(username);
      await form.locator('#name').fill(userName);
      await form.locator('#password').fill('e2e-password-1');
      await form.locator('#roleIds').click();
      await form.locator('#roleIds').fill(roleTitle);
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .getByText(roleTitle)
        .click();
      // (Not Escape: that would close the drawer.)
      await form.locator('#name').click();
      await page.getByTestId('resource-form-submit').click();
      await form.waitFor({ state: 'hidden' });
      await tableRows(page).getByText(userName, { exact: true }).waitFor();
      watch.check();

      // The audit log, newest first: the user created, the role granted, the role created — in
      // words, by 管理员, each record a link to it.
      await visit(page, watch, '/system/audit-log');
      const rows = tableRows(page);
      const row = (n: number) => rows.nth(n);
      await poll(async () => (await row(0).innerText()).includes(userName)).toBe(true);
      expect(await row(0).innerText()).toMatch(new RegExp(`管理员[\\s\\S]*${w.created}[\\s\\S]*${w.user}`));
      expect(await row(1).innerText()).toContain(roleTitle);
      expect(await row(1).innerText()).toContain(w.updated);
      expect(await row(1).innerText()).toContain(w.changedPermissions);
      expect(await row(2).innerText()).toContain(roleTitle);
      expect(await row(2).innerText()).toContain(w.created);
      await page.screenshot({ path: resultsPath(`admin-story-audit-${language}.png`) });
      // Codes are there for the administrator, in tooltips only.
      await expectTooltip(page, row(0).locator('[data-code="create"]'), 'create');
      await expectTooltip(page, row(0).locator('[data-code="users"]'), 'users');

      // The user's record link opens the users list showing that user alone.
      await row(0).getByRole('link', { name: userName }).click();
      await page.waitForURL((url) => url.pathname === '/system/users' && url.searchParams.has('id'));
      await poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(userName);
      await page.getByTestId('filter-one-record').getByText(w.onlyRecord).waitFor();
      await expectNoRawCodes(page);
      watch.check();
      // The role's link opens the role's own page.
      await visit(page, watch, '/system/audit-log');
      await row(2).getByRole('link', { name: roleTitle }).click();
      await page.waitForURL((url) => url.pathname === `/system/roles/${role.id}`);
      await page.getByTestId('role-save').waitFor();
      await expectNoRawCodes(page);
      watch.check();

      // Notifications name their events; menus show their icons; permissions their names.
      await visit(page, watch, '/system/notifications');
      expect(await tableRows(page).first().innerText()).toMatch(w.anEvent);
      await visit(page, watch, '/system/menus');
      const sales = tableRows(page).filter({ hasText: w.sales });
      expect(await sales.locator('.anticon-dollar').count()).toBe(1);
      expect(await page.locator('body').innerText()).not.toContain('DollarOutlined');
      await expectTooltip(page, sales.locator('[data-code="DollarOutlined"]'), 'DollarOutlined');
      await visit(page, watch, '/system/permissions');
      const first = tableRows(page).first();
      expect(await first.innerText()).not.toContain('customer.list');
      await expectTooltip(
        page,
        first.getByText(w.customersPermission, { exact: true }).first(),
        'customer.list',
      );
      await page.screenshot({ path: resultsPath(`admin-story-permissions-${language}.png`) });
      watch.check();
    } finally {
      await context.close();
      const [user] = (await admin.get<ListPage<User>>(`/api/users?username=${username}`)).items;
      if (user) await admin.send('DELETE', `/api/users/${user.id}`);
      const [role] = (await admin.get<ListPage<Role>>(`/api/roles?code=${roleCode}`)).items;
      if (role) await admin.send('DELETE', `/api/roles/${role.id}`);
    }
  });
});
