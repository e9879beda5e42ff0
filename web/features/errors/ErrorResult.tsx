import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { BackHomeButton } from '../../components/BackHomeButton.tsx';

/**
 * A page the user cannot have, inside the shell: what happened (`errors.<words>`), what it means
 * (`errors.<words>Hint`) and the way home.
 */
export function ErrorResult({
  status,
  words,
  testId,
}: {
  status: '403' | '404';
  words: 'forbidden' | 'notFound' | 'recordUnavailable';
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Result
      status={status}
      title={t(`errors.${words}`)}
      subTitle={t(`errors.${words}Hint`)}
      extra={<BackHomeButton />}
      data-testid={testId}
    />
  );
}
