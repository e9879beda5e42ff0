import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const languages = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
] as const;

export type Language = (typeof languages)[number]['code'];

/** antd's date pickers take month and weekday names (and the week's first day) from dayjs's locale. */
function setDayjsLanguage(language: Language): void {
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
}

const storageKey = 'crm_lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export function isLanguage(value: unknown): value is Language {
  return languages.some((language) => language.code === value);
}

/** The language of the interface; anything unexpected falls back to Chinese, the product's first. */
export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'zh-CN';
}

export function changeLanguage(language: Language): void {
  void i18next.changeLanguage(language);
}

function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    return isLanguage(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
  setDayjsLanguage(isLanguage(language) ? language : 'zh-CN');
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this visit only.
  }
});

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  // Resources are bundled, so initialise synchronously: the first render is already translated.
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18next.language;
setDayjsLanguage(currentLanguage());

export default i18next;
