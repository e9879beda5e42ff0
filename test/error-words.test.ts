import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { detailCodes, errorCodes } from '../server/http/errors.ts';
import { en } from '../web/i18n/en.ts';
import { initWords } from '../web/i18n/for-tests.ts';
import { zhCN } from '../web/i18n/zh-CN.ts';

/**
 * Every refusal the server can send is worded in every language of the web app, from its code and
 * params alone (web/components/resource/errors.ts), so no user ever reads an English server message
 * or a raw code.
 */
const languages = { 'zh-CN': zhCN, en } as const;

beforeAll(async () => {
  await initWords();
});

describe.each(Object.keys(languages))('%s', (lng) => {
  const t = i18next.getFixedT(lng);
  const has = (key: string) => i18next.exists(key, { lng }) || i18next.exists(`${key}_other`, { lng });

  it('words every refusal and every field problem', () => {
    expect(errorCodes.filter((code) => !has(`apiErrors.${code}`))).toEqual([]);
    expect(detailCodes.filter((code) => !has(`apiErrors.detail.${code}`))).toEqual([]);
  });

  it('fills every parameter a sentence names, and counts in the language’s plural forms', () => {
    const say = t as unknown as (key: string, options?: object) => string;
    for (const count of [1, 2]) {
      const text = say('apiErrors.grab_limit', { count });
      expect(text).toContain(String(count));
      expect(text).not.toMatch(/\{\{|\}\}/);
    }
    if (lng === 'en') {
      expect(say('apiErrors.grab_limit', { count: 1 })).toMatch(/grab 1 customer a day/);
      expect(say('apiErrors.grab_limit', { count: 3 })).toMatch(/grab 3 customers a day/);
      expect(say('apiErrors.detail.too_long', { count: 1 })).toBe('At most 1 character');
    }
  });
});

/** Every leaf of a resource tree, by its dotted key. */
function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value, `${prefix}${key}.`),
  );
}

describe('English counts', () => {
  it('say "1 page" and "2 pages": a sentence that counts nouns has its one and other forms', () => {
    // A plural noun right after {{count}} reads wrong for 1 unless the key is the _other form.
    const wrong = leaves(en)
      .filter(([key, text]) => /\{\{count\}\} (?:[a-z]+ )?[a-z]+s\b/.test(text) && !/_(one|other)$/.test(key))
      .map(([key, text]) => `${key}: ${text}`);
    expect(wrong).toEqual([]);
  });
});
