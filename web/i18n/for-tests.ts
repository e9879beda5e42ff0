import i18next from 'i18next';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

/** i18next with the app's words and none of its browser wiring, for tests that word things. */
export async function initWords(): Promise<typeof i18next> {
  await i18next.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: 'zh-CN',
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return i18next;
}
