import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests, type ListPage, poll, resultsPath, tableRows } from './browser.ts';

type Role = { id: number; code: string; title: string; permissionCodes: string[] };
type User = { id: number; username: string; phone: string | null; active: boolean };
type Page_<T> = ListPage<T>;

const { admin, openPage } = browserTests('admin');

async function roleByCode(code: string): Promise<Role> {
  const roles = await admin.get<Page_<Role>>(`/api/roles?code=${code}`);
  const role = roles.items[0];
  if (!role) throw new Error(`no role ${code}`);
  return role;
}

async function userByUsername(username: string): Promise<User> {
  const users = await admin.get<Page_<User>>(`/api/users?username=${username}`);
  const user = users.items[0];
  if (!user) throw new Error(`no user ${username}`);
  return user;
}

const sider = (page: Page) => page.locator('.ant-layout-sider');
const rows = tableRows;
const message = (page: Page, text: string) => page.locator('.ant-message').getByText(text, { exact: true });

/** The card of one menu group in the role matrix. */
const groupCard = (page: Page, title: string) =>
  page.locator('.ant-card').filter({ has: page.locator('.ant-card-head', { hasText: title }) });

async function openRoleMatrix(page: Page, code: string, title: string): Promise<void> {
  await page.goto('/system/roles');
  await page.getByTestId(`role-permissions-${code}`).click();
  await page.waitForURL((url) => /^\/system\/roles\/\d+$/.test(url.pathname));
  await page.getByText(`角色授权：${title}`, { exact: true }).waitFor();
}

describe('roles and their permissions', () => {
  test('granting a whole menu group to a role shows it in its holders’ menu, and taking it away hides it', async () => {
    const consultant = await roleByCode('consultant');
    try {
      const { context, page } = await openPage('admin');
      await openRoleMatrix(page, 'consultant', '课程顾问');
      const teaching = groupCard(page, '教学管理');
      const selectAll = teaching.locator('.ant-card-head .ant-checkbox-input');
      expect(await selectAll.isChecked()).toBe(false);
      await selectAll.check();
      expect(await teaching.locator('.ant-card-body .ant-checkbox-input:not(:checked)').count()).toBe(0);
      await page.screenshot({ path: resultsPath('admin-role-matrix.png'), fullPage: true });
      await page.getByTestId('role-save').click();
      await message(page, '角色已保存').waitFor();

      const granted = await roleByCode('consultant');
      expect(granted.permissionCodes).toContain('class.list');
      expect(granted.permissionCodes).toContain('study_record.update');

      const seller = await openPage('sanjiang');
      await seller.page.goto('/');
      await sider(seller.page).getByText('教学管理', { exact: true }).waitFor();

      // Take it away again: the group's select-all unticks every permission in it.
      await selectAll.uncheck();
      expect(await teaching.locator('.ant-card-body .ant-checkbox-input:checked').count()).toBe(0);
      await page.getByTestId('role-save').click();
      // (The first save's message may still be showing: wait for the saved state instead.)
      await poll(async () => (await roleByCode('consultant')).permissionCodes.sort()).toEqual(
        [...consultant.permissionCodes].sort(),
      );
      await poll(() => page.getByTestId('role-save').isDisabled()).toBe(true);

      await seller.page.reload();
      await sider(seller.page).getByText('销售管理', { exact: true }).waitFor();
      expect(await sider(seller.page).getByText('教学管理', { exact: true }).count()).toBe(0);
      await seller.context.close();
      await context.close();
    } finally {
      await admin.send('PATCH', `/api/roles/${consultant.id}`, {
        permissionCodes: consultant.permissionCodes,
      });
    }
  });

  test('taking role administration from the only role that has it is refused with a clear message', async () => {
    const before = await roleByCode('admin');
    const { context, page } = await openPage('admin');
    await openRoleMatrix(page, 'admin', '超级管理员');
    await groupCard(page, '系统管理').locator('.ant-card-head .ant-checkbox-input').uncheck();
    await page.getByTestId('role-save').click();
    await page.locator('.ant-alert-error').getByText('至少保留一名可管理角色的启用用户').waitFor();
    expect((await roleByCode('admin')).permissionCodes).toEqual(before.permissionCodes);
    await context.close();
  });

  test('a role’s page is gated like the roles list: a consultant gets 403 and no System menu', async () => {
    const { context, page } = await openPage('sanjiang');
    await page.goto('/system/users');
    await page.getByText('无权访问此页面', { exact: true }).waitFor();
    expect(await sider(page).getByText('系统管理', { exact: true }).count()).toBe(0);
    await page.goto(`/system/roles/${(await roleByCode('consultant')).id}`);
    await page.getByText('无权访问此页面', { exact: true }).waitFor();
    await context.close();
  });
});

