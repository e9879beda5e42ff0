import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, isLanguage, languages } from '../i18n/index.ts';

/** Both languages stay visible, each in its own script, so anyone can find their way back. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <Segmented
      aria-label={t('language.label')}
      size="small"
      value={currentLanguage()}
      options={languages.map((language) => ({ value: language.code, label: language.label }))}
      onChange={(value) => {
        if (isLanguage(value)) changeLanguage(value);
      }}
    />
  );
}
