import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { type Database, queryRows } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import {
  maskContact,
  normalisePhone,
  normaliseQq,
  normaliseWechat,
  phoneNormSql,
  qqNormSql,
  wechatNormSql,
} from './contacts.ts';

const phones = [
  '13812345678',
  '138 1234 5678',
  '+86 138-1234-5678',
  '008613812345678',
  '8613812345678',
  '010-8888 7777',
  '  ',
  '',
];
const qqs = ['123456', ' 123 456 ', 'QQ:123456', 'abc', ''];
const wechats = ['WeiXin_Id', ' weixin_id ', 'wei xin', 'ÄBC', ''];

describe('contact normalisation', () => {
  it('treats differently written forms of one contact as the same', () => {
    expect(new Set(phones.slice(0, 5).map(normalisePhone))).toEqual(new Set(['13812345678']));
    expect(normalisePhone('010-8888 7777')).toBe('01088887777');
    expect(normalisePhone('   ')).toBeNull();
    expect(normaliseQq(' 123 456 ')).toBe('123456');
    expect(normaliseWechat(' WeiXin_Id ')).toBe('weixin_id');
  });

  it('masks contacts that are not yours', () => {
    expect(maskContact('13812345678')).toBe('138****5678');
    expect(maskContact('12345')).toBe('1***5');
    expect(maskContact(null)).toBeNull();
  });

  describe('its SQL twin', () => {
    let database: Database;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => database?.close());

    it('agrees with the TypeScript rule on every sample', async () => {
      const samples = Math.max(phones.length, qqs.length, wechats.length);
      for (let i = 0; i < samples; i++) {
        const phone = phones[i] ?? null;
        const qq = qqs[i] ?? null;
        const wechat = wechats[i] ?? null;
        const [row] = await queryRows<{ phone: string | null; qq: string | null; wechat: string | null }>(
          database.db,
          // The very expressions the generated columns use, over a row with the same column names.
          sql`select ${phoneNormSql} as phone, ${qqNormSql} as qq, ${wechatNormSql} as wechat
              from (select ${phone}::text as phone, ${qq}::text as qq, ${wechat}::text as wechat) v`,
        );
        expect(row).toEqual({
          phone: normalisePhone(phone),
          qq: normaliseQq(qq),
          wechat: normaliseWechat(wechat),
        });
      }
    });

    it('is what the unique index compares: a differently written phone is a duplicate', async () => {
      await database.db.insert(customers).values({ name: '龙泰', phone: '138 1234 5678' });
      const [stored] = await database.db.select({ norm: customers.phoneNorm }).from(customers);
      expect(stored?.norm).toBe(normalisePhone('138 1234 5678'));
      await expect(
        database.db.insert(customers).values({ name: '泰哥', phone: '+8613812345678' }),
      ).rejects.toThrow();
    });

    it('refuses a customer without any contact', async () => {
      await expect(database.db.insert(customers).values({ name: '无名', phone: ' ' })).rejects.toThrow();
    });
  });
});