describe('the users list', () => {
  test('search narrows the list and stays in the URL; editing a phone shows in the row', async () => {
    const sanjiang = await userByUsername('sanjiang');
    try {
      const { context, page } = await openPage('admin');
      await page.goto('/system/users');
      await rows(page).first().waitFor();
      expect(await rows(page).count()).toBe(8);
      await page.screenshot({ path: resultsPath('admin-users.png'), fullPage: true });

      const search = page.locator('input[aria-label="搜索"]');
      await search.fill('sanjiang');
      await search.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === 'sanjiang');
      await poll(() => rows(page).count()).toBe(1);
      expect(await rows(page).first().textContent()).toContain('三江');

      // The list state lives in the URL: a reload lands on the same filtered list.
      await page.reload();
      await rows(page).first().waitFor();
      await poll(() => rows(page).count()).toBe(1);
      expect(await search.inputValue()).toBe('sanjiang');

      await rows(page).first().getByRole('button', { name: '编辑' }).click();
      const drawer = page.getByTestId('resource-form');
      const phone = drawer.locator('#phone');
      await phone.waitFor();
      expect(await phone.inputValue()).toBe(sanjiang.phone);
      await phone.fill('13800138000');
      await page.waitForTimeout(400); // let the drawer finish sliding in before the picture
      await page.screenshot({ path: resultsPath('admin-user-form.png') });
      await page.getByTestId('resource-form-submit').click();
      await message(page, '已保存').waitFor();
      await drawer.waitFor({ state: 'hidden' });
      await rows(page).first().getByText('13800138000', { exact: true }).waitFor();
      expect((await userByUsername('sanjiang')).phone).toBe('13800138000');
      expect(new URL(page.url()).searchParams.get('q')).toBe('sanjiang');
      await context.close();
    } finally {
      await admin.send('PATCH', `/api/users/${sanjiang.id}`, { phone: sanjiang.phone });
    }
  });

  test('an administrator cannot disable himself, and is told why', async () => {
    const { context, page } = await openPage('admin');
    await page.goto('/system/users?q=admin');
    await poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().locator('td').nth(1).textContent()).toBe('admin');
    await rows(page).first().locator('.ant-checkbox-input').check();
    await page.getByText('已选 1 项', { exact: true }).waitFor();
    await page.getByTestId('bulk-actions').click();
    await page.locator('.ant-dropdown-menu').getByText('停用', { exact: true }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm
      .locator('.ant-modal-confirm-title')
      .getByText('确定对选中的 1 项执行「停用」吗？')
      .waitFor();
    await confirm.locator('.ant-modal-confirm-btns .ant-btn-dangerous').click();
    await message(page, '不能停用你自己的账号').waitFor();
    expect((await userByUsername('admin')).active).toBe(true);
    await context.close();
  });

  test('Export downloads the list as it is filtered', async () => {
    const { context, page } = await openPage('admin');
    await page.goto('/system/users?q=sanjiang&sort=-name');
    await poll(() => rows(page).count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导\s?出/ }).click(),
    ]);
    const url = new URL(download.url());
    expect(url.pathname).toBe('/api/users/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'sanjiang', sort: '-name', lang: 'zh' });
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    await context.close();
  });

  test('a taken username is shown beside the username field', async () => {
    const { context, page } = await openPage('admin');
    await page.goto('/system/users');
    await page.getByRole('button', { name: '新建' }).click();
    const drawer = page.getByTestId('resource-form');
    await drawer.locator('#username').fill('sanjiang');
    await drawer.locator('#name').fill('又一个三江');
    await drawer.locator('#password').fill('sanjiang');
    await page.getByTestId('resource-form-submit').click();
    // The password rule is checked before anything is sent…
    await drawer.getByText('密码不能与用户名相同', { exact: true }).waitFor();
    await drawer.locator('#password').fill('a-long-password');
    await page.getByTestId('resource-form-submit').click();
    // …the taken username only by the server, and its answer lands beside the field.
    await drawer.locator('#username_help').getByText('用户名「sanjiang」已被占用').waitFor();
    expect((await admin.get<Page_<User>>('/api/users')).total).toBe(8);
    await context.close();
  });
});

describe('the menus page', () => {
  test('moving a group down reorders the side menu at once', async () => {
    type Menu = { id: number; title: string };
    const before = (await admin.get<Page_<Menu>>('/api/menus?sort=sort&pageSize=200')).items;
    try {
      const { context, page } = await openPage('admin');
      await page.goto('/system/menus');
      const groups = sider(page).locator('.ant-menu-submenu-title');
      await groups.first().waitFor();
      expect(await groups.allTextContents()).toEqual(before.map((menu) => menu.title));
      await rows(page).first().getByRole('button', { name: '下移' }).click();
      await message(page, '菜单顺序已更新').waitFor();
      const [first, second, ...rest] = before.map((menu) => menu.title);
      await poll(() => groups.allTextContents()).toEqual([second, first, ...rest]);
      await context.close();
    } finally {
      await admin.send('POST', '/api/menus/actions/reorder', { ids: before.map((menu) => menu.id) });
    }
  });
});
