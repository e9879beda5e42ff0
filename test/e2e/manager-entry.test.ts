import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests, chooseImportCsv, type ListPage, poll, resultsPath, tableRows } from './browser.ts';
import { expectNoRawCodes, watchPage } from './watch.ts';

/**
 * Issue 19, the manager's intake in both languages: 录入客户 refuses a phone no school would call
 * (beside the field, by the server's own rule) and takes a good one, saying what kind it is; a lead
 * already on file is refused naming who has it; an import's bad rows read in the page's language.
 */
type Customer = { id: number; name: string; phone: string | null; consultant: { name: string } | null };

const { manager, openPage } = browserTests('manager');

const words = {
  'zh-CN': {
    phoneRule: '手机号为 1 开头的 11 位数字；座机要带区号（如 010-12345678）；境外号码以 + 和国家代码开头',
    mobile: '手机号码',
    landline: '座机',
    abroad: '境外号码',
    added: /^已录入，(分配给 .+|已进入公共池)$/,
    usedBy: (name: string) => `已被「${name}」使用`,
    owner: (consultant: string) => `归属课程顾问 ${consultant}`,
    badPhone: '「12345」不是电话号码：手机号为 1 开头的 11 位数字',
    badQq: '「0123」不是 QQ 号',
    badWechat: '「9abcdef」不是微信号',
  },
  en: {
    phoneRule:
      'A mobile number has 11 digits starting with 1; a landline needs its area code (e.g. 010-12345678); a number abroad starts with + and its country code',
    mobile: 'Mobile',
    landline: 'Landline',
    abroad: 'Abroad',
    added: /^Added(; it went to the public pool| and assigned to .+)$/,
    usedBy: (name: string) => `Already used by “${name}”`,
    owner: (consultant: string) => `consultant ${consultant}`,
    badPhone: '"12345" is not a phone number: a mobile has 11 digits starting with 1',
    badQq: '"0123" is not a QQ number',
    badWechat: '"9abcdef" is not a WeChat ID',
  },
} as const;

/** Eleven-digit mobile numbers no demo customer has. */
function freshPhone(offset: number): string {
  return `137${String(10_000_000 + ((Date.now() + offset * 7_919) % 89_999_999)).padStart(8, '0')}`;
}

const phoneItem = (page: Page) =>
  page
    .getByTestId('resource-form')
    .locator('.ant-form-item')
    .filter({ has: page.locator('#phone') });

describe.each(['zh-CN', 'en'] as const)('the manager’s intake, in %s', (language) => {
  const w = words[language];

  test('single entry, a duplicate, and an import, each refusal in words', async () => {
    const { context, page } = await openPage('manager', { language });
    const watch = watchPage(page);
    const name = `E2E录入${language === 'en' ? 'en' : 'zh'}${Date.now().toString(36)}`;
    try {
      await page.goto('/customers');
      await tableRows(page).first().waitFor();
      await expectNoRawCodes(page);

      // A five-digit "phone": refused beside the field by the server's own rule, nothing sent.
      await page.getByTestId('resource-add').click();
      const form = page.getByTestId('resource-form');
      await form.locator('#name').fill(name);
      await form.locator('#phone').fill('12345');
      await page.getByTestId('resource-form-submit').click();
      await phoneItem(page)
        .locator('.ant-form-item-explain-error')
        .getByText(w.phoneRule, { exact: true })
        .waitFor();
      await expectNoRawCodes(page);
      // A landline and a number abroad are told apart as they are typed; a mobile is taken.
      const kind = form.getByTestId('phone-kind');
      await form.locator('#phone').fill('010-12345678');
      await poll(() => kind.innerText()).toBe(w.landline);
      await form.locator('#phone').fill('+852 9123 4567');
      await poll(() => kind.innerText()).toBe(w.abroad);
      const phone = freshPhone(language === 'en' ? 1 : 0);
      await form.locator('#phone').fill(phone);
      await poll(() => kind.innerText()).toBe(w.mobile);
      await page.screenshot({ path: resultsPath(`manager-entry-${language}.png`) });
      await page.getByTestId('resource-form-submit').click();
      await page.locator('.ant-message').getByText(w.added).waitFor();
      await form.waitFor({ state: 'hidden' });
      watch.check();

      // A lead a consultant already has: refused, naming the consultant.
      const listed = await manager.get<ListPage<Customer>>('/api/customers?pageSize=50');
      const owned = listed.items.find((c) => c.consultant && c.phone && /^1\d{10}$/.test(c.phone));
      if (!owned?.phone || !owned.consultant)
        throw new Error('no owned customer with a mobile among the first 50');
      watch.expectFailure(/\/api\/customers$/, 409);
      await page.getByTestId('resource-add').click();
      await form.locator('#name').fill(`${name}重复`);
      await form.locator('#phone').fill(owned.phone);
      await page.getByTestId('resource-form-submit').click();
      const alert = page.getByTestId('resource-form-error');
      await alert.getByText(w.owner(owned.consultant.name), { exact: false }).waitFor();
      await phoneItem(page).getByText(w.usedBy(owned.name), { exact: true }).waitFor();
      await expectNoRawCodes(page);
      await page.screenshot({ path: resultsPath(`manager-duplicate-${language}.png`) });
      // (antd spaces out a two-character Chinese label: 取 消.)
      await page.locator('.ant-drawer-footer button:not(.ant-btn-primary)').click();
      await form.waitFor({ state: 'hidden' });
      watch.check();

      // An import whose bad rows read in the page's language (previewed only: nothing is created).
      await page.goto('/customers/import');
      await page.getByTestId('import-page').waitFor();
      await expectNoRawCodes(page);
      const csv = [
        '姓名,手机,QQ,微信',
        `${name}甲,${freshPhone(language === 'en' ? 3 : 2)},,`,
        `${name}乙,12345,,`,
        `${name}丙,,0123,`,
        `${name}丁,,,9abcdef`,
      ].join('\n');
      await chooseImportCsv(page, `intake-${language}.csv`, csv);
      await page.getByTestId('import-preview').click();
      const errors = page.getByTestId('import-errors').locator('tr.ant-table-row');
      await poll(() => errors.count()).toBe(3);
      const text = await page.getByTestId('import-errors').innerText();
      for (const reason of [w.badPhone, w.badQq, w.badWechat]) expect(text).toContain(reason);
      await expectNoRawCodes(page);
      await page.screenshot({ path: resultsPath(`manager-import-errors-${language}.png`), fullPage: true });
      watch.check();
    } finally {
      await context.close();
      const made = await manager.get<ListPage<Customer>>(`/api/customers?q=${encodeURIComponent(name)}`);
      for (const customer of made.items) await manager.send('DELETE', `/api/customers/${customer.id}`);
    }
  });
});
