import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { Language } from './index.ts';

/** antd's date pickers take month and weekday names (and the week's first day) from dayjs's locale. */
export function setDayjsLanguage(language: Language): void {
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
}
