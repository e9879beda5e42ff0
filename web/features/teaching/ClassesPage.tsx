import { ReadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ResourceList } from '../../components/resource/ResourceList.tsx';
import { RowPageLink } from '../../components/resource/RowPageLink.tsx';
import { teachingPaths } from './classApi.ts';

/**
 * The classes list (the generic one, from the server's metadata), each row with the way to its
 * class page (班级主页), where its lessons, students and figures are.
 */
export default function ClassesPage() {
  const { t } = useTranslation();
  return (
    <ResourceList
      resource="classes"
      rowActions={(cls) => (
        <RowPageLink
          to={teachingPaths.classPage(cls.id)}
          icon={<ReadOutlined />}
          label={t('classPage.open')}
          testId={`class-page-${cls.id}`}
        />
      )}
    />
  );
}
